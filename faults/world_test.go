package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

var ctx = context.Background()

var (
	directoryAdmin = accounts.Actor{Name: "faults directory admin", Role: accounts.System}
	seq            atomic.Int64
)

// world is the brokerage service on a database, with the people a fault
// test needs: a practitioner, a broker and the framework's lots.
type world struct {
	t     testing.TB
	db    *postgres.DB
	users *accounts.Store
	dir   *providers.Store
	deals *agreements.Store
	svc   *brokerage.Service
	prac  accounts.Actor
	brk   accounts.Actor
	lot   providers.Lot
}

func newWorld(t testing.TB, db *postgres.DB) *world {
	t.Helper()
	w := &world{t: t, db: db, users: accounts.NewStore(db), dir: providers.NewStore(db), deals: agreements.NewStore(db)}
	w.svc = brokerage.New(db, brokerage.Config{Directory: w.dir, Agreements: w.deals})
	w.prac = w.actor(accounts.Practitioner, "community_led_support", nil)
	w.brk = w.actor(accounts.Broker, "", nil)
	fw, err := w.dir.CreateFramework(ctx, directoryAdmin, providers.NewFramework{
		Name: fmt.Sprintf("Faults Framework %d", seq.Add(1)), Kind: providers.KindFramework, StartsOn: day.New(2024, 4, 1),
		Lots: []providers.NewLot{{Name: "Day services", ServiceTypes: []providers.ServiceType{"day_services"}}}})
	w.must(err)
	w.lot = fw.Lots[0]
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) actor(role accounts.Role, team string, org *uuid.UUID) accounts.Actor {
	w.t.Helper()
	return w.user(role, team, org).Actor()
}

// testPassword is every test user's password.
const testPassword = "a-long-test-password"

func (w *world) user(role accounts.Role, team string, org *uuid.UUID) accounts.User {
	w.t.Helper()
	u, err := w.users.CreateUser(ctx, accounts.NewUser{
		Email: uuid.NewString()[:12] + "@faults.example", DisplayName: "Faults " + string(role), Password: testPassword,
		Role: role, Team: team, ProviderOrgID: org,
	})
	w.must(err)
	return u
}

// today is the UK day now: the server under test runs on the real clock.
func today() day.Date { return day.Today(time.Now) }

// provider is a compliant day service with units places, and its user.
type provider struct {
	OrgID, ServiceID uuid.UUID
	User             accounts.Actor
}

func (w *world) provider(units int) provider {
	w.t.Helper()
	n := seq.Add(1)
	org, err := w.dir.CreateOrganisation(ctx, directoryAdmin, providers.NewOrganisation{Name: fmt.Sprintf("Faults Care %d Ltd", n)})
	w.must(err)
	lat, lon := 53.4631, -2.2913+0.0150
	loc, svcs, err := w.dir.CreateLocation(ctx, directoryAdmin, providers.NewLocation{
		OrganisationID: org.ID, Name: fmt.Sprintf("Faults Day Centre %d", n), CQCLocationID: fmt.Sprintf("1-%09d", 700000+n),
		Address: fmt.Sprintf("%d Provider Road, Stretford", n), Postcode: "M32 0JG", Latitude: &lat, Longitude: &lon,
		ServiceTypes: []providers.ServiceType{"day_services"},
	})
	w.must(err)
	_, err = w.dir.SetLocationRating(ctx, directoryAdmin, loc.ID, providers.LocationRating{
		RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 6, 1)})
	w.must(err)
	svc := svcs[0]
	_, err = w.dir.SetCapacity(ctx, directoryAdmin, svc.ID, providers.CapacityChange{From: day.New(2026, 1, 1), Units: units})
	w.must(err)
	_, err = w.dir.AddRate(ctx, directoryAdmin, svc.ID, providers.NewRate{Pence: 5000, ValidFrom: day.New(2026, 1, 1)})
	w.must(err)
	_, err = w.dir.AddMembership(ctx, directoryAdmin, org.ID, providers.NewMembership{LotID: w.lot.ID, StartsOn: day.New(2026, 1, 1)})
	w.must(err)
	_, err = w.dir.SetContractStatus(ctx, directoryAdmin, org.ID, providers.ContractChange{Status: providers.ContractActive, Reason: "contract signed"})
	w.must(err)
	doc, err := w.dir.AddDocument(ctx, directoryAdmin, org.ID, providers.NewDocument{
		Kind: "insurance", Name: "Public liability", ValidFrom: day.New(2026, 1, 1), ExpiresOn: day.New(2030, 12, 31)})
	w.must(err)
	_, err = w.dir.ReviewDocument(ctx, directoryAdmin, doc.ID, providers.DocumentReview{Decision: "accepted"})
	w.must(err)
	id := org.ID
	return provider{OrgID: org.ID, ServiceID: svc.ID, User: w.actor(accounts.ProviderUser, "", &id)}
}

