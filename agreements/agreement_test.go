package agreements

import (
	"testing"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

func TestNewAgreementValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(n *NewAgreement)
		field string
	}{
		{"valid", func(n *NewAgreement) {}, ""},
		{"places instead of hours", func(n *NewAgreement) { n.HoursPerWeek, n.HourlyRatePence, n.Places = 0, 0, 1 }, ""},
		{"no request", func(n *NewAgreement) { n.RequestID = [16]byte{} }, "request_id"},
		{"no provider", func(n *NewAgreement) { n.ProviderOrgID = [16]byte{} }, "provider_org_id"},
		{"blank person name", func(n *NewAgreement) { n.PersonName = "   " }, "person_name"},
		{"unknown team", func(n *NewAgreement) { n.Team = "astronauts" }, "team"},
		{"hours and places", func(n *NewAgreement) { n.Places = 1 }, "hours_per_week"},
		{"neither hours nor places", func(n *NewAgreement) { n.HoursPerWeek = 0 }, "hours_per_week"},
		{"more hours than a week has", func(n *NewAgreement) { n.HoursPerWeek = 169 }, "hours_per_week"},
		{"negative places", func(n *NewAgreement) { n.Places = -1 }, "places"},
		{"hours without a rate", func(n *NewAgreement) { n.HourlyRatePence = 0 }, "hourly_rate_pence"},
		{"negative rate", func(n *NewAgreement) { n.HourlyRatePence = -1 }, "hourly_rate_pence"},
		{"free", func(n *NewAgreement) { n.WeeklyCostPence = 0 }, "weekly_cost_pence"},
		{"no start date", func(n *NewAgreement) { n.StartDate = day.Date{} }, "start_date"},
		{"unknown funding", func(n *NewAgreement) { n.Funding = "lottery" }, "funding"},
		{"no needs", func(n *NewAgreement) { n.InformationPack.Needs = nil }, "information_pack.needs"},
		{"need without outcome", func(n *NewAgreement) { n.InformationPack.Needs[1].Outcome = "" }, "information_pack.needs[1].outcome"},
		{"no postcode", func(n *NewAgreement) { n.InformationPack.Postcode = "" }, "information_pack.postcode"},
		{"no contact", func(n *NewAgreement) { n.InformationPack.Contact.Name = "" }, "information_pack.contact.name"},
		{"representative without name", func(n *NewAgreement) { n.InformationPack.Representative.Name = "" }, "information_pack.representative.name"},
		{"blank risk", func(n *NewAgreement) { n.InformationPack.KeyRisks = []string{" "} }, "information_pack.key_risks[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := sampleAgreement()
			tt.edit(&n)
			err := n.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid agreement refused: %v", err)
				}
				return
			}
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || e.Field != tt.field {
				t.Fatalf("got %v, want Invalid naming %s", err, tt.field)
			}
		})
	}
}

func TestValidateNormalisesThePack(t *testing.T) {
	t.Parallel()
	n := sampleAgreement()
	n.InformationPack.KeyRisks = nil
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.InformationPack.Postcode != "M5 4WT" {
		t.Fatalf("postcode %q, want upper case", n.InformationPack.Postcode)
	}
	if n.InformationPack.KeyRisks == nil {
		t.Fatal("key risks should be an empty list, not null, so the pack's JSON is stable")
	}
}
