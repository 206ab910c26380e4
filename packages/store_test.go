package packages

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

// world is a test database with one home care agreement (14 hours at
// £24.50, from Monday 4 January 2027), its package, a broker, a
// practitioner of its team and a user of its provider.
type world struct {
	db                             *postgres.DB
	store                          *Store
	ag                             agreements.Agreement
	broker, practitioner, provider accounts.Actor
	now                            time.Time
}

var seq atomic.Int64

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	w := &world{db: db, now: time.Date(2027, 1, 6, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return w.now }
	ags := agreements.NewStore(db, agreements.WithClock(clock))
	w.store = NewStore(db, ags, WithClock(clock))
	org := uuid.New()
	db.Gorm(ctx).Exec(`INSERT INTO provider_organisations (id, name) VALUES (?, ?)`, org, "Bridgewater Home Care Ltd "+org.String())
	mk := func(role accounts.Role, n accounts.NewUser) accounts.Actor {
		n.Role, n.Email, n.Password, n.DisplayName = role, fmt.Sprintf("%s%d@test.example", role, seq.Add(1)), "a-long-test-password-"+string(role), "Test "+string(role)
		u, err := accounts.NewStore(db).CreateUser(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	team := "community_led_support"
	w.broker = mk(accounts.Broker, accounts.NewUser{})
	w.practitioner = mk(accounts.Practitioner, accounts.NewUser{Team: team})
	w.provider = mk(accounts.ProviderUser, accounts.NewUser{ProviderOrgID: &org})
	n := agreements.NewAgreement{RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(), PersonID: uuid.New(),
		ProviderOrgID: org, ServiceID: uuid.New(), PersonName: "Ada Lovelace", ProviderName: "Bridgewater Home Care Ltd",
		ServiceName: "Bridgewater Home Care (Salford)", ServiceType: "homecare", Team: team, HoursPerWeek: 14,
		HourlyRatePence: 2450, WeeklyCostPence: 34300, StartDate: day.New(2027, 1, 4), Funding: agreements.CouncilFunded,
		InformationPack: agreements.InformationPack{Address: "12 Analytical Row, Salford", Postcode: "M5 4WT",
			Needs:   []agreements.PackNeed{{Need: "Help to wash and dress", Outcome: "Ready for the day", HowMet: "Morning visit"}},
			Contact: agreements.Contact{Name: "Ada Lovelace", Phone: "0161 496 0000"}}}
	err := db.Transaction(ctx, func(tx *postgres.Tx) error {
		var err error
		if w.ag, err = ags.Create(ctx, tx, w.broker, n); err != nil {
			return err
		}
		return Open(ctx, tx, w.ag)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Gorm(context.Background()).Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func wantCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("got %v, want %s naming %q", err, code, field)
	}
}

// A council price change on a Wednesday: the old line ends on Tuesday, the
// new one starts on Wednesday, finance hears once with the per-day amounts,
// and the week costs two days at the old rate and five at the new.
func TestCouncilChangeEndsTheOldLineTheDayBefore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	wed := day.New(2027, 1, 13)
	p, err := w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: Price, Version: 1, From: wed, UnitPricePence: ptr(int64(2600)), Reason: "new rate agreed"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 2 || len(p.Lines) != 2 || p.Lines[0].To != wed.AddDays(-1) || p.Lines[1].From != wed || p.Lines[1].WeeklyCostPence != 14*2600 {
		t.Fatalf("lines after the change: %+v", p.Lines)
	}
	monday := day.New(2027, 1, 11)
	want := CostBetween([]Line{{WeeklyCostPence: 34300, From: monday, To: monday.AddDays(1)}, {WeeklyCostPence: 36400, From: wed}}, monday, monday.AddDays(6))
	if got := CostBetween(p.Lines, monday, monday.AddDays(6)); got != want || got == 34300 || got == 36400 {
		t.Fatalf("the week of the change costs %d, want %d", got, want)
	}
	var data string
	w.db.Gorm(ctx).Raw(`SELECT data FROM notifications WHERE audience_kind = 'finance' AND kind = 'package.changed' AND agreement_id = ?`, w.ag.ID).Scan(&data)
	var got struct {
		Days []DayAmount `json:"days"`
	}
	if err := json.Unmarshal([]byte(data), &got); err != nil || len(got.Days) == 0 || got.Days[0].Day != wed || got.Days[0].After != DayCost(36400, wed) || got.Days[0].Before != DayCost(34300, wed) {
		t.Fatalf("finance's per-day amounts: %s (%v)", data, err)
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND kind = 'package.changed'`); n != 1 {
		t.Fatalf("finance told %d times", n)
	}
	// The same sight of the package cannot change it twice.
	_, err = w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: Hours, Version: 1, From: wed, HoursPerWeek: ptr(10), Reason: "fewer"})
	wantCode(t, err, errs.Conflict, "version")
}

// Nothing a provider asks takes effect until the council approves it; a
// refusal needs a reason; bad input names the field and writes nothing.
func TestProviderAsksCouncilDecides(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.store.Change(ctx, w.provider, w.ag.ID, NewChange{Kind: Hours, Version: 1, From: day.New(2027, 1, 18), HoursPerWeek: ptr(200), Reason: "more"})
	wantCode(t, err, errs.Invalid, "hours_per_week")
	_, err = w.store.Change(ctx, w.provider, w.ag.ID, NewChange{Kind: Hours, Version: 1, From: day.New(2026, 12, 1), HoursPerWeek: ptr(20), Reason: "more"})
	wantCode(t, err, errs.Invalid, "from")
	if n := w.count(t, `SELECT count(*) FROM package_changes WHERE kind <> 'start'`); n != 0 {
		t.Fatalf("refused input wrote %d changes", n)
	}
	p, err := w.store.Change(ctx, w.provider, w.ag.ID, NewChange{Kind: Hours, Version: 1, From: day.New(2027, 1, 18), HoursPerWeek: ptr(20), Reason: "needs more help in the evening"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 1 || p.Changes[0].Status != Asked {
		t.Fatalf("an asked change moved the lines: %+v", p)
	}
	asked, err := w.store.Asked(ctx, w.practitioner)
	if err != nil || len(asked) != 1 {
		t.Fatalf("the team sees %d asked changes (%v)", len(asked), err)
	}
	_, err = w.store.Decide(ctx, w.broker, asked[0].ID, Decision{Approve: false})
	wantCode(t, err, errs.Invalid, "reason")
	_, err = w.store.Decide(ctx, w.provider, asked[0].ID, Decision{Approve: true})
	wantCode(t, err, errs.Forbidden, "")
	p, err = w.store.Decide(ctx, w.broker, asked[0].ID, Decision{Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 2 || p.Lines[1].HoursPerWeek != 20 || p.Lines[0].To != day.New(2027, 1, 17) {
		t.Fatalf("approved lines: %+v", p.Lines)
	}
	_, err = w.store.Decide(ctx, w.broker, asked[0].ID, Decision{Approve: true})
	wantCode(t, err, errs.Conflict, "")
}

// A provider's ask and a council change made on the same sight of the
// package race on real goroutines: one goes through, the other is Conflict.
func TestProviderAskAndCouncilChangeRace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for round := range 5 {
		p, err := w.store.Package(ctx, w.broker, w.ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		from := day.New(2027, 2, 1).AddDays(7 * round)
		var wg sync.WaitGroup
		results := make([]error, 2)
		start := make(chan struct{})
		for i, who := range []accounts.Actor{w.provider, w.broker} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, results[i] = w.store.Change(ctx, who, w.ag.ID, NewChange{Kind: Hours, Version: p.Version, From: from, HoursPerWeek: ptr(30 + 2*round + i), Reason: "race"})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range results {
			if err == nil {
				won++
			} else if e := errs.As(err); e == nil || e.Code != errs.Conflict {
				t.Fatalf("round %d: the loser got %v, want Conflict", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d of the two changes went through (%v)", round, won, results)
		}
		// Clear a provider's winning ask so the next round starts level.
		if asked, _ := w.store.Asked(ctx, w.broker); len(asked) == 1 {
			if _, err := w.store.Decide(ctx, w.broker, asked[0].ID, Decision{Reason: "not now"}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// A hospital stay on a contract that pays two weeks' retainer at half, a
// return, and a death: the lines, the agreement's end, finance told of each.
func TestSuspensionReturnAndDeath(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	admin := accounts.Actor{UserID: uuid.Nil, Role: accounts.Admin}
	if _, err := w.store.SetTerms(ctx, admin, w.ag.ProviderOrgID, Terms{RetainerPercent: 50, RetainerWeeks: 2, NoticeDays: 28}); err != nil {
		t.Fatal(err)
	}
	away := day.New(2027, 2, 3)
	p, err := w.store.Change(ctx, w.practitioner, w.ag.ID, NewChange{Kind: Suspend, Version: 1, From: away, Cause: "hospital", Reason: "admitted to Salford Royal"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 3 || p.Lines[1].WeeklyCostPence != 17150 || p.Lines[1].To != away.AddDays(13) || p.Lines[2].WeeklyCostPence != 0 || !p.Lines[2].To.IsZero() {
		t.Fatalf("suspension lines: %+v", p.Lines)
	}
	back := away.AddDays(10)
	if p, err = w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: Resume, Version: p.Version, From: back, Reason: "home from hospital"}); err != nil {
		t.Fatal(err)
	}
	withdrawn := 0
	for _, l := range p.Lines {
		if l.Withdrawn() {
			withdrawn++
		}
	}
	if l, _ := InForce(p.Lines, back); l.Kind != ServiceLine || l.WeeklyCostPence != 34300 || withdrawn != 1 {
		t.Fatalf("after the return: %+v", p.Lines)
	}
	w.now = back.Time().Add(12 * time.Hour) // the day of the return: notice counts from today
	_, err = w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: End, Version: p.Version, LastDay: back.AddDays(3), Cause: "moved", Reason: "moving away"})
	wantCode(t, err, errs.Invalid, "last_day")
	died := back.AddDays(3)
	if p, err = w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: End, Version: p.Version, LastDay: died, Cause: "death", Reason: "died peacefully at home"}); err != nil {
		t.Fatal(err)
	}
	if p.Agreement.Status != agreements.Ended || w.count(t, `SELECT count(*) FROM agreements WHERE id = ? AND status = 'ended' AND ends_on = ?`, w.ag.ID, died) != 1 {
		t.Fatalf("the agreement did not end on %s", died)
	}
	if l := liveLines(p.Lines); l[len(l)-1].To != died {
		t.Fatalf("the last line ends %s, want %s", l[len(l)-1].To, died)
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND kind = 'package.changed'`); n != 3 {
		t.Fatalf("finance told of %d changes, want 3", n)
	}
	_, err = w.store.Change(ctx, w.broker, w.ag.ID, NewChange{Kind: Hours, Version: p.Version, From: died.AddDays(5), HoursPerWeek: ptr(3), Reason: "x"})
	wantCode(t, err, errs.Conflict, "")
}

// The council's uplift moves every package of the framework's members from
// its day in one step, and lists those it left as they were.
func TestUpliftAppliesToTheFrameworkInOneStep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	db := w.db.Gorm(ctx)
	fw, lot := uuid.New(), uuid.New()
	db.Exec(`INSERT INTO frameworks (id, name, kind, starts_on) VALUES (?, 'Home care framework', 'framework', '2026-04-01')`, fw)
	db.Exec(`INSERT INTO framework_lots (id, framework_id, name, service_types) VALUES (?, ?, 'Lot 1', '{homecare}')`, lot, fw)
	db.Exec(`INSERT INTO framework_memberships (lot_id, organisation_id, starts_on) VALUES (?, ?, '2026-04-01')`, lot, w.ag.ProviderOrgID)
	w.store.frameworks = providers.NewStore(w.db)
	admin := accounts.Actor{UserID: uuid.Nil, Role: accounts.Admin}
	_, err := w.store.ApplyUplift(ctx, admin, fw, NewUplift{BasisPoints: 0, From: day.New(2027, 4, 5), Reason: "x"})
	wantCode(t, err, errs.Invalid, "basis_points")
	u, err := w.store.ApplyUplift(ctx, admin, fw, NewUplift{BasisPoints: 350, From: day.New(2027, 4, 5), Reason: "2027/28 uplift"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Applied != 1 || len(u.Skipped) != 0 {
		t.Fatalf("uplift: %+v", u)
	}
	p, _ := w.store.Package(ctx, w.broker, w.ag.ID)
	if l, _ := InForce(p.Lines, day.New(2027, 4, 5)); l.UnitPricePence != 2536 || l.WeeklyCostPence != 14*2536 {
		t.Fatalf("after the uplift: %+v", l) // 2450 * 1.035 = 2535.75, to the nearest penny
	}
	_, err = w.store.ApplyUplift(ctx, admin, fw, NewUplift{BasisPoints: 350, From: day.New(2027, 4, 5), Reason: "again"})
	wantCode(t, err, errs.Conflict, "")
}

// A provider hands a package back: the contract's notice applies, the
// package and the agreement end on the last day, the brokers, team and
// person are told, and the handback is counted against the provider.
func TestHandbackEndsThePackageWithNoticeAndIsCounted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.store.HandBack(ctx, w.provider, w.ag.ID, NewHandback{Version: 1, LastDay: day.New(2027, 1, 20), Reason: "staffing"})
	wantCode(t, err, errs.Invalid, "last_day") // 28 days' notice from 6 January
	_, err = w.store.HandBack(ctx, w.provider, w.ag.ID, NewHandback{Version: 1, LastDay: day.New(2027, 2, 10), Reason: "weather"})
	wantCode(t, err, errs.Invalid, "reason")
	_, err = w.store.HandBack(ctx, w.broker, w.ag.ID, NewHandback{Version: 1, LastDay: day.New(2027, 2, 10), Reason: "staffing"})
	wantCode(t, err, errs.Forbidden, "")
	h, err := w.store.HandBack(ctx, w.provider, w.ag.ID, NewHandback{Version: 1, LastDay: day.New(2027, 2, 10), Reason: "staffing", Detail: "two carers left"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := w.store.Package(ctx, w.broker, w.ag.ID)
	if p.Agreement.Status != agreements.Ended || p.Agreement.EndsOn != h.LastDay || p.Lines[0].To != h.LastDay {
		t.Fatalf("after the handback: %s until %s, lines %+v", p.Agreement.Status, p.Agreement.EndsOn, p.Lines)
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE kind = 'package.handback'`); n != 3 {
		t.Fatalf("%d handback notices, want 3 (brokers, team, person)", n)
	}
	counts, err := w.store.HandbacksByProvider(ctx, w.broker)
	if err != nil || len(counts) != 1 || counts[0].ProviderOrgID != w.ag.ProviderOrgID || counts[0].Handbacks != 1 || counts[0].HoursPerWeek != 14 || counts[0].ProviderName != "Bridgewater Home Care Ltd" {
		t.Fatalf("handbacks by provider: %+v (%v)", counts, err)
	}
	_, err = w.store.HandBack(ctx, w.provider, w.ag.ID, NewHandback{Version: p.Version, LastDay: day.New(2027, 2, 20), Reason: "staffing"})
	wantCode(t, err, errs.Conflict, "")
}
