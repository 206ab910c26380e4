package brokerage

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// op is one thing a use case can do to a request. Each is tried on a
// request in every status, with its other preconditions met.
type op struct {
	name string
	do   func(r *Request) (*Transition, error)
}

var ops = []op{
	{"begin matching", func(r *Request) (*Transition, error) { return r.BeginMatching(t0) }},
	{"invite", func(r *Request) (*Transition, error) { return r.Invite(t0, t0.Add(48*time.Hour)) }},
	{"receive offer", func(r *Request) (*Transition, error) { return r.ReceiveOffer(t0) }},
	{"choose", func(r *Request) (*Transition, error) { return r.Choose(t0, uuid.New(), "person chose") }},
	{"reopen choice", func(r *Request) (*Transition, error) { return r.ReopenChoice(t0, "no place left", 1) }},
	{"reopen choice, no offer standing", func(r *Request) (*Transition, error) { return r.ReopenChoice(t0, "no place left", 0) }},
	{"agree", func(r *Request) (*Transition, error) {
		return r.Agree(t0, day.New(2026, 12, 7), uuid.New())
	}},
	{"hold", func(r *Request) (*Transition, error) { return r.Hold(t0, "in hospital") }},
	{"resume", func(r *Request) (*Transition, error) { return r.Resume(t0, "home again") }},
	{"cancel", func(r *Request) (*Transition, error) { return r.Cancel(t0, "moved away") }},
	{"give up waiting", func(r *Request) (*Transition, error) { return r.GiveUpWaiting(t0.Add(time.Hour), 0) }},
	{"extend deadline", func(r *Request) (*Transition, error) { return r.ExtendDeadline(t0, t0.Add(72*time.Hour)) }},
}

// same means the operation is allowed and changes no status.
const same Status = "(same)"

// want[op][from] is the status after the operation, same, or "" for Conflict.
var want = map[string]map[Status]Status{
	"begin matching":                   {Open: Matching, NoOffers: Matching, Matching: same, Invited: same, OffersReceived: same},
	"invite":                           {Matching: Invited, NoOffers: Invited, Invited: same, OffersReceived: same},
	"receive offer":                    {Invited: OffersReceived, OffersReceived: same},
	"choose":                           {OffersReceived: Chosen},
	"reopen choice":                    {Chosen: OffersReceived},
	"reopen choice, no offer standing": {Chosen: Matching},
	"agree":                            {Chosen: Agreed},
	"hold":                             {Open: OnHold, Matching: OnHold, Invited: OnHold, OffersReceived: OnHold, NoOffers: OnHold, Chosen: OnHold},
	"resume":                           {OnHold: Invited}, // held from invited in this table
	"cancel":                           {Open: Cancelled, Matching: Cancelled, Invited: Cancelled, OffersReceived: Cancelled, NoOffers: Cancelled, Chosen: Cancelled, OnHold: Cancelled},
	"give up waiting":                  {Invited: NoOffers, OffersReceived: NoOffers},
	"extend deadline":                  {Invited: same, OffersReceived: same, NoOffers: Invited},
}

func requestIn(s Status) *Request {
	d := t0 // the deadline is now: one hour later it has passed
	r := &Request{ID: uuid.New(), Reference: "BR-000001", Status: s, ResponseDeadline: &d}
	if s == OnHold {
		r.HeldFrom = Invited
	}
	if s == Chosen || s == Agreed {
		id := uuid.New()
		r.ChosenOfferID = &id
	}
	return r
}

func TestEveryOperationInEveryStatus(t *testing.T) {
	t.Parallel()
	for _, o := range ops {
		for _, from := range Statuses {
			o, from := o, from
			t.Run(fmt.Sprintf("%s from %s", o.name, from), func(t *testing.T) {
				t.Parallel()
				r := requestIn(from)
				tr, err := o.do(r)
				expected := want[o.name][from]
				switch expected {
				case "":
					if !errs.Is(err, errs.Conflict) {
						t.Fatalf("want Conflict, got %v (status now %s)", err, r.Status)
					}
					if r.Status != from {
						t.Fatalf("a refused operation changed the status to %s", r.Status)
					}
					// The status is said in words that fit the sentence, not as
					// its heading: "has an offer chosen", never "is Offer chosen".
					if msg := errs.As(err).Message; strings.Contains(msg, from.Label()) || strings.Contains(msg, "_") {
						t.Fatalf("the refusal names the status as a label: %q", msg)
					}
				case same:
					if err != nil || tr != nil || r.Status != from {
						t.Fatalf("want no status change, got %v, %+v, %s", err, tr, r.Status)
					}
				default:
					if err != nil {
						t.Fatalf("want %s, got %v", expected, err)
					}
					if r.Status != expected || tr == nil || tr.From != from || tr.To != expected || tr.RequestID != r.ID || tr.At.IsZero() || tr.At.Before(t0) {
						t.Fatalf("want %s -> %s recorded, got status %s and %+v", from, expected, r.Status, tr)
					}
				}
			})
		}
	}
}

// Every edge of the state machine is taken by some operation, and every
// transition an operation makes is an edge: the table above and next agree.
func TestStateMachineEdgesAreExactlyTheOperations(t *testing.T) {
	t.Parallel()
	taken := map[[2]Status]bool{}
	for name, m := range want {
		for from, to := range m {
			if to == same {
				continue
			}
			if !from.CanMove(to) {
				t.Errorf("%s moves %s -> %s, which is not an edge", name, from, to)
			}
			taken[[2]Status{from, to}] = true
		}
	}
	// Resume goes back to whichever status the request was held from.
	for _, s := range next[OnHold] {
		if s != Cancelled {
			taken[[2]Status{OnHold, s}] = true
		}
	}
	for from, tos := range next {
		for _, to := range tos {
			if !taken[[2]Status{from, to}] {
				t.Errorf("edge %s -> %s is taken by no operation", from, to)
			}
		}
	}
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s is not valid", s)
		}
	}
	if Status("approved").Valid() || !Agreed.Final() || !Cancelled.Final() || Open.Final() {
		t.Error("Valid or Final is wrong")
	}
}

