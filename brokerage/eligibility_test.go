package brokerage

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/providers"
)

// TestEligibilityOfADirectoryCandidate asks the matcher's rules, through
// the one conversion, about a directory candidate changed one fact at a
// time: each gives the matcher's code and its sentence with the day.
func TestEligibilityOfADirectoryCandidate(t *testing.T) {
	t.Parallel()
	on := day.MustParse("2026-12-14")
	base := func() providers.Candidate {
		return providers.Candidate{
			ServiceID: uuid.New(), ServiceType: providers.Homecare, Status: providers.ServiceActive,
			RegistrationStatus: providers.Registered, Rating: providers.Rating("good"),
			Compliance: providers.Compliance{
				ContractStatus: providers.ContractActive, RequiresCQC: true,
				Memberships: []providers.Membership{{Kind: providers.KindFramework, FrameworkName: "F", ServiceTypes: []providers.ServiceType{providers.Homecare},
					StartsOn: day.MustParse("2026-01-01"), FrameworkStartsOn: day.MustParse("2024-04-01"), FrameworkEndsOn: day.MustParse("2028-03-31")}},
				InsuranceCover: []providers.InsuranceCover{{From: day.MustParse("2026-04-01"), To: day.MustParse("2027-03-31")}},
			},
		}
	}
	cover := func(spans ...string) []providers.InsuranceCover {
		var out []providers.InsuranceCover
		for _, s := range spans {
			from, to, _ := strings.Cut(s, "/")
			out = append(out, providers.InsuranceCover{From: day.MustParse(from), To: day.MustParse(to)})
		}
		return out
	}
	tests := []struct {
		name   string
		change func(*providers.Candidate)
		want   string // codes, then the first reason's sentence
	}{
		{"compliant", func(*providers.Candidate) {}, ""},
		{"inactive", func(c *providers.Candidate) { c.Status = providers.ServiceInactive },
			"service_inactive: the service is no longer offered"},
		{"deregistered", func(c *providers.Candidate) { c.RegistrationStatus = providers.Deregistered },
			"not_cqc_registered: not registered with the CQC"},
		{"day services need no CQC registration", func(c *providers.Candidate) {
			c.ServiceType, c.RegistrationStatus, c.Compliance.RequiresCQC = providers.DayServices, providers.NotRegistered, false
			c.Compliance.Memberships[0].ServiceTypes = []providers.ServiceType{providers.DayServices}
		}, ""},
		{"a deregistered day service", func(c *providers.Candidate) {
			c.ServiceType, c.RegistrationStatus, c.Compliance.RequiresCQC = providers.DayServices, providers.Deregistered, false
			c.Compliance.Memberships[0].ServiceTypes = []providers.ServiceType{providers.DayServices}
		}, "not_cqc_registered: not registered with the CQC"},
		{"rated Inadequate", func(c *providers.Candidate) { c.Rating = providers.Rating("inadequate") },
			"rating_not_allowed: CQC rating Inadequate"},
		{"membership ended", func(c *providers.Candidate) { c.Compliance.Memberships[0].EndsOn = day.MustParse("2026-11-30") },
			"no_framework: not on a framework or contract on 14 December 2026"},
		{"framework not started", func(c *providers.Candidate) {
			c.Compliance.Memberships[0].FrameworkStartsOn = day.MustParse("2026-12-15")
		},
			"no_framework: not on a framework or contract on 14 December 2026"},
		{"lot for another type", func(c *providers.Candidate) {
			c.Compliance.Memberships[0].ServiceTypes = []providers.ServiceType{providers.NursingCare}
		}, "no_framework: not on a framework or contract on 14 December 2026"},
		{"contract pending", func(c *providers.Candidate) { c.Compliance.ContractStatus = providers.ContractPending },
			"contract_not_active: contract is pending, not active"},
		{"no contract at all", func(c *providers.Candidate) { c.Compliance.ContractStatus = providers.ContractNone },
			"contract_not_active: no contract with the council"},
		{"no insurance evidence", func(c *providers.Candidate) { c.Compliance.InsuranceCover = nil },
			"no_insurance: no accepted insurance evidence covers 14 December 2026"},
		{"insurance expired", func(c *providers.Candidate) { c.Compliance.InsuranceCover = cover("2025-04-01/2026-03-31") },
			"insurance_expired: insurance expired on 31 March 2026"},
		{"insurance only from next year", func(c *providers.Candidate) { c.Compliance.InsuranceCover = cover("2027-01-01/2027-12-31") },
			"no_insurance: no accepted insurance evidence covers 14 December 2026; the next cover starts on 1 January 2027"},
		{"a gap in cover on the day", func(c *providers.Candidate) {
			c.Compliance.InsuranceCover = cover("2026-01-01/2026-12-13", "2026-12-15/2027-12-14")
		}, "no_insurance: no accepted insurance evidence covers 14 December 2026; the next cover starts on 15 December 2026"},
		{"covered by the second of two", func(c *providers.Candidate) {
			c.Compliance.InsuranceCover = cover("2025-01-01/2025-12-31", "2026-12-14/2027-12-13")
		}, ""},
		{"embargo open-ended", func(c *providers.Candidate) {
			c.Compliance.Suspensions = []providers.Suspension{{Kind: "embargo", Reason: "quality concerns", StartsOn: day.MustParse("2026-11-01")}}
		}, "suspended: under a council embargo from 1 November 2026 until further notice: quality concerns"},
		{"suspension over", func(c *providers.Candidate) {
			c.Compliance.Suspensions = []providers.Suspension{{Kind: "suspension", Reason: "x", StartsOn: day.MustParse("2026-10-01"), EndsOn: day.MustParse("2026-11-30")}}
		}, ""},
		{"several at once", func(c *providers.Candidate) {
			c.Compliance.ContractStatus = providers.ContractTerminated
			c.Compliance.Memberships = nil
		}, "no_framework,contract_not_active: not on a framework or contract on 14 December 2026"},
	}
	rules, err := matching.NewRules(matching.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := base()
			tt.change(&c)
			e, err := eligibilityOf(rules, c, on)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, r := range e.Reasons {
				codes = append(codes, r.Code)
			}
			got := ""
			if len(e.Reasons) > 0 {
				got = strings.Join(codes, ",") + ": " + e.Reasons[0].Detail
			}
			if got != tt.want || e.Compliant != (tt.want == "") || e.On != on || e.ServiceID != c.ServiceID {
				t.Fatalf("got %q (compliant %v), want %q", got, e.Compliant, tt.want)
			}
		})
	}
}

