package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// TestInsuranceCoverGivesOneAnswerEverywhere is issue 13's first defect:
// a care home whose only accepted insurance begins after the start date
// was ranked by the match while the eligibility endpoint said no_insurance.
// For each state of cover, the match (POST /api/v1/requests/{id}/match),
// the eligibility endpoint, the broker's request page and an invitation
// must now give the one answer of the matcher's rules.
func TestInsuranceCoverGivesOneAnswerEverywhere(t *testing.T) {
	t.Parallel()
	w := newWorld(t, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	start := day.New(2026, 12, 14)
	cases := []struct {
		name   string
		covers []string // accepted insurance evidence, "from/to"
		code   string   // "" when compliant
		text   string
	}{
		{"no evidence", nil, "no_insurance", "no accepted insurance evidence covers 14 December 2026"},
		{"expired", []string{"2025-12-14/2026-12-13"}, "insurance_expired", "insurance expired on 13 December 2026"},
		{"future only", []string{"2027-01-01/2027-12-31"}, "no_insurance",
			"no accepted insurance evidence covers 14 December 2026; the next cover starts on 1 January 2027"},
		{"a gap on the day", []string{"2025-12-14/2026-12-13", "2026-12-15/2027-12-14"}, "no_insurance",
			"no accepted insurance evidence covers 14 December 2026; the next cover starts on 15 December 2026"},
		{"covered", []string{"2026-04-01/2027-03-31"}, "", ""},
	}
	lot := w.homecareLot()
	services := make([]careHome, len(cases))
	for i, c := range cases {
		services[i] = w.homecareService(lot, fmt.Sprintf("Cover Case %d (%s)", i, c.name), c.covers)
	}
	request := w.homecareRequest(start)
	broker := w.user(accounts.Broker, "", nil)

	var run brokerage.MatchView
	w.decode(w.call("POST", "/api/v1/requests/"+request.String()+"/match", broker, nil), http.StatusCreated, &run)
	page := w.browser(broker).page(t, "/broker/requests/"+request.String())

	for i, c := range cases {
		s := services[i]
		t.Run(c.name, func(t *testing.T) {
			// The match.
			var ranked bool
			var reasons []brokerage.Explained
			for _, r := range run.Ranked {
				ranked = ranked || r.ServiceID == s.ID.String()
			}
			for _, e := range run.Excluded {
				if e.ServiceID == s.ID.String() {
					reasons = e.Reasons
				}
			}
			if c.code == "" {
				if !ranked || reasons != nil {
					t.Errorf("match: ranked %v, excluded for %+v; want it ranked", ranked, reasons)
				}
			} else if ranked || len(reasons) != 1 || reasons[0].Code != c.code || reasons[0].Text != c.text {
				t.Errorf("match: ranked %v, excluded for %+v; want excluded for %s %q", ranked, reasons, c.code, c.text)
			}

			// The eligibility endpoint, on the start date.
			var e struct {
				Compliant bool
				Reasons   []struct{ Code, Detail string }
			}
			w.decode(w.call("GET", "/api/v1/provider-services/"+s.ID.String()+"/eligibility?on="+start.String(), broker, nil), http.StatusOK, &e)
			switch {
			case c.code == "" && (!e.Compliant || len(e.Reasons) != 0):
				t.Errorf("eligibility: %+v, want compliant", e)
			case c.code != "" && (e.Compliant || len(e.Reasons) != 1 || e.Reasons[0].Code != c.code || e.Reasons[0].Detail != c.text):
				t.Errorf("eligibility: %+v, want %s %q", e, c.code, c.text)
			}

			// The broker's request page: the shortlist to invite, or the
			// row of services left out with the same words, as a sentence.
			shortlisted := strings.Contains(page, `value="`+s.ID.String()+`"`)
			row := rowWith(page, s.Name)
			if c.code == "" {
				if !shortlisted || strings.Contains(row, "insurance") {
					t.Errorf("page: shortlisted %v, row %q; want it on the shortlist", shortlisted, row)
				}
			} else if sentence := strings.ToUpper(c.text[:1]) + c.text[1:] + "."; shortlisted || !strings.Contains(row, ">"+sentence+"<") {
				t.Errorf("page: shortlisted %v, row %q; want it left out because %q", shortlisted, row, c.text)
			}

			// Inviting it.
			r := w.call("POST", "/api/v1/requests/"+request.String()+"/invitations", broker, map[string]any{"service_ids": []uuid.UUID{s.ID}})
			if c.code == "" {
				if r.Code != http.StatusCreated {
					t.Errorf("invite: %d %s, want 201", r.Code, r.Body)
				}
			} else if r.Code != http.StatusBadRequest || !strings.Contains(r.Body.String(), "service_ids[0]") || !strings.Contains(r.Body.String(), c.text) {
				t.Errorf("invite: %d %s, want 400 naming service_ids[0] with %q", r.Code, r.Body, c.text)
			}
		})
	}
}

// careHome is a service in the world's directory.
type careHome struct {
	ID   uuid.UUID
	Name string
}

var sys = accounts.Actor{Name: "test directory", Role: accounts.System}

func (w *world) homecareLot() providers.Lot {
	w.t.Helper()
	fw, err := w.deps.Providers.CreateFramework(context.Background(), sys, providers.NewFramework{Name: "Home Care Framework", Kind: providers.KindFramework,
		StartsOn: day.New(2024, 4, 1), Lots: []providers.NewLot{{Name: "Home care", ServiceTypes: []providers.ServiceType{"homecare"}}}})
	w.must(err)
	return fw.Lots[0]
}

// homecareService adds a homecare provider a kilometre from the world's
// people, compliant on every count but insurance, whose accepted insurance
// evidence covers the spans given ("2026-04-01/2027-03-31").
func (w *world) homecareService(lot providers.Lot, name string, covers []string) careHome {
	w.t.Helper()
	ctx, dir := context.Background(), w.deps.Providers
	org, loc, svc := w.newService(name)
	_, err := dir.SetLocationRating(ctx, sys, loc, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 6, 1)})
	w.must(err)
	_, err = dir.SetCapacity(ctx, sys, svc, providers.CapacityChange{From: day.New(2026, 11, 1), Units: 40})
	w.must(err)
	_, err = dir.AddRate(ctx, sys, svc, providers.NewRate{Pence: 2400, ValidFrom: day.New(2026, 4, 1)})
	w.must(err)
	_, err = dir.AddMembership(ctx, sys, org, providers.NewMembership{LotID: lot.ID, StartsOn: day.New(2024, 4, 1)})
	w.must(err)
	_, err = dir.SetContractStatus(ctx, sys, org, providers.ContractChange{Status: providers.ContractActive, Reason: "signed"})
	w.must(err)
	for _, span := range covers {
		from, to, _ := strings.Cut(span, "/")
		doc, err := dir.AddDocument(ctx, sys, org, providers.NewDocument{Kind: "insurance", Name: "Public liability " + span,
			ValidFrom: day.MustParse(from), ExpiresOn: day.MustParse(to)})
		w.must(err)
		_, err = dir.ReviewDocument(ctx, sys, doc.ID, providers.DocumentReview{Decision: "accepted"})
		w.must(err)
	}
	return careHome{ID: svc, Name: name}
}

