package brokerage

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// Funding says who pays for an arranged need.
type Funding string

// The ways a request is funded.
const (
	CouncilFunded         Funding = "council"
	SelfFunded            Funding = "self_funded"
	IndividualServiceFund Funding = "individual_service_fund"
)

// Request is what brokerage works on: one arranged need of a signed-off
// plan. Its Status changes only through its methods, each of which checks
// its own precondition and returns the Transition to record.
type Request struct {
	ID                uuid.UUID             `json:"id"`
	Reference         string                `json:"reference"`
	PlanID            uuid.UUID             `json:"plan_id"`
	NeedID            uuid.UUID             `json:"need_id"`
	PersonID          uuid.UUID             `json:"person_id"`
	Team              string                `json:"team"`
	ServiceType       providers.ServiceType `json:"service_type"`
	Specialist        bool                  `json:"specialist"`
	HoursPerWeek      int                   `json:"hours_per_week"`
	Places            int                   `json:"places"`
	StartDate         day.Date              `json:"start_date"`
	BudgetWeeklyPence int64                 `json:"budget_weekly_pence"`
	Funding           Funding               `json:"funding"`
	Urgency           plans.Urgency         `json:"urgency"`
	Postcode          string                `json:"postcode"`
	Latitude          *float64              `json:"latitude,omitempty"`
	Longitude         *float64              `json:"longitude,omitempty"`
	Preferences       plans.Preferences     `json:"preferences"`
	OutOfArea         bool                  `json:"out_of_area"`
	HostArea          string                `json:"host_area"`
	Status            Status                `json:"status"`
	HeldFrom          Status                `json:"held_from,omitempty"`
	ResponseDeadline  *time.Time            `json:"response_deadline,omitempty"`
	ChosenOfferID     *uuid.UUID            `json:"chosen_offer_id,omitempty"`
	AgreedStartDate   day.Date              `json:"agreed_start_date"`
	AgreementID       *uuid.UUID            `json:"agreement_id,omitempty"`
	CreatedAt         time.Time             `json:"created_at"`
	UpdatedAt         time.Time             `json:"updated_at"`
}

// Transition is one recorded state change of a request.
type Transition struct {
	ID          int64      `json:"id"`
	RequestID   uuid.UUID  `json:"request_id"`
	From        Status     `json:"from"`
	To          Status     `json:"to"`
	At          time.Time  `json:"at"`
	ActorUserID *uuid.UUID `json:"actor_user_id,omitempty"`
	ActorRole   string     `json:"actor_role"`
	OnBehalfOf  string     `json:"on_behalf_of,omitempty"`
	Reason      string     `json:"reason"`
}

// Amount describes the hours or places asked for: "14 hours a week", "1 place".
func (r *Request) Amount() string { return Amount(r.HoursPerWeek, r.Places) }

// move takes the edge to `to`, or refuses with Conflict.
func (r *Request) move(to Status, now time.Time, reason string) (*Transition, error) {
	if !r.Status.CanMove(to) {
		return nil, errs.Conflictf("request %s %s, so it cannot be %s", r.Reference, r.Status.Is(), to.becoming())
	}
	t := &Transition{RequestID: r.ID, From: r.Status, To: to, At: now, Reason: reason}
	r.Status, r.UpdatedAt = to, now
	return t, nil
}

func requireReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", errs.InvalidField("reason", "is required: say why")
	}
	if len(reason) > 1000 {
		return "", errs.InvalidField("reason", "must be at most 1000 characters")
	}
	return reason, nil
}

// BeginMatching records that a broker ran the matcher. From open or
// no_offers the request moves to matching; while matching, invited or with
// offers in, a re-run (widening the search) changes no status and returns a
// nil Transition. Any other status is Conflict.
func (r *Request) BeginMatching(now time.Time) (*Transition, error) {
	switch r.Status {
	case Open:
		return r.move(Matching, now, "matcher run")
	case NoOffers:
		return r.move(Matching, now, "search widened after no acceptable offers")
	case Matching, Invited, OffersReceived:
		return nil, nil
	}
	if r.Status == Chosen {
		return nil, errs.Conflictf("request %s has an offer chosen, so the matcher cannot be run on it; "+
			"if the chosen provider cannot start, record that first and the request goes back to its other offers, or to matching", r.Reference)
	}
	return nil, errs.Conflictf("request %s %s, so the matcher cannot be run on it", r.Reference, r.Status.Is())
}

