// Package loadtest generates a directory and a queue of the size a large
// council works with, on the real Greater Manchester names and places, and
// drives the running service with vegeta at steady rates (`make loadtest`).
// It talks to the service only over HTTP and to PostgreSQL only to write
// the generated rows; it is a tool, imported by cmd/loadtest alone.
package loadtest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Size is how much the generator writes.
type Size struct {
	Services     int // provider services (two a location, about ten an organisation)
	OpenRequests int // open brokerage requests, each of its own person and plan
	// ClosedRequests are cancelled requests beside the open ones: the history
	// a council's queue grows, which the queue's queries must skip cheaply.
	ClosedRequests int
	Brokers        int
	Seed           uint64
	PasswordHash   string // every generated user's; "" hashes Password
	StartDate      time.Time
	InsuranceEnds  time.Time
}

// DefaultSize is the world: 25,000 services and 5,000 open requests.
var DefaultSize = Size{Services: 25000, OpenRequests: 5000, Brokers: 20, Seed: 8,
	StartDate: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), InsuranceEnds: time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC)}

// Password is every generated user's password (a load-test database only).
const Password = "load-test-password-not-for-real-use"

// World is what the generator wrote that the runner needs.
type World struct {
	Brokers      []User
	Providers    map[uuid.UUID]User // a provider user of each organisation
	OpenRequests []Request          // in a fixed order
	Counts       map[string]int
}

// Request is a generated open request, with what an offer for it needs.
type Request struct {
	ID           uuid.UUID
	ServiceType  string
	HoursPerWeek int
	Places       int
	BudgetPence  int64
	StartDate    time.Time
}

// User is a generated user.
type User struct {
	ID    uuid.UUID
	Email string
	Actor accounts.Actor
}

// serviceTypes are the directory's service types with how common each is.
var serviceTypes = []struct {
	code      string
	weight    int
	hourBased bool
	lo, hi    int64 // rate in pence: an hour, or a place a week
}{
	{"homecare", 30, true, 2200, 2800}, {"residential_care", 15, false, 80000, 110000},
	{"nursing_care", 10, false, 100000, 140000}, {"day_services", 8, false, 40000, 70000},
	{"supported_living", 8, true, 2400, 3000}, {"reablement", 6, true, 2200, 2800},
	{"respite", 6, false, 80000, 110000}, {"shared_lives", 4, false, 40000, 70000},
	{"specialist_homecare", 4, true, 2400, 3000}, {"specialist_day_services", 3, false, 40000, 70000},
	{"specialist_respite", 3, false, 100000, 140000}, {"specialist_residential_nursing", 3, false, 100000, 140000},
}

// requestTypes are what people ask for: generic services, weighted.
var requestTypes = []struct {
	code   string
	weight int
}{{"homecare", 45}, {"residential_care", 20}, {"nursing_care", 12}, {"day_services", 10}, {"reablement", 8}, {"respite", 5}}

var languages = []string{"Urdu", "Polish", "Punjabi", "Bengali", "Arabic", "Cantonese"}

var orgWords = []string{"Care", "Healthcare", "Care Services", "Home Care", "Support", "Living", "Care Group", "Community Care"}

// Generate writes the world into db, which must be freshly migrated and
// empty of directory and brokerage rows: the same Size gives the same rows,
// ids included. Rows go in with COPY, a table at a time, in one
// transaction, then every table is analysed.
func Generate(ctx context.Context, db *postgres.DB, places []Place, size Size) (World, error) {
	if len(places) == 0 {
		return World{}, fmt.Errorf("generate: no places")
	}
	if size.PasswordHash == "" {
		size.PasswordHash = accounts.HashPassword(Password)
	}
	g := &gen{rng: rand.New(rand.NewPCG(size.Seed, 0x10ad)), places: places, size: size, tables: map[string]*table{},
		world: World{Providers: map[uuid.UUID]User{}, Counts: map[string]int{}}}
	g.build()
	sqlDB, err := db.SQL()
	if err != nil {
		return World{}, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return World{}, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, name := range g.order {
			t := g.tables[name]
			tableName, _, _ := strings.Cut(name, "#")
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{tableName}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("generate: copying %d rows into %s: %w", len(t.rows), tableName, err)
			}
			g.world.Counts[tableName] += len(t.rows)
		}
		// Plans are written as drafts, as their needs may only be added to a
		// draft, and signed off once the needs are in.
		if _, err := tx.Exec(ctx, `UPDATE plans SET status = 'signed_off', signed_off_by = submitted_by, signed_off_at = submitted_at WHERE status = 'draft'`); err != nil {
			return fmt.Errorf("generate: signing off plans: %w", err)
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		_, err = pc.Exec(ctx, "ANALYZE")
		return err
	})
	return g.world, err
}

