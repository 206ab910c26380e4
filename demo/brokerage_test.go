package demo

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

func TestBrokerageDemoIsIdempotentAndShowsEveryState(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	first, err := Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		var n int
		if err := db.Gorm(context.Background()).Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	states := func() map[string]int {
		rows := map[string]int{}
		var rs []struct {
			Status string
			N      int
		}
		db.Gorm(context.Background()).Raw(`SELECT status, count(*) AS n FROM requests GROUP BY status`).Scan(&rs)
		for _, r := range rs {
			rows[r.Status] = r.N
		}
		return rows
	}
	got := states()
	if got["open"] != 2 || got["offers_received"] != 1 || got["agreed"] != 1 {
		t.Fatalf("request states %v, want 2 open, 1 with offers, 1 agreed (report %+v)", got, first.Counts)
	}
	if n := count(`SELECT count(*) FROM offers WHERE over_budget AND approval = 'pending'`); n != 2 {
		t.Fatalf("%d offers waiting for a budget approver, want one per advanced request", n)
	}
	for _, email := range []string{"client1@demo.carebroker.example", "client2@demo.carebroker.example"} {
		if n := count(`SELECT count(*) FROM users u JOIN persons p ON p.id = u.person_id WHERE u.email = ?`, email); n != 1 {
			t.Fatalf("%s is not bound to a person", email)
		}
	}
	if n := count(`SELECT count(*) FROM agreements`); n != 1 {
		t.Fatalf("%d agreements, want 1", n)
	}
	second, err := Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(states()) != fmt.Sprint(got) || count(`SELECT count(*) FROM persons`) != 4 || len(second.Users) != 0 {
		t.Fatalf("a second run changed things: %v, report %+v", states(), second)
	}
}