// Invite records that providers were invited, answering by deadline. From
// matching or no_offers it moves to invited with that deadline; when
// already invited or with offers in, more providers may be invited and the
// request's deadline becomes the later of the two (nil Transition). Before
// the matcher has run, or in any other status, it is Conflict.
func (r *Request) Invite(now, deadline time.Time) (*Transition, error) {
	switch r.Status {
	case Matching, NoOffers:
		t, err := r.move(Invited, now, "providers invited")
		if err == nil {
			d := deadline
			r.ResponseDeadline = &d
		}
		return t, err
	case Invited, OffersReceived:
		if r.ResponseDeadline == nil || deadline.After(*r.ResponseDeadline) {
			d := deadline
			r.ResponseDeadline = &d
		}
		r.UpdatedAt = now
		return nil, nil
	case Open:
		return nil, errs.Conflictf("request %s has not been matched yet: run the matcher first", r.Reference)
	}
	return nil, errs.Conflictf("request %s %s, so providers cannot be invited", r.Reference, r.Status.Is())
}

// ReceiveOffer records a provider's offer: invited moves to
// offers_received; further offers change nothing. Any other status is
// Conflict: the request is not taking offers.
func (r *Request) ReceiveOffer(now time.Time) (*Transition, error) {
	switch r.Status {
	case Invited:
		return r.move(OffersReceived, now, "first offer received")
	case OffersReceived:
		return nil, nil
	}
	return nil, errs.Conflictf("request %s %s and is not taking offers", r.Reference, r.Status.Is())
}

// Choose records the person's pick of offer. Only a request with offers
// in can be chosen on; anything else is Conflict.
func (r *Request) Choose(now time.Time, offerID uuid.UUID, reason string) (*Transition, error) {
	if r.Status != OffersReceived {
		return nil, errs.Conflictf("request %s %s; an offer can be chosen only when there are offers to choose from", r.Reference, r.Status.Is())
	}
	t, err := r.move(Chosen, now, reason)
	if err == nil {
		id := offerID
		r.ChosenOfferID = &id
	}
	return t, err
}

// ReopenChoice undoes a choice because the chosen provider cannot start
// (it has no place left when the start date is agreed, say). The request
// goes back to offers_received when standing other offers are still there
// to choose from, or back to matching when none are. It needs a reason
// (Invalid "reason"); a request without an offer chosen is Conflict.
func (r *Request) ReopenChoice(now time.Time, reason string, standing int) (*Transition, error) {
	reason, err := requireReason(reason)
	if err != nil {
		return nil, err
	}
	if r.Status != Chosen {
		return nil, errs.Conflictf("request %s %s; only a request with an offer chosen can go back to its offers", r.Reference, r.Status.Is())
	}
	to := OffersReceived
	if standing == 0 {
		to = Matching
	}
	t, err := r.move(to, now, "the chosen provider cannot start: "+reason)
	if err == nil {
		r.ChosenOfferID = nil
	}
	return t, err
}

// Agree records the agreed start date and the agreement made. Only a
// chosen request can be agreed; agreeing twice is Conflict.
func (r *Request) Agree(now time.Time, start day.Date, agreementID uuid.UUID) (*Transition, error) {
	if r.Status == Agreed {
		return nil, errs.Conflictf("request %s is already agreed (start %s)", r.Reference, r.AgreedStartDate.UK())
	}
	if r.Status != Chosen {
		return nil, errs.Conflictf("request %s %s; a start date can be agreed only once an offer is chosen", r.Reference, r.Status.Is())
	}
	t, err := r.move(Agreed, now, "start date "+start.String()+" agreed")
	if err == nil {
		id := agreementID
		r.AgreedStartDate, r.AgreementID = start, &id
	}
	return t, err
}