type table struct {
	columns []string
	rows    [][]any
}

type gen struct {
	rng    *rand.Rand
	places []Place
	size   Size
	tables map[string]*table
	order  []string
	world  World
}

// add appends a row to a table. A name "table#part" is a later COPY into
// the same table, for rows that must follow rows of another table.
func (g *gen) add(name string, columns []string, row ...any) {
	t := g.tables[name]
	if t == nil {
		t = &table{columns: columns}
		g.tables[name] = t
		g.order = append(g.order, name)
	}
	t.rows = append(t.rows, row)
}

// id is a deterministic version 4 uuid.
func (g *gen) id() uuid.UUID {
	var u uuid.UUID
	a, b := g.rng.Uint64(), g.rng.Uint64()
	for i := range 8 {
		u[i], u[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

func (g *gen) place() Place { return g.places[g.rng.IntN(len(g.places))] }

// near moves a place by up to about 1.5 km, so thousands of services do not
// sit on a few hundred points.
func (g *gen) near(p Place) (float64, float64) {
	return round6(p.Lat + (g.rng.Float64()-0.5)*0.027), round6(p.Lon + (g.rng.Float64()-0.5)*0.045)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

var (
	created     = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	frameworkOn = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	rateFrom    = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	capacityOn  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (g *gen) user(email, name, role string, team *string, org, person *uuid.UUID) User {
	u := User{ID: g.id(), Email: email}
	g.add("users", []string{"id", "email", "display_name", "password_hash", "role", "team", "provider_org_id", "person_id", "created_at"},
		u.ID, email, name, g.size.PasswordHash, role, team, org, person, created)
	u.Actor = accounts.Actor{UserID: u.ID, Name: name, Role: accounts.Role(role)}
	if team != nil {
		u.Actor.Team = *team
	}
	if org != nil {
		u.Actor.ProviderOrgID = *org
	}
	return u
}

func (g *gen) build() {
	team := "community_led_support"
	practitioner := g.user("practitioner@load.carebroker.example", "Load Practitioner", "practitioner", &team, nil, nil)
	for i := range g.size.Brokers {
		g.world.Brokers = append(g.world.Brokers, g.user(fmt.Sprintf("broker%02d@load.carebroker.example", i+1), fmt.Sprintf("Load Broker %d", i+1), "broker", nil, nil, nil))
	}
	g.directory()
	g.requests(practitioner.ID, team)
}

// directory writes organisations of about five locations each, two
// services a location, with capacity, a rate, a framework membership for
// nine in ten and accepted insurance for nineteen in twenty.
func (g *gen) directory() {
	frameworkID, lotID := g.id(), g.id()
	g.add("frameworks", []string{"id", "name", "kind", "starts_on", "created_at"}, frameworkID, "Greater Manchester Care and Support DPS", "dps", frameworkOn, created)
	allTypes := make([]string, len(serviceTypes))
	total := 0
	for i, st := range serviceTypes {
		allTypes[i] = st.code
		total += st.weight
	}
	g.add("framework_lots", []string{"id", "framework_id", "name", "service_types"}, lotID, frameworkID, "All care and support", allTypes)

	locations := (g.size.Services + 1) / 2
	orgs := max(1, locations/5)
	orgIDs := make([]uuid.UUID, orgs)
	for i := range orgs {
		id := g.id()
		orgIDs[i] = id
		p := g.place()
		name := fmt.Sprintf("%s %s %d", p.Area, orgWords[g.rng.IntN(len(orgWords))], i+1)
		status := "none"
		if g.rng.IntN(10) < 9 {
			status = "active"
		}
		g.add("provider_organisations", []string{"id", "name", "contract_status", "created_at", "updated_at"}, id, name, status, created, created)
		if status == "active" {
			g.add("framework_memberships", []string{"id", "lot_id", "organisation_id", "starts_on", "created_at", "updated_at"}, g.id(), lotID, id, frameworkOn, created, created)
		}
		if g.rng.IntN(20) < 19 {
			g.add("provider_documents", []string{"id", "organisation_id", "kind", "name", "valid_from", "expires_on", "status", "uploaded_at"},
				g.id(), id, "insurance", "Public liability insurance", g.size.InsuranceEnds.AddDate(-1, 0, 1), g.size.InsuranceEnds, "accepted", created)
		}
		if g.rng.IntN(100) == 0 {
			g.add("provider_suspensions", []string{"id", "organisation_id", "kind", "reason", "starts_on", "created_at", "updated_at"},
				g.id(), id, "embargo", "safeguarding concerns under investigation", capacityOn, created, created)
		}
		uid := g.id()
		g.world.Providers[id] = User{ID: uid, Email: fmt.Sprintf("provider%05d@load.carebroker.example", i+1),
			Actor: accounts.Actor{UserID: uid, Name: "Provider " + name, Role: accounts.ProviderUser, ProviderOrgID: id}}
	}
	for _, id := range orgIDs { // users after their organisations, in the same order
		u := g.world.Providers[id]
		org := id
		g.add("users#providers", []string{"id", "email", "display_name", "password_hash", "role", "team", "provider_org_id", "person_id", "created_at"}, u.ID, u.Email, u.Actor.Name, g.size.PasswordHash, "provider", nil, &org, nil, created)
	}

	ratings := []string{"outstanding", "good", "good", "good", "good", "good", "requires_improvement", "requires_improvement", "inadequate", "not_yet_rated"}
	made := 0
	for i := 0; made < g.size.Services; i++ {
		locID, org := g.id(), orgIDs[i%orgs]
		p := g.place()
		lat, lon := g.near(p)
		rating := ratings[g.rng.IntN(len(ratings))]
		var ratedOn any
		if rating != "not_yet_rated" {
			ratedOn = time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(1275))
		}
		g.add("provider_locations", []string{"id", "organisation_id", "name", "postcode", "latitude", "longitude", "coordinates_source", "local_authority", "rating", "rating_date", "created_at", "updated_at"},
			locID, org, fmt.Sprintf("%s (%d)", p.Name, i+1), p.Postcode, lat, lon, "given", p.Area, rating, ratedOn, created, created)
		first := g.pickType(total)
		second := first
		for second == first {
			second = g.pickType(total)
		}
		for _, ti := range []int{first, second} {
			if made == g.size.Services {
				break
			}
			made++
			g.service(locID, org, ti)
		}
	}
}

func (g *gen) pickType(total int) int {
	n := g.rng.IntN(total)
	for i, st := range serviceTypes {
		if n < st.weight {
			return i
		}
		n -= st.weight
	}
	return 0
}

func (g *gen) service(locID, org uuid.UUID, ti int) {
	st := serviceTypes[ti]
	id := g.id()
	// Coverage as matching/matchgen draws it for 25,000 services: agencies
	// reach 1.3-4 km, homes and day centres take people from 2.5-7 km, so a
	// request finds about as many eligible services as in the engine's
	// benchmarks (tens, not thousands).
	radius := math.Round((2.5+g.rng.Float64()*4.5)*10) / 10
	units := 1 + g.rng.IntN(8)
	if st.hourBased {
		radius = math.Round((1.3+g.rng.Float64()*2.7)*10) / 10
		units = 20 + g.rng.IntN(181)
	}
	langs := []string{"English"}
	for _, i := range g.rng.Perm(len(languages))[:g.rng.IntN(3)] {
		langs = append(langs, languages[i])
	}
	genders := []string{"female", "male"}
	if st.hourBased && g.rng.IntN(5) == 0 {
		genders = []string{"female"}
	}
	specialisms := []string{}
	if (st.code == "residential_care" || st.code == "nursing_care") && g.rng.IntN(2) == 0 {
		specialisms = append(specialisms, "dementia")
	}
	g.add("provider_services", []string{"id", "location_id", "organisation_id", "service_type", "coverage_radius_km", "specialisms", "languages", "carer_genders", "created_at", "updated_at"},
		id, locID, org, st.code, radius, specialisms, langs, genders, created, created)
	g.add("provider_capacity", []string{"service_id", "from_date", "units", "reserved_units", "updated_at"}, id, capacityOn, units, 0, created)
	step := int64(5)
	if !st.hourBased {
		step = 500
	}
	pence := st.lo + int64(g.rng.IntN(int((st.hi-st.lo)/step)+1))*step
	g.add("provider_rates", []string{"id", "service_id", "pence", "valid_from", "created_at"}, g.id(), id, pence, rateFrom, created)
}

// requests writes OpenRequests people, each with a signed-off plan of one
// council-arranged need and its open request.
func (g *gen) requests(practitioner uuid.UUID, team string) {
	total := 0
	for _, rt := range requestTypes {
		total += rt.weight
	}
	first := []string{"Aisha", "Ben", "Chloe", "Dev", "Eileen", "Farid", "Grace", "Harry", "Iqra", "Jack", "Kasia", "Liam", "Margaret", "Nadia", "Owen", "Priya"}
	last := []string{"Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Murphy", "Nowak", "Patel", "Walsh"}
	for i := range g.size.OpenRequests + g.size.ClosedRequests {
		open := i < g.size.OpenRequests
		status := "open"
		if !open {
			status = "cancelled"
		}
		personID, planID, needID, reqID := g.id(), g.id(), g.id(), g.id()
		p := g.place()
		lat, lon := g.near(p)
		n := g.rng.IntN(total)
		code := requestTypes[0].code
		for _, rt := range requestTypes {
			if n < rt.weight {
				code = rt.code
				break
			}
			n -= rt.weight
		}
		hours, places := 0, 0
		var budget int64
		switch code {
		case "homecare", "reablement":
			hours = 5 + g.rng.IntN(26)
			budget = int64(hours) * 2600
		case "day_services":
			places, budget = 1, 60000
		case "nursing_care":
			places, budget = 1, 125000
		default:
			places, budget = 1, 100000
		}
		language, gender := "", ""
		if g.rng.IntN(10) == 0 {
			language = languages[g.rng.IntN(len(languages))]
		}
		if hours > 0 && g.rng.IntN(5) == 0 {
			gender = "female"
		}
		urgency := []string{"urgent", "interim", "standard", "standard"}[g.rng.IntN(4)]
		start := g.size.StartDate.AddDate(0, 0, g.rng.IntN(28))
		name := first[g.rng.IntN(len(first))] + " " + last[g.rng.IntN(len(last))]
		at := created.Add(time.Duration(i) * time.Minute)
		g.add("persons", []string{"id", "name", "date_of_birth", "address", "postcode", "latitude", "longitude", "team", "created_by", "created_at"},
			personID, name, time.Date(1930+g.rng.IntN(60), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC),
			fmt.Sprintf("%d %s Road, %s", 1+g.rng.IntN(200), last[g.rng.IntN(len(last))], p.Area), p.Postcode, lat, lon, team, practitioner, at)
		g.add("plans", []string{"id", "person_id", "kind", "team", "status", "budget_weekly_pence", "submitted_by", "submitted_at", "updated_at"},
			planID, personID, "care_and_support", team, "draft", budget, practitioner, at, at)
		g.add("plan_needs", []string{"id", "plan_id", "position", "outcome", "how_met", "weekly_budget_pence", "service_type", "hours_per_week", "places", "start_date", "urgency", "language", "carer_gender"},
			needID, planID, 0, "to live safely at home with the support I need", "council_arranged", budget, code, hours, places, start, urgency, language, gender)
		g.add("requests", []string{"id", "plan_id", "need_id", "person_id", "team", "service_type", "specialist", "hours_per_week", "places", "start_date", "budget_weekly_pence", "funding", "urgency", "postcode", "latitude", "longitude", "language", "carer_gender", "status", "created_at", "updated_at"},
			reqID, planID, needID, personID, team, code, false, hours, places, start, budget, "council", urgency, p.Postcode, lat, lon, language, gender, status, at, at)
		if !open {
			continue
		}
		g.world.OpenRequests = append(g.world.OpenRequests, Request{ID: reqID, ServiceType: code, HoursPerWeek: hours, Places: places,
			BudgetPence: budget, StartDate: start})
	}
}
