package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

// The real directory files and the postcode lookup built from them.
//
//go:embed data/gm_care_homes.csv data/trafford_care_homes.csv data/postcode_lookup.csv
var dataFiles embed.FS

// CapacityFrom is the day the demo's capacity calendars start.
var CapacityFrom = day.MustParse("2026-11-01")

// The demo's frameworks. Most providers are on one of their lots.
const (
	CareAtHomeFramework = "Greater Manchester Care at Home Framework 2024"
	ResidentialDPS      = "Residential and Nursing DPS 2025"
)

var demoFrameworks = []providers.NewFramework{
	{Name: CareAtHomeFramework, Kind: providers.KindFramework, StartsOn: day.MustParse("2024-04-01"), EndsOn: day.MustParse("2028-03-31"),
		Lots: []providers.NewLot{
			{Name: "Lot 1: Care at home", ServiceTypes: []providers.ServiceType{providers.Homecare, providers.Reablement}},
			{Name: "Lot 2: Specialist care at home and supported living", ServiceTypes: []providers.ServiceType{providers.SpecialistHomecare, providers.SupportedLiving}},
		}},
	{Name: ResidentialDPS, Kind: providers.KindDPS, StartsOn: day.MustParse("2025-04-01"),
		Lots: []providers.NewLot{
			{Name: "Lot A: Residential care and respite", ServiceTypes: []providers.ServiceType{providers.ResidentialCare, providers.Respite}},
			{Name: "Lot B: Nursing care", ServiceTypes: []providers.ServiceType{providers.NursingCare}},
			{Name: "Lot C: Specialist residential, nursing and respite", ServiceTypes: []providers.ServiceType{providers.SpecialistResidentialNursing, providers.SpecialistRespite}},
			{Name: "Lot D: Community support", ServiceTypes: []providers.ServiceType{providers.SharedLives, providers.DayServices, providers.SpecialistDayServices}},
		}},
}

// demoSuspensionReason is the one suspension the demo records.
const demoSuspensionReason = "Embargo on new placements after a CQC inspection found medicines management unsafe; action plan under review"

// seedProviders imports the real directory and adds made-up but plausible
// facts to it: ratings, capacity, rates, coverage, languages, framework
// memberships, contracts, insurance and one suspension. The facts come from
// a random source seeded with each organisation's or location's own key, so
// every run gives the same values; anything already given facts is left
// alone, so running it twice changes nothing.
func seedProviders(ctx context.Context, db *postgres.DB, r *Report) error {
	store := providers.NewStore(db)
	sys := accounts.SystemActor
	if err := seedLookup(ctx, db, store); err != nil {
		return err
	}
	for _, name := range []string{"data/gm_care_homes.csv", "data/trafford_care_homes.csv"} {
		data, err := dataFiles.ReadFile(name)
		if err != nil {
			return err
		}
		batch, err := providers.ParseCQC(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rep, err := store.Import(ctx, sys, batch)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		r.Counts["provider locations imported"] += rep.Created
	}
	lots, err := ensureFrameworks(ctx, store)
	if err != nil {
		return err
	}
	orgs, err := demoOrganisations(ctx, db)
	if err != nil {
		return err
	}
	// Organisations are independent of each other, so a few are seeded at a
	// time; each draws from its own random source, so the order does not
	// change the values.
	counts := make([]map[string]int, len(orgs))
	jobs := make(chan int)
	errc := make(chan error, len(orgs))
	var wg sync.WaitGroup
	for range seedWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				o := orgs[i]
				services, err := store.OrganisationServices(ctx, o.id)
				if err == nil {
					counts[i] = map[string]int{}
					f := facts{store: store, rng: seeded(o.key), org: o, services: services, lots: lots, counts: counts[i]}
					err = f.seedOrganisation(ctx)
				}
				if err != nil {
					errc <- fmt.Errorf("demo facts for %s: %w", o.name, err)
				}
			}
		}()
	}
	for i := range orgs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	for _, c := range counts {
		for k, v := range c {
			r.Counts[k] += v
		}
	}
	if err := seedSuspension(ctx, db, store, r); err != nil {
		return err
	}
	if err := seedProviderUsers(ctx, db, r); err != nil {
		return err
	}
	// Fresh statistics for the planner, now that the tables are full.
	return db.Gorm(ctx).Exec(`ANALYZE provider_organisations, provider_locations, provider_services, provider_capacity,
		provider_rates, framework_memberships, provider_suspensions, provider_documents`).Error
}

