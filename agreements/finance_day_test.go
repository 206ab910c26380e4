package agreements

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
)

// TestAcknowledgedOnTheLondonDay acknowledges a finance notification at
// 23:30 UTC on 1 July, 00:30 on 2 July in London: a second try says when
// in the time people in the UK read.
func TestAcknowledgedOnTheLondonDay(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db, WithClock(func() time.Time { return time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC) }))
	ctx := context.Background()
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})
	create(t, s, db, accounts.SystemActor, sampleAgreement())
	deliverDue(t, newTestWorker(t, db, nil, "", nil))
	id := financeNotificationID(t, s, fin)
	if _, err := s.Acknowledge(ctx, fin, id); err != nil {
		t.Fatal(err)
	}
	_, err := s.Acknowledge(ctx, fin, id)
	if want := "already acknowledged on 2 July 2026 at 00:30 (UK time)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second acknowledgement: %v, want %q", err, want)
	}
}