// TestInviteAsksTheRulesAgain suspends a provider after the match ranked
// it: inviting it is refused with the matcher's reason, and nothing is
// sent; the compliant provider can still be invited.
func TestInviteAsksTheRulesAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good, late := f.provider("homecare", providerOpts{}), f.provider("homecare", providerOpts{kmEast: 1})
	prac, broker := f.practitioner("community_led_support"), f.actor(accounts.Broker, "", nil, nil)
	_, _, reqs := f.signedOff(prac, "Maryam Shah")
	run, err := f.svc.RunMatch(ctx, broker, reqs[0].ID)
	if err != nil || len(run.Ranked) != 2 {
		t.Fatalf("match: %d ranked, %v", len(run.Ranked), err)
	}
	if _, err := f.dir.Suspend(ctx, directoryAdmin, late.OrgID, providers.NewSuspension{Kind: "embargo",
		Reason: "safeguarding enquiry", StartsOn: f.today()}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Invite(ctx, broker, reqs[0].ID, []uuid.UUID{good.ServiceID, late.ServiceID})
	want := "is not compliant on the start date, " + reqs[0].StartDate.UK() + ": under a council embargo from " + f.today().UK() +
		" until further notice: safeguarding enquiry; run the matcher again"
	if fe := errs.As(err); fe == nil || fe.Code != errs.Invalid || fe.Field != "service_ids[1]" || fe.Message != want {
		t.Fatalf("inviting the embargoed provider: %v, want Invalid service_ids[1] %q", err, want)
	}
	if n := f.count("invitations", "request_id = ?", reqs[0].ID); n != 0 {
		t.Fatalf("%d invitations written by the refused invite", n)
	}
	if invs, err := f.svc.Invite(ctx, broker, reqs[0].ID, []uuid.UUID{good.ServiceID}); err != nil || len(invs) != 1 {
		t.Fatalf("inviting the compliant provider: %v", err)
	}
}

// TestEligibilityReadsTheDirectory asks about a compliant service, one
// whose insurance begins after the day, and an id the directory does not
// have.
func TestEligibilityReadsTheDirectory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := f.provider("homecare", providerOpts{})
	on := day.New(2026, 3, 31) // the test provider's membership and insurance begin on 1 April 2026
	unknown := uuid.New()
	got, err := f.svc.Eligibility(ctx, on, []uuid.UUID{good.ServiceID, unknown})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[unknown]; ok || len(got) != 1 {
		t.Fatalf("answers %+v, want one, the unknown id left out", got)
	}
	e := got[good.ServiceID]
	want := []EligibilityReason{{Code: "no_framework", Detail: "not on a framework or contract on 31 March 2026"},
		{Code: "no_insurance", Detail: "no accepted insurance evidence covers 31 March 2026; the next cover starts on 1 April 2026"}}
	if e.Compliant || !reflect.DeepEqual(e.Reasons, want) {
		t.Fatalf("the day before cover begins: %+v", e)
	}
	if e := must(f.svc.Eligibility(ctx, day.New(2026, 12, 1), []uuid.UUID{good.ServiceID}))[good.ServiceID]; !e.Compliant || len(e.Reasons) != 0 {
		t.Fatalf("a covered day: %+v", e)
	}
	if _, err := f.svc.Eligibility(ctx, day.Date{}, []uuid.UUID{good.ServiceID}); errs.As(err) == nil || errs.As(err).Field != "on" {
		t.Fatalf("no day: %v, want Invalid naming on", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
