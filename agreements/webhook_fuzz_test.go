package agreements

import (
	"testing"
	"time"
)

// FuzzVerifyWebhook: a receiver's verifier never panics on any header or
// body, accepts exactly what was signed, and refuses a changed body.
func FuzzVerifyWebhook(f *testing.F) {
	f.Add("t=1796115600,v1=00", []byte(`{"id":"x"}`))
	f.Add("t=,v1=", []byte(""))
	f.Add(",,,=,=", []byte("{}"))
	f.Add("t=99999999999999999999,v1=zz", []byte("x"))
	f.Add("v1=abcd,t=1796115600,v1=", []byte("\x00\xff"))
	at := time.Unix(1796115600, 0)
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		_ = VerifyWebhook(testWebhookSecret, header, body, at, time.Minute)
		signed := SignWebhook(testWebhookSecret, at, body)
		if err := VerifyWebhook(testWebhookSecret, signed, body, at, time.Minute); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		if err := VerifyWebhook(testWebhookSecret, signed, append(body, 'x'), at, time.Minute); err == nil {
			t.Fatal("a changed body verified")
		}
	})
}
