package brokerage

import (
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

// The agreement names the council properly, the provider's CQC location
// and its address, the amount over budget an approver allowed and who, and
// has a place for both parties' acceptance: the council's when the start
// date is agreed, the provider's from its portal (once, with time and user).
func TestAFullerAgreementNamesThePartiesAndRecordsAcceptance(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dear := f.provider("homecare", providerOpts{ratePence: 2600}) // £364 a week: £14 over the £350
	other := f.provider("homecare", providerOpts{kmEast: 1})
	broker, person, r, invs := f.invited("Fuller Example", dear)
	approver := f.actor(accounts.BudgetApprover, "", nil, nil)
	o, err := f.svc.MakeOffer(ctx, dear.User, invs[0].ID, f.hourlyOffer(2600))
	if err != nil || !o.OverBudget {
		t.Fatalf("offer %+v, %v", o, err)
	}
	if _, err := f.svc.DecideOffer(ctx, approver, o.ID, true, "no cheaper home care in the area"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID, Reason: "the person told me by phone"}); err != nil {
		t.Fatal(err)
	}
	f.advance(26 * 60 * 60 * 1e9)
	ag, err := f.svc.AgreeStartDate(ctx, broker, r.ID, f.today().AddDays(7))
	if err != nil {
		t.Fatal(err)
	}
	if ag.OverBudget == nil || ag.OverBudget.WeeklyPence != 1400 || ag.OverBudget.ApprovedBy != "Test budget_approver" || ag.OverBudget.ApprovedAt == nil {
		t.Fatalf("over budget %+v", ag.OverBudget)
	}
	if !strings.HasPrefix(ag.CQCLocationID, "1-") || !strings.Contains(ag.LocationAddress, "Provider Road, Stretford, M32 0JG") {
		t.Fatalf("location %q %q %q", ag.CQCLocationID, ag.LocationName, ag.LocationAddress)
	}
	if ag.Acceptance.CouncilBy != "Test broker (broker)" || ag.Acceptance.ProviderAt != nil {
		t.Fatalf("acceptance %+v", ag.Acceptance)
	}

	// Only the provider's own users accept, and once.
	_, err = f.deals.Accept(ctx, broker, ag.ID)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.deals.Accept(ctx, other.User, ag.ID)
	wantErr(t, err, errs.NotFound, "")
	accepted, err := f.deals.Accept(ctx, dear.User, ag.ID)
	if err != nil || accepted.Acceptance.ProviderBy != "Test provider" || accepted.Acceptance.ProviderAt == nil ||
		*accepted.Acceptance.ProviderByID != dear.User.UserID {
		t.Fatalf("accepted %+v, %v", accepted.Acceptance, err)
	}
	_, err = f.deals.Accept(ctx, dear.User, ag.ID)
	wantErr(t, err, errs.Conflict, "")
	if n := f.count("audit_events", "action = 'agreement.accept'"); n != 1 {
		t.Fatalf("%d acceptance events", n)
	}

	// The document says all of it.
	deals := agreements.NewStore(f.db, agreements.WithClock(f.clock), agreements.WithCouncil(agreements.Council{
		Name: "Trafford Council", Address: "Trafford Town Hall, Talbot Road, Stretford, M32 0TH",
		Team: "Brokerage team", Contact: "brokerage@trafford.example, 0161 912 2000"}))
	doc, err := deals.Document(ctx, dear.User, ag.ID, agreements.HTML)
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.Body)
	for _, want := range []string{"Trafford Council", "Trafford Town Hall, Talbot Road, Stretford, M32 0TH",
		"Brokerage team (brokerage@trafford.example, 0161 912 2000)", "CQC location id", ag.CQCLocationID, "Provider Road, Stretford, M32 0JG",
		"£14.00 a week, allowed by Test budget_approver on", "For the council", "by Test broker (broker)",
		"For the provider", "by Test provider", person.Name} {
		if !strings.Contains(html, want) {
			t.Fatalf("the document lacks %q:\n%s", want, html)
		}
	}
	if _, err := deals.Document(ctx, dear.User, ag.ID, agreements.PDF); err != nil {
		t.Fatal(err)
	}
}