// startDay is the start date every test offer and agreement uses.
func startDay() day.Date { return today().AddDays(7) }

// requests signs off plans of one-place day-service needs until there are
// n open requests.
func (w *world) requests(n int) []uuid.UUID {
	w.t.Helper()
	// 25 needs of £60 a week: £1,500, not above the council's default
	// four-eyes amount, so one sign-off opens the requests.
	const perPlan = 25
	var ids []uuid.UUID
	for len(ids) < n {
		lat, lon := 53.4631, -2.2913
		person, err := w.svc.Plans().CreatePerson(ctx, w.prac, plans.NewPerson{
			Name: fmt.Sprintf("Faults Person %d", seq.Add(1)), DateOfBirth: day.New(1941, 3, 14), Address: "1 Test Street, Old Trafford",
			Postcode: "m16 0ra", Latitude: &lat, Longitude: &lon})
		w.must(err)
		p := plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{PersonalBudgetWeeklyPence: perPlan * 6000}}
		for i := 0; i < perPlan; i++ {
			p.Needs = append(p.Needs, plans.NewNeed{Outcome: fmt.Sprintf("A day out, day %d", i+1), HowMet: plans.CouncilArranged,
				WeeklyBudgetPence: 6000, ServiceType: "day_services", Places: 1, StartDate: startDay(), Urgency: plans.Standard})
		}
		plan, err := w.svc.Plans().SubmitPlan(ctx, w.prac, p)
		w.must(err)
		_, reqs, err := w.svc.SignOffPlan(ctx, w.prac, plan.ID)
		w.must(err)
		for _, r := range reqs {
			ids = append(ids, r.ID)
		}
	}
	return ids[:n]
}

// offered takes request id through matching and the invitation of
// services ps, and has each make an offer; it returns the offers in the
// order of ps.
func (w *world) offered(id uuid.UUID, ps ...provider) []brokerage.Offer {
	w.t.Helper()
	_, err := w.svc.RunMatch(ctx, w.brk, id)
	w.must(err)
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		ids[i] = p.ServiceID
	}
	invs, err := w.svc.Invite(ctx, w.brk, id, ids)
	w.must(err)
	offers := make([]brokerage.Offer, len(ps))
	for _, inv := range invs {
		for j, p := range ps {
			if p.ServiceID == inv.ServiceID {
				o, err := w.svc.MakeOffer(ctx, p.User, inv.ID, dayOffer())
				w.must(err)
				offers[j] = o
			}
		}
	}
	return offers
}

func dayOffer() brokerage.NewOffer {
	return brokerage.NewOffer{WeeklyPricePence: 5000, Places: 1, EarliestStart: startDay(), ValidUntil: today().AddDays(30)}
}

// chosen makes n requests each with a chosen offer from p, ready for an
// agreement, working on them in parallel.
func (w *world) chosen(n int, p provider) []uuid.UUID {
	w.t.Helper()
	ids := w.requests(n)
	var wg sync.WaitGroup
	errc := make(chan error, len(ids))
	next := atomic.Int64{}
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				if err := w.choose(ids[i], p); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		w.t.Fatal(err)
	}
	return ids
}

func (w *world) choose(id uuid.UUID, p provider) error {
	if _, err := w.svc.RunMatch(ctx, w.brk, id); err != nil {
		return err
	}
	invs, err := w.svc.Invite(ctx, w.brk, id, []uuid.UUID{p.ServiceID})
	if err != nil {
		return err
	}
	o, err := w.svc.MakeOffer(ctx, p.User, invs[0].ID, dayOffer())
	if err != nil {
		return err
	}
	_, err = w.svc.Choose(ctx, w.brk, id, brokerage.ChoiceInput{OfferID: o.ID, Reason: "the person chose it on the phone"})
	return err
}

func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	var n int64
	w.must(w.db.Gorm(context.Background()).Raw(query, args...).Scan(&n).Error)
	return int(n)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	// The request log of the in-process service would drown the test's own.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	redis.SetLogger(quietRedis{}) // nor should go-redis's complaints while the test's Redis is down
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}