// Hold pauses the request; Resume returns it to where it was. Hold needs a
// reason (Invalid "reason") and a status that can pause (else Conflict).
func (r *Request) Hold(now time.Time, reason string) (*Transition, error) {
	reason, err := requireReason(reason)
	if err != nil {
		return nil, err
	}
	from := r.Status
	t, err := r.move(OnHold, now, reason)
	if err == nil {
		r.HeldFrom = from
	}
	return t, err
}

// Resume returns a request on hold to the status it was held from. A
// request not on hold is Conflict.
func (r *Request) Resume(now time.Time, reason string) (*Transition, error) {
	if r.Status != OnHold {
		return nil, errs.Conflictf("request %s %s, not on hold, so there is nothing to resume", r.Reference, r.Status.Is())
	}
	t, err := r.move(r.HeldFrom, now, strings.TrimSpace(reason))
	if err == nil {
		r.HeldFrom = ""
	}
	return t, err
}

// Cancel ends the request. It needs a reason (Invalid "reason"); an agreed
// or cancelled request is Conflict.
func (r *Request) Cancel(now time.Time, reason string) (*Transition, error) {
	reason, err := requireReason(reason)
	if err != nil {
		return nil, err
	}
	return r.move(Cancelled, now, reason)
}

// DeadlinePassed reports whether the request is waiting for answers and its
// response deadline is before now.
func (r *Request) DeadlinePassed(now time.Time) bool {
	return r.Status.TakesOffers() && r.ResponseDeadline != nil && now.After(*r.ResponseDeadline)
}

// GiveUpWaiting moves a request whose deadline has passed with no
// acceptable offer to no_offers, for the broker to widen the search or
// escalate. It is Conflict while the deadline has not passed, while an
// acceptable offer is in, or in any status not waiting for answers.
func (r *Request) GiveUpWaiting(now time.Time, acceptableOffers int) (*Transition, error) {
	if !r.Status.TakesOffers() {
		return nil, errs.Conflictf("request %s %s and is not waiting for offers", r.Reference, r.Status.Is())
	}
	if !r.DeadlinePassed(now) {
		return nil, errs.Conflictf("request %s is still within its response deadline", r.Reference)
	}
	if acceptableOffers > 0 {
		return nil, errs.Conflictf("request %s has %d acceptable offer(s) to choose from", r.Reference, acceptableOffers)
	}
	return r.move(NoOffers, now, "response deadline passed with no acceptable offer")
}

// ExtendDeadline gives providers until deadline to answer. The new deadline
// must be later than now and than the current one (Invalid "deadline"). A
// no_offers request goes back to invited; invited and offers_received keep
// their status (nil Transition); any other status is Conflict.
func (r *Request) ExtendDeadline(now, deadline time.Time) (*Transition, error) {
	if !r.Status.TakesOffers() && r.Status != NoOffers {
		return nil, errs.Conflictf("request %s %s, so it has no response deadline to extend", r.Reference, r.Status.Is())
	}
	if !deadline.After(now) {
		return nil, errs.InvalidField("deadline", "must be in the future")
	}
	if r.ResponseDeadline != nil && !deadline.After(*r.ResponseDeadline) {
		return nil, errs.InvalidField("deadline", "must be later than the current deadline, %s", r.ResponseDeadline.UTC().Format(time.RFC3339))
	}
	var t *Transition
	if r.Status == NoOffers {
		var err error
		if t, err = r.move(Invited, now, "response deadline extended"); err != nil {
			return nil, err
		}
	}
	d := deadline
	r.ResponseDeadline, r.UpdatedAt = &d, now
	return t, nil
}

// personIDs are the persons of requests rs, in order.
func personIDs(rs []Request) []uuid.UUID {
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.PersonID
	}
	return ids
}