// seedWorkers is how many organisations are given facts at once.
const seedWorkers = 6

// seedSuspension puts one care home on the Residential and Nursing DPS
// under embargo, for the demo of exclusions, unless one already is.
func seedSuspension(ctx context.Context, db *postgres.DB, store *providers.Store, r *Report) error {
	var existing int
	if err := db.Gorm(ctx).Raw(`SELECT count(*) FROM provider_suspensions WHERE reason = ?`, demoSuspensionReason).Scan(&existing).Error; err != nil || existing > 0 {
		return err
	}
	var ids []uuid.UUID
	err := db.Gorm(ctx).Raw(`SELECT o.id FROM provider_organisations o WHERE o.contract_status = 'active'
		AND EXISTS (SELECT 1 FROM provider_services s WHERE s.organisation_id = o.id AND s.status = 'active' AND s.service_type = 'nursing_care')
		ORDER BY lower(o.name), o.id`).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return err
	}
	id := ids[seeded("the demo's embargo").IntN(len(ids))]
	_, err = store.Suspend(ctx, accounts.SystemActor, id, providers.NewSuspension{Kind: "embargo", Reason: demoSuspensionReason, StartsOn: day.MustParse("2026-10-15")})
	r.Counts["provider suspensions"]++
	return err
}

func seedLookup(ctx context.Context, db *postgres.DB, store *providers.Store) error {
	data, err := dataFiles.ReadFile("data/postcode_lookup.csv")
	if err != nil {
		return err
	}
	var have int
	if err := db.Gorm(ctx).Raw(`SELECT count(*) FROM postcode_lookup`).Scan(&have).Error; err != nil {
		return err
	}
	if have >= bytes.Count(data, []byte("\n"))-1 {
		return nil
	}
	_, err = store.ImportPostcodes(ctx, accounts.SystemActor, bytes.NewReader(data))
	return err
}

func ensureFrameworks(ctx context.Context, store *providers.Store) (map[providers.ServiceType]providers.Lot, error) {
	lots := map[providers.ServiceType]providers.Lot{}
	for _, n := range demoFrameworks {
		f, err := store.FrameworkByName(ctx, n.Name)
		if err != nil {
			if f, err = store.CreateFramework(ctx, accounts.SystemActor, n); err != nil {
				return nil, err
			}
		}
		for _, l := range f.Lots {
			for _, t := range l.ServiceTypes {
				lots[t] = l
			}
		}
	}
	return lots, nil
}

type demoOrg struct {
	id   uuid.UUID
	name string
	key  string // the organisation's name and its first location's postcode
}

func demoOrganisations(ctx context.Context, db *postgres.DB) ([]demoOrg, error) {
	var rows []struct {
		ID       uuid.UUID `gorm:"column:id"`
		Name     string    `gorm:"column:name"`
		Postcode string    `gorm:"column:postcode"`
	}
	err := db.Gorm(ctx).Raw(`SELECT o.id, o.name, min(l.postcode) AS postcode FROM provider_organisations o
		JOIN provider_locations l ON l.organisation_id = o.id GROUP BY o.id, o.name ORDER BY lower(o.name), min(l.postcode)`).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]demoOrg, len(rows))
	for i, row := range rows {
		out[i] = demoOrg{id: row.ID, name: row.Name, key: row.Name + "|" + row.Postcode}
	}
	return out, nil
}

// seeded returns a random source fixed by key.
func seeded(key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(h.Sum64(), 0x9e3779b97f4a7c15))
}

func sortedTypes(services []providers.Service) []providers.ServiceType {
	var ts []providers.ServiceType
	seen := map[providers.ServiceType]bool{}
	for _, s := range services {
		if !seen[s.ServiceType] && s.Status == providers.ServiceActive {
			seen[s.ServiceType] = true
			ts = append(ts, s.ServiceType)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts
}
