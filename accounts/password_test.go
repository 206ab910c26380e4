package accounts

import (
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
)

func TestPasswordHashVerifies(t *testing.T) {
	t.Parallel()
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=") {
		t.Fatalf("not an argon2id PHC string: %s", h)
	}
	if !VerifyPassword(h, "correct horse battery") {
		t.Fatal("the right password did not verify")
	}
	if VerifyPassword(h, "correct horse batterz") {
		t.Fatal("a wrong password verified")
	}
	if HashPassword("correct horse battery") == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, broken := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AAAA$AAAA", h[:len(h)-10] + "!!!!"} {
		if VerifyPassword(broken, "correct horse battery") {
			t.Errorf("a malformed hash verified: %q", broken)
		}
	}
}

func TestCheckPasswordNamesTheField(t *testing.T) {
	t.Parallel()
	for pw, ok := range map[string]bool{
		"short":                       false,
		"password1234":                false, // common
		"Password1234":                false, // common, whatever the case
		"a perfectly fine passphrase": true,
		strings.Repeat("x", 300):      false,
	} {
		err := CheckPassword("new_password", pw)
		if ok != (err == nil) {
			t.Errorf("CheckPassword(%q) = %v", pw, err)
		}
		if err != nil && errs.As(err).Field != "new_password" {
			t.Errorf("error names %q, want new_password", errs.As(err).Field)
		}
	}
}