func TestResumeReturnsToWhereItWasHeld(t *testing.T) {
	t.Parallel()
	for _, from := range next[OnHold] {
		if from == Cancelled {
			continue
		}
		r := requestIn(from)
		if _, err := r.Hold(t0, "person in hospital"); err != nil {
			t.Fatalf("hold from %s: %v", from, err)
		}
		if r.HeldFrom != from {
			t.Fatalf("held from %s, recorded %s", from, r.HeldFrom)
		}
		tr, err := r.Resume(t0, "")
		if err != nil || r.Status != from || r.HeldFrom != "" || tr.To != from {
			t.Fatalf("resume to %s: %v, status %s", from, err, r.Status)
		}
	}
}

func TestReasonsAreRequired(t *testing.T) {
	t.Parallel()
	for name, do := range map[string]func(r *Request) (*Transition, error){
		"hold":   func(r *Request) (*Transition, error) { return r.Hold(t0, "  ") },
		"cancel": func(r *Request) (*Transition, error) { return r.Cancel(t0, "") },
		"reopen": func(r *Request) (*Transition, error) { return r.ReopenChoice(t0, "", 1) },
	} {
		r := requestIn(Chosen)
		if _, err := do(r); errs.CodeOf(err) != errs.Invalid || errs.As(err).Field != "reason" {
			t.Errorf("%s without a reason: %v", name, err)
		}
		if r.Status != Chosen {
			t.Errorf("%s without a reason changed the status", name)
		}
	}
}

func TestGiveUpWaitingNeedsThePassedDeadlineAndNoAcceptableOffer(t *testing.T) {
	t.Parallel()
	r := requestIn(Invited)
	if _, err := r.GiveUpWaiting(t0, 0); !errs.Is(err, errs.Conflict) {
		t.Fatalf("at the deadline itself: %v", err)
	}
	if _, err := r.GiveUpWaiting(t0.Add(time.Second), 1); !errs.Is(err, errs.Conflict) {
		t.Fatalf("with an acceptable offer: %v", err)
	}
	if _, err := r.GiveUpWaiting(t0.Add(time.Second), 0); err != nil || r.Status != NoOffers {
		t.Fatalf("past the deadline with nothing: %v, %s", err, r.Status)
	}
}

func TestInviteKeepsTheLaterDeadline(t *testing.T) {
	t.Parallel()
	r := requestIn(Matching)
	r.ResponseDeadline = nil
	first := t0.Add(48 * time.Hour)
	if _, err := r.Invite(t0, first); err != nil || !r.ResponseDeadline.Equal(first) {
		t.Fatalf("first invite: %v %v", err, r.ResponseDeadline)
	}
	if _, err := r.Invite(t0, t0.Add(24*time.Hour)); err != nil || !r.ResponseDeadline.Equal(first) {
		t.Fatalf("an earlier deadline replaced the later one: %v", r.ResponseDeadline)
	}
	later := t0.Add(96 * time.Hour)
	if _, err := r.Invite(t0, later); err != nil || !r.ResponseDeadline.Equal(later) {
		t.Fatalf("a later deadline was not kept: %v", r.ResponseDeadline)
	}
}

func TestExtendDeadlineRefusesTheFutureThatIsNotLater(t *testing.T) {
	t.Parallel()
	r := requestIn(Invited) // deadline t0
	for _, d := range []time.Time{t0.Add(-time.Hour), t0} {
		if _, err := r.ExtendDeadline(t0.Add(-2*time.Hour), d); errs.CodeOf(err) != errs.Invalid || errs.As(err).Field != "deadline" {
			t.Errorf("extend to %v: %v", d, err)
		}
	}
	if _, err := r.ExtendDeadline(t0.Add(time.Hour), t0.Add(30*time.Minute)); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("extend into the past: %v", err)
	}
}

func TestAgreeTwiceSaysItIsAlreadyAgreed(t *testing.T) {
	t.Parallel()
	r := requestIn(Chosen)
	start := day.New(2026, 12, 7)
	if _, err := r.Agree(t0, start, uuid.New()); err != nil {
		t.Fatal(err)
	}
	if r.AgreedStartDate != start || r.AgreementID == nil {
		t.Fatalf("agreement not recorded: %+v", r)
	}
	_, err := r.Agree(t0, start, uuid.New())
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("second agree: %v", err)
	}
}

// The refusal the acceptance test met ("request BR-000007 is Offer chosen;
// the matcher cannot be run on it") reads as a sentence and says the way on.
func TestMatchingAChosenRequestSaysWhyAndWhatToDo(t *testing.T) {
	t.Parallel()
	_, err := requestIn(Chosen).BeginMatching(t0)
	want := "request BR-000001 has an offer chosen, so the matcher cannot be run on it; " +
		"if the chosen provider cannot start, record that first and the request goes back to its other offers, or to matching"
	if errs.CodeOf(err) != errs.Conflict || errs.As(err).Message != want {
		t.Fatalf("got %v\nwant %q", err, want)
	}
	_, err = requestIn(Agreed).Invite(t0, t0.Add(time.Hour))
	if msg := errs.As(err).Message; msg != "request BR-000001 is agreed, so providers cannot be invited" {
		t.Fatalf("invite on an agreed request: %q", msg)
	}
}
