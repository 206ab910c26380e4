package brokerage

import (
	"fmt"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

var (
	directoryAdmin = accounts.Actor{Name: "test directory admin", Role: accounts.System}
	providerSeq    atomic.Int64
)

// provider is a directory organisation with one service, and a user of it.
type provider struct {
	OrgID     uuid.UUID
	ServiceID uuid.UUID
	Name      string
	User      accounts.Actor
}

// providerOpts shape a test provider. The zero value is compliant, rated
// Good, 1 km from the test persons, with plenty of capacity.
type providerOpts struct {
	units      int   // capacity from 1 November 2026; 40 if zero
	ratePence  int64 // per hour or per place a week; 2400 if zero
	suspended  bool
	noContract bool
	kmEast     float64
}

// provider adds a provider of service type t to the directory.
func (f *fixture) provider(t providers.ServiceType, o providerOpts) provider {
	f.t.Helper()
	if o.units == 0 {
		o.units = 40
	}
	if o.ratePence == 0 {
		o.ratePence = 2400
	}
	n := providerSeq.Add(1)
	must := func(err error) {
		f.t.Helper()
		if err != nil {
			f.t.Fatal(err)
		}
	}
	org, err := f.dir.CreateOrganisation(ctx, directoryAdmin, providers.NewOrganisation{Name: fmt.Sprintf("Care Provider %d Ltd", n)})
	must(err)
	// The test persons live at 53.4631, -2.2913 (Old Trafford); 0.0150 degrees of longitude is about 1 km there.
	lat, lon := 53.4631, -2.2913+0.0150*(1+o.kmEast)
	loc, svcs, err := f.dir.CreateLocation(ctx, directoryAdmin, providers.NewLocation{
		OrganisationID: org.ID, Name: fmt.Sprintf("Care Service %d", n), CQCLocationID: fmt.Sprintf("1-%09d", 500000+n),
		Address: fmt.Sprintf("%d Provider Road, Stretford", n), Postcode: "M32 0JG", Latitude: &lat, Longitude: &lon,
		ServiceTypes: []providers.ServiceType{t},
	})
	must(err)
	_, err = f.dir.SetLocationRating(ctx, directoryAdmin, loc.ID, providers.LocationRating{
		RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 6, 1)})
	must(err)
	svc := svcs[0]
	_, err = f.dir.SetCapacity(ctx, directoryAdmin, svc.ID, providers.CapacityChange{From: day.New(2026, 11, 1), Units: o.units})
	must(err)
	_, err = f.dir.AddRate(ctx, directoryAdmin, svc.ID, providers.NewRate{Pence: o.ratePence, ValidFrom: day.New(2026, 4, 1)})
	must(err)
	_, err = f.dir.AddMembership(ctx, directoryAdmin, org.ID, providers.NewMembership{LotID: f.lot(t).ID, StartsOn: day.New(2026, 4, 1)})
	must(err)
	if !o.noContract {
		_, err = f.dir.SetContractStatus(ctx, directoryAdmin, org.ID, providers.ContractChange{Status: providers.ContractActive, Reason: "contract signed"})
		must(err)
	}
	doc, err := f.dir.AddDocument(ctx, directoryAdmin, org.ID, providers.NewDocument{
		Kind: "insurance", Name: "Public liability", ValidFrom: day.New(2026, 4, 1), ExpiresOn: day.New(2027, 12, 31)})
	must(err)
	_, err = f.dir.ReviewDocument(ctx, directoryAdmin, doc.ID, providers.DocumentReview{Decision: "accepted"})
	must(err)
	if o.suspended {
		_, err = f.dir.Suspend(ctx, directoryAdmin, org.ID, providers.NewSuspension{Kind: "suspension", Reason: "quality concerns", StartsOn: day.New(2026, 11, 20)})
		must(err)
	}
	id := org.ID
	return provider{OrgID: org.ID, ServiceID: svc.ID, Name: org.Name, User: f.actor(accounts.ProviderUser, "", &id, nil)}
}

// lot returns the test framework's lot for t, making the framework once.
func (f *fixture) lot(t providers.ServiceType) providers.Lot {
	f.t.Helper()
	if f.lots == nil {
		var lots []providers.NewLot
		for _, code := range []providers.ServiceType{"homecare", "residential_care", "day_services", "specialist_homecare", "nursing_care"} {
			lots = append(lots, providers.NewLot{Name: "Lot " + string(code), ServiceTypes: []providers.ServiceType{code}})
		}
		fw, err := f.dir.CreateFramework(ctx, directoryAdmin, providers.NewFramework{
			Name: "Test Care Framework", Kind: providers.KindFramework, StartsOn: day.New(2024, 4, 1), Lots: lots})
		if err != nil {
			f.t.Fatal(err)
		}
		f.lots = map[providers.ServiceType]providers.Lot{}
		for _, l := range fw.Lots {
			f.lots[l.ServiceTypes[0]] = l
		}
	}
	return f.lots[t]
}
