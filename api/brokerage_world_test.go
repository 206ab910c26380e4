package api

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/demo"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

var worldSeq atomic.Int64

// signIn logs a demo user in through the API and returns the access token.
func (h *harness) signIn(email string) string {
	h.t.Helper()
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": demo.Password(email)})
	wantStatus(h.t, r, http.StatusOK)
	return r.json(h.t)["access_token"].(string)
}

// directoryProvider is a provider added to the directory for a test, with a
// signed-in user of it.
type directoryProvider struct {
	OrgID, ServiceID uuid.UUID
	Token            string
}

// homecareProvider adds a compliant homecare provider at lat, lon with 40
// hours a week free and the given hourly rate, and a user of it.
func (h *harness) homecareProvider(t *testing.T, rate int64, lat, lon float64) directoryProvider {
	t.Helper()
	ctx := context.Background()
	dir, sys := h.srv.Providers, accounts.SystemActor
	n := worldSeq.Add(1)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fw, err := dir.CreateFramework(ctx, sys, providers.NewFramework{Name: fmt.Sprintf("Test home care framework %d", n), Kind: providers.KindFramework,
		StartsOn: day.New(2024, 4, 1), Lots: []providers.NewLot{{Name: "Home care", ServiceTypes: []providers.ServiceType{"homecare"}}}})
	must(err)
	org, err := dir.CreateOrganisation(ctx, sys, providers.NewOrganisation{Name: fmt.Sprintf("Test Home Care %d Ltd", n)})
	must(err)
	loc, svcs, err := dir.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: org.ID, Name: fmt.Sprintf("Test Home Care %d (Urmston)", n),
		CQCLocationID: fmt.Sprintf("1-%09d", 700000+n), Address: fmt.Sprintf("%d Flixton Road, Urmston", n), Postcode: "M41 5BU",
		Latitude: &lat, Longitude: &lon, ServiceTypes: []providers.ServiceType{"homecare"}})
	must(err)
	_, err = dir.SetLocationRating(ctx, sys, loc.ID, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 3, 1)})
	must(err)
	_, err = dir.SetCapacity(ctx, sys, svcs[0].ID, providers.CapacityChange{From: day.New(2024, 1, 1), Units: 40})
	must(err)
	_, err = dir.AddRate(ctx, sys, svcs[0].ID, providers.NewRate{Pence: rate, ValidFrom: day.New(2024, 4, 1)})
	must(err)
	_, err = dir.AddMembership(ctx, sys, org.ID, providers.NewMembership{LotID: fw.Lots[0].ID, StartsOn: day.New(2024, 4, 1)})
	must(err)
	_, err = dir.SetContractStatus(ctx, sys, org.ID, providers.ContractChange{Status: providers.ContractActive, Reason: "signed"})
	must(err)
	doc, err := dir.AddDocument(ctx, sys, org.ID, providers.NewDocument{Kind: "insurance", Name: "Liability", ValidFrom: day.New(2024, 4, 1), ExpiresOn: day.New(2030, 3, 31)})
	must(err)
	_, err = dir.ReviewDocument(ctx, sys, doc.ID, providers.DocumentReview{Decision: "accepted"})
	must(err)
	id := org.ID
	_, tok := h.user(accounts.NewUser{Email: fmt.Sprintf("carer%d@provider.test", n), Role: accounts.ProviderUser, ProviderOrgID: &id})
	return directoryProvider{OrgID: org.ID, ServiceID: svcs[0].ID, Token: tok}
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
