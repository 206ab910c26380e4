package brokerage

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/idempotency"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/plans"
)

// AgreeStartDate agrees the start date of the chosen offer and makes the
// service agreement, all in one transaction: it locks the request row (FOR
// UPDATE) and checks its state, reserves the provider's capacity from the
// start date (providers.ReserveCapacity locks the service's capacity rows;
// a CHECK refuses over-commitment), creates the agreement with its
// information pack, reviews and finance notification (agreements.Create),
// moves the request to agreed and writes the audit event. Either all of it
// commits or none of it does.
//
// The person (a client user bound to them) or a broker on their behalf may
// agree; the provider sees the date on its invitation and in the agreement.
// It returns Forbidden for other roles, NotFound for a request the actor
// may not see, Invalid "start_date" for a date before the offer's earliest
// start or before today, and Conflict when the request is not chosen (or
// already agreed), the offer has expired, or the capacity has gone.
func (s *Service) AgreeStartDate(ctx context.Context, a accounts.Actor, requestID uuid.UUID, start day.Date) (agreements.Agreement, error) {
	if !a.Is(accounts.Client, accounts.Broker) {
		return agreements.Agreement{}, errs.Forbiddenf("only the person, or a broker on their behalf, can agree the start date")
	}
	if start.IsZero() {
		return agreements.Agreement{}, errs.InvalidField("start_date", "is required, like 2026-12-07")
	}
	if s.dir == nil || s.agreements == nil {
		return agreements.Agreement{}, errs.Internalf(nil, "brokerage has no directory or agreements store configured")
	}
	var made agreements.Agreement
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, err := s.visibleRequest(ctx, tx, a, requestID, true)
		if err != nil {
			return err
		}
		if r.Status != Chosen {
			_, err := r.Agree(s.clock(), start, uuid.Nil) // says why not
			return err
		}
		o, err := tx.offer(ctx, *r.ChosenOfferID, true)
		if err != nil {
			return err
		}
		today := s.today()
		switch {
		case start.Before(o.EarliestStart):
			return errs.InvalidField("start_date", "must be on or after %s, the provider's earliest start", o.EarliestStart.UK())
		case start.Before(today):
			return errs.InvalidField("start_date", "must be today or later")
		case o.ValidUntil.Before(today):
			return errs.Conflictf("the chosen offer expired on %s; ask the provider to renew it", o.ValidUntil.UK())
		}
		inv, err := tx.invitation(ctx, o.InvitationID, false)
		if err != nil {
			return err
		}
		units := o.HoursPerWeek + o.Places // exactly one is set
		if err := s.dir.ReserveCapacity(ctx, tx.Tx(), o.ServiceID, start, units); err != nil {
			return err
		}
		n, err := s.newAgreement(ctx, tx, r, o, inv, start)
		if err != nil {
			return err
		}
		if err := s.agreementParties(ctx, tx, a, r, o, &n); err != nil {
			return err
		}
		if made, err = s.agreements.Create(ctx, tx.Tx(), a, n); err != nil {
			return err
		}
		if err := packages.Open(ctx, tx.Tx(), made); err != nil {
			return err
		}
		if err := s.agreementMade(ctx, tx, a, r, made); err != nil {
			return err
		}
		t, err := r.Agree(s.clock(), start, made.ID)
		if err != nil {
			return err
		}
		onBehalf := ""
		if a.Is(accounts.Broker) {
			onBehalf = "person"
		}
		if err := s.record(ctx, tx, a, onBehalf, &r, t, "request.agree", map[string]any{
			"start_date": start, "agreement_id": made.ID, "agreement_reference": made.Reference, "offer_id": o.ID,
			"service_id": o.ServiceID, "units_reserved": units,
		}); err != nil {
			return err
		}
		// The answer is kept with the agreement: a retry after a crash gets it.
		return idempotency.Keep(ctx, tx.Tx(), made)
	})
	if err != nil {
		return agreements.Agreement{}, err
	}
	return made, nil
}

// newAgreement gathers what the agreement needs: the parties, the service,
// the money, and the information pack (the plan details this provider
// needs for this need, and no more).
func (s *Service) newAgreement(ctx context.Context, tx *Store, r Request, o Offer, inv Invitation, start day.Date) (agreements.NewAgreement, error) {
	person, err := tx.plans().Person(ctx, r.PersonID)
	if err != nil {
		return agreements.NewAgreement{}, err
	}
	plan, err := tx.plans().Plan(ctx, r.PlanID, false)
	if err != nil {
		return agreements.NewAgreement{}, err
	}
	var need plans.Need
	for _, n := range plan.Needs {
		if n.ID == r.NeedID {
			need = n
		}
	}
	howMet := howMetInPack(plan, need)
	pack := agreements.InformationPack{
		Needs: []agreements.PackNeed{{
			Need:    fmt.Sprintf("%s, %s", capitalise(r.ServiceType.Label()), Amount(o.HoursPerWeek, o.Places)),
			Outcome: need.Outcome, HowMet: howMet,
		}},
		Preferences: agreements.Preferences{Language: r.Preferences.Language, CarerGender: r.Preferences.CarerGender,
			CulturalSpiritual: r.Preferences.CulturalNeeds, ImportantToThem: r.Preferences.ImportantToThem},
		Contact: agreements.Contact{Name: person.Name, Relationship: "the person"},
		Address: person.Address, Postcode: person.Postcode, KeyRisks: []string{},
	}
	if person.RepresentativeName != "" {
		pack.Representative = &agreements.Contact{Name: person.RepresentativeName, Relationship: "representative"}
	} else if carer, ok, err := s.carerOf(ctx, tx, plan); err != nil {
		return agreements.NewAgreement{}, err
	} else if ok {
		pack.Representative = &agreements.Contact{Name: carer.Name, Relationship: "carer"}
	}
	return agreements.NewAgreement{
		RequestID: r.ID, OfferID: o.ID, PlanID: r.PlanID, PersonID: r.PersonID, ProviderOrgID: o.ProviderOrgID, ServiceID: o.ServiceID,
		PersonName: person.Name, ProviderName: inv.ProviderName, ServiceName: inv.ServiceName, ServiceType: string(r.ServiceType),
		Team: r.Team, HoursPerWeek: o.HoursPerWeek, Places: o.Places, HourlyRatePence: o.HourlyRatePence,
		WeeklyCostPence: o.WeeklyPricePence, StartDate: start, Funding: agreements.Funding(r.Funding), InformationPack: pack,
		OutOfArea: r.OutOfArea, HostArea: r.HostArea,
	}, nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