var cqcSeq atomic.Int64

// newService adds an organisation (name + " Ltd") with a homecare location
// a kilometre from the world's people, and returns the ids of the
// organisation, the location and its service.
func (w *world) newService(name string) (org, loc, svc uuid.UUID) {
	w.t.Helper()
	ctx, dir := context.Background(), w.deps.Providers
	o, err := dir.CreateOrganisation(ctx, sys, providers.NewOrganisation{Name: name + " Ltd"})
	w.must(err)
	lat, lon := 53.4631, -2.2763
	l, svcs, err := dir.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: o.ID, Name: name,
		CQCLocationID: fmt.Sprintf("1-%09d", 900000+cqcSeq.Add(1)), Address: "1 Chester Road, Stretford", Postcode: "M32 0JG",
		Latitude: &lat, Longitude: &lon, ServiceTypes: []providers.ServiceType{"homecare"}})
	w.must(err)
	return o.ID, l.ID, svcs[0].ID
}

// homecareRequest signs off a plan of 14 hours of home care a week from
// start for a person in Old Trafford, and returns the request's id.
func (w *world) homecareRequest(start day.Date) uuid.UUID {
	w.t.Helper()
	ctx, brk := context.Background(), w.deps.Brokerage
	prac := w.user(accounts.Practitioner, "community_led_support", nil).Actor()
	lat, lon := 53.4631, -2.2913
	p, err := brk.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Maryam Shah", DateOfBirth: day.New(1941, 3, 14),
		Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA", Latitude: &lat, Longitude: &lon})
	w.must(err)
	plan, err := brk.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: p.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 40000, Needs: []plans.NewNeed{{Outcome: "Get up, washed and dressed each morning",
			HowMet: plans.CouncilArranged, WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14,
			StartDate: start, Urgency: plans.Standard}}}})
	w.must(err)
	_, reqs, err := brk.SignOffPlan(ctx, prac, plan.ID)
	w.must(err)
	return reqs[0].ID
}
