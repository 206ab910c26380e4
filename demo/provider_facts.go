package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

// facts gives one organisation its demo facts from its own random source.
type facts struct {
	store    *providers.Store
	rng      *rand.Rand
	org      demoOrg
	services []providers.Service
	lots     map[providers.ServiceType]providers.Lot
	counts   map[string]int
}

var sys = accounts.SystemActor

var otherLanguages = []string{"Urdu", "Polish", "Punjabi", "Bengali", "Arabic", "Cantonese"}

func (f *facts) seedOrganisation(ctx context.Context) error {
	docs, err := f.store.Documents(ctx, sys, f.org.id)
	if err != nil {
		return err
	}
	if len(docs) > 0 {
		return nil // given its facts by an earlier run
	}
	// The draws are made in a fixed order so that each run gets the same.
	onFramework := f.rng.Float64() < 0.85
	insuranceEnds := day.MustParse("2027-03-31")
	if f.rng.Float64() < 0.08 {
		insuranceEnds = day.MustParse("2026-11-30") // runs out during the demo
	}
	if err := f.seedCompliance(ctx, onFramework, insuranceEnds); err != nil {
		return err
	}
	rated := map[uuid.UUID]bool{}
	for _, svc := range f.services {
		if svc.Status != providers.ServiceActive {
			continue
		}
		if !rated[svc.LocationID] {
			rated[svc.LocationID] = true
			if err := f.seedRating(ctx, svc.Location); err != nil {
				return err
			}
		}
		if err := f.seedService(ctx, svc); err != nil {
			return err
		}
	}
	return nil
}

func (f *facts) seedCompliance(ctx context.Context, onFramework bool, insuranceEnds day.Date) error {
	status, reason := providers.ContractNone, "not on a council framework; spot purchase only"
	if onFramework {
		status, reason = providers.ContractActive, "call-off contract signed"
		done := map[string]bool{}
		for _, t := range sortedTypes(f.services) {
			lot, ok := f.lots[t]
			if !ok || done[lot.ID.String()] {
				continue
			}
			done[lot.ID.String()] = true
			starts := day.MustParse("2024-04-01")
			if t != providers.Homecare && t != providers.Reablement && t != providers.SpecialistHomecare && t != providers.SupportedLiving {
				starts = day.MustParse("2025-04-01")
			}
			if _, err := f.store.AddMembership(ctx, sys, f.org.id, providers.NewMembership{LotID: lot.ID, StartsOn: starts}); err != nil {
				return err
			}
			f.counts["framework memberships"]++
		}
	} else if f.rng.Float64() < 0.3 {
		status, reason = providers.ContractPending, "applied to join the DPS; checks in progress"
	}
	if status != providers.ContractNone {
		if _, err := f.store.SetContractStatus(ctx, sys, f.org.id, providers.ContractChange{Status: status, Reason: reason}); err != nil {
			return err
		}
	}
	doc, err := f.store.AddDocument(ctx, sys, f.org.id, providers.NewDocument{Kind: "insurance",
		Name: "Public and employers' liability insurance certificate", ValidFrom: insuranceEnds.AddMonths(-12).AddDays(1), ExpiresOn: insuranceEnds})
	if err != nil {
		return err
	}
	_, err = f.store.ReviewDocument(ctx, sys, doc.ID, providers.DocumentReview{Decision: "accepted", Note: "checked against the certificate"})
	return err
}

func (f *facts) seedRating(ctx context.Context, loc providers.Location) error {
	if loc.Rating != providers.NotYetRated || loc.RegistrationStatus != providers.Registered {
		return nil
	}
	rating := providers.Good
	switch x := f.rng.Float64(); {
	case x < 0.12:
		rating = providers.Outstanding
	case x < 0.84:
		rating = providers.Good
	case x < 0.96:
		rating = providers.RequiresImprovement
	default:
		rating = providers.Inadequate
	}
	on := day.MustParse("2023-01-02").AddDays(f.rng.IntN(1275)) // up to mid 2026
	_, err := f.store.SetLocationRating(ctx, sys, loc.ID, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: rating, RatingDate: on})
	f.counts["provider ratings"]++
	return err
}

func (f *facts) seedService(ctx context.Context, svc providers.Service) error {
	steps, err := f.store.Capacity(ctx, sys, svc.ID)
	if err != nil || len(steps) > 0 {
		return err
	}
	t := svc.ServiceType
	units := f.rng.IntN(7) // places
	if t.HourBased() {
		units = 20 + f.rng.IntN(101)
	}
	if _, err := f.store.SetCapacity(ctx, sys, svc.ID, providers.CapacityChange{From: CapacityFrom, Units: units}); err != nil {
		return err
	}
	lo, hi, step := rateRange(t)
	pence := lo + int64(f.rng.IntN(int((hi-lo)/step)+1))*step
	if _, err := f.store.AddRate(ctx, sys, svc.ID, providers.NewRate{Pence: pence, ValidFrom: day.MustParse("2026-04-01")}); err != nil {
		return err
	}
	langs := []string{"English"}
	for _, i := range f.rng.Perm(len(otherLanguages))[:f.rng.IntN(3)] {
		langs = append(langs, otherLanguages[i])
	}
	genders := []string{"female", "male"}
	if t.HourBased() && f.rng.Float64() < 0.2 {
		genders = []string{"female"}
	}
	changes := providers.ServiceChanges{Languages: &langs, CarerGenders: &genders}
	if t.HourBased() {
		changes.Coverage = &providers.Coverage{RadiusKm: float64(5 + f.rng.IntN(11))}
	}
	var specialisms []string
	if (t == providers.ResidentialCare || t == providers.NursingCare) && f.rng.Float64() < 0.5 {
		specialisms = append(specialisms, "dementia")
	}
	if t == providers.NursingCare && f.rng.Float64() < 0.3 {
		specialisms = append(specialisms, "end_of_life")
	}
	if t == providers.SupportedLiving {
		specialisms = append(specialisms, "learning_disability", "autism")
	}
	if len(specialisms) > 0 {
		changes.Specialisms = &specialisms
	}
	if _, err := f.store.ChangeService(ctx, sys, svc.ID, changes); err != nil {
		return err
	}
	f.counts["provider services given facts"]++
	return nil
}

// rateRange is the demo's price range for a type, in pence, with the step
// prices move in: care homes by the week, care at home by the hour.
func rateRange(t providers.ServiceType) (lo, hi, step int64) {
	switch t {
	case providers.ResidentialCare, providers.Respite:
		return 80000, 110000, 500
	case providers.NursingCare, providers.SpecialistResidentialNursing, providers.SpecialistRespite:
		return 100000, 140000, 500
	case providers.SharedLives, providers.DayServices, providers.SpecialistDayServices:
		return 40000, 70000, 500
	case providers.SupportedLiving, providers.SpecialistHomecare:
		return 2400, 3000, 5
	}
	return 2200, 2800, 5 // homecare, reablement
}

// demoProviderUsers is how many provider users of each kind the demo makes.
const demoProviderUsers = 3

// seedProviderUsers creates provider1@... provider6@demo.carebroker.example:
// three for homecare agencies and three for care homes, each on a
// framework and not under embargo.
func seedProviderUsers(ctx context.Context, db *postgres.DB, r *Report) error {
	pick := func(types string, n int) ([]demoOrg, error) {
		var rows []struct {
			ID   uuid.UUID `gorm:"column:id"`
			Name string    `gorm:"column:name"`
		}
		err := db.Gorm(ctx).Raw(`SELECT o.id, o.name FROM provider_organisations o
			WHERE o.contract_status = 'active'
			  AND EXISTS (SELECT 1 FROM provider_services s WHERE s.organisation_id = o.id AND s.status = 'active' AND s.service_type IN (`+types+`))
			  AND NOT EXISTS (SELECT 1 FROM provider_suspensions p WHERE p.organisation_id = o.id)
			ORDER BY lower(o.name) LIMIT ?`, n).Scan(&rows).Error
		out := make([]demoOrg, len(rows))
		for i, row := range rows {
			out[i] = demoOrg{id: row.ID, name: row.Name}
		}
		return out, err
	}
	homecare, err := pick(`'homecare'`, demoProviderUsers)
	if err != nil {
		return err
	}
	homes, err := pick(`'residential_care', 'nursing_care'`, demoProviderUsers)
	if err != nil {
		return err
	}
	users := accounts.NewStore(db)
	for i, o := range append(homecare, homes...) {
		id := o.id
		n := accounts.NewUser{Email: fmt.Sprintf("provider%d@demo.carebroker.example", i+1), DisplayName: "Provider user at " + o.name,
			Role: accounts.ProviderUser, ProviderOrgID: &id}
		if err := ensureUser(ctx, users, n, r); err != nil {
			return err
		}
	}
	return nil
}
