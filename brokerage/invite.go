package brokerage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// Invite sends the request to a shortlist of services ranked by the latest
// match run, each with the response deadline of the request's urgency, and
// tells each provider organisation in the same transaction. It returns
// Forbidden for anyone but a broker, Invalid naming the entry of
// service_ids that was not ranked (with the matcher's reasons if it was
// excluded), was already invited or is not compliant on the start date as
// the directory stands now (the matcher's rules, asked again), and Conflict
// when the matcher has not run or the request's status does not allow
// inviting.
func (s *Service) Invite(ctx context.Context, a accounts.Actor, requestID uuid.UUID, serviceIDs []uuid.UUID) ([]Invitation, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return nil, err
	}
	if len(serviceIDs) == 0 || len(serviceIDs) > 20 {
		return nil, errs.InvalidField("service_ids", "choose 1 to 20 services from the match")
	}
	seen := map[uuid.UUID]bool{}
	for i, id := range serviceIDs {
		if seen[id] {
			return nil, errs.InvalidField(fmt.Sprintf("service_ids[%d]", i), "is listed twice")
		}
		seen[id] = true
	}
	var made []Invitation
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, err := tx.request(ctx, requestID, true)
		if err != nil {
			return err
		}
		run, err := tx.latestMatchRun(ctx, r.ID)
		if errs.Is(err, errs.NotFound) {
			return errs.Conflictf("request %s has not been matched yet: run the matcher first", r.Reference)
		} else if err != nil {
			return err
		}
		invited, err := tx.invitationsOf(ctx, r.ID)
		if err != nil {
			return err
		}
		already := map[uuid.UUID]bool{}
		for _, inv := range invited {
			already[inv.ServiceID] = true
		}
		now := s.clock()
		deadline := s.deadlines.For(r.Urgency, now).Truncate(time.Second)
		t, err := r.Invite(now, deadline)
		if err != nil {
			return err
		}
		eligible, err := s.Eligibility(ctx, r.StartDate, serviceIDs)
		if err != nil {
			return err
		}
		for i, sid := range serviceIDs {
			field := fmt.Sprintf("service_ids[%d]", i)
			m, ok := run.ranked(sid)
			switch {
			case !ok:
				if e, excluded := run.excluded(sid); excluded {
					var why []string
					for _, x := range explain(e.Reasons) {
						why = append(why, x.Text)
					}
					return errs.InvalidField(field, "was excluded by the matcher: %s", strings.Join(why, "; "))
				}
				return errs.InvalidField(field, "is not among the services the latest match ranked")
			case already[sid]:
				return errs.InvalidField(field, "was already invited")
			}
			e, found := eligible[sid]
			if why := refusal(e, found, r.StartDate); why != "" {
				return errs.InvalidField(field, "%s", why)
			}
			org, err := uuid.Parse(m.ProviderID)
			if err != nil {
				return errs.Internalf(err, "match run %s: provider id %q", run.ID, m.ProviderID)
			}
			inv := Invitation{
				RequestID: r.ID, MatchRunID: run.ID, ProviderOrgID: org, ServiceID: sid, ProviderName: run.Providers[m.ProviderID],
				ServiceName: m.Name, Rank: m.Rank, Status: InvitationSent, InvitedBy: a.UserID, InvitedAt: now, Deadline: deadline,
			}
			if err := s.sendInvitation(ctx, tx, a, r, &inv); err != nil {
				return err
			}
			made = append(made, inv)
		}
		return s.record(ctx, tx, a, "", &r, t, "request.invite", map[string]any{
			"service_ids": serviceIDs, "deadline": deadline, "match_run_id": run.ID,
		})
	})
	return made, err
}

func (s *Service) sendInvitation(ctx context.Context, tx *Store, a accounts.Actor, r Request, inv *Invitation) error {
	if err := tx.insertInvitation(ctx, inv); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx.Conn(), audit.Entry{
		Actor: a, Action: "invitation.send", ObjectType: "invitation", ObjectID: inv.ID.String(), PersonID: r.PersonID,
		Summary: map[string]any{"request_id": r.ID, "provider_org_id": inv.ProviderOrgID, "service_id": inv.ServiceID,
			"rank": inv.Rank, "deadline": inv.Deadline},
	}); err != nil {
		return err
	}
	sum := summarise(r, inv.Deadline)
	return s.tell(ctx, tx, agreements.Notification{
		Kind: "invitation.sent", Audience: agreements.ToProviderOrg(inv.ProviderOrgID), IdempotencyKey: "invitation.sent:" + inv.ID.String(),
		ObjectType: "invitation", ObjectID: inv.ID.String(), Link: "/api/v1/invitations/" + inv.ID.String(),
		Subject: fmt.Sprintf("New request %s: %s, %s in %s", r.Reference, r.ServiceType.Label(), r.Amount(), sum.PostcodeDistrict),
		Body: fmt.Sprintf("You are invited to offer for %s (%s) for %s, starting %s, in postcode district %s. Please offer or decline by %s.",
			inv.ServiceName, r.ServiceType.Label(), r.Amount(), r.StartDate.UK(), sum.PostcodeDistrict, ukTime(inv.Deadline)),
	})
}

// Chase reminds every provider that has not answered yet. It returns
// Forbidden for anyone but a broker, and Conflict when the request is not
// waiting for offers or nobody is left to chase.
func (s *Service) Chase(ctx context.Context, a accounts.Actor, requestID uuid.UUID) ([]Invitation, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return nil, err
	}
	var chased []Invitation
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, err := tx.request(ctx, requestID, true)
		if err != nil {
			return err
		}
		if !r.Status.TakesOffers() {
			return errs.Conflictf("request %s %s, so there is nobody to chase", r.Reference, r.Status.Is())
		}
		invs, err := tx.invitationsOf(ctx, r.ID)
		if err != nil {
			return err
		}
		now := s.clock()
		for i := range invs {
			inv := &invs[i]
			if !inv.Waiting() {
				continue
			}
			inv.ChaseCount++
			inv.LastChasedAt = &now
			if err := tx.saveInvitation(ctx, inv); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, agreements.Notification{
				Kind: "invitation.chased", Audience: agreements.ToProviderOrg(inv.ProviderOrgID),
				IdempotencyKey: fmt.Sprintf("invitation.chased:%s:%d", inv.ID, inv.ChaseCount),
				ObjectType:     "invitation", ObjectID: inv.ID.String(), Link: "/api/v1/invitations/" + inv.ID.String(),
				Subject: fmt.Sprintf("Reminder: request %s needs your answer by %s", r.Reference, ukTime(inv.Deadline)),
				Body:    fmt.Sprintf("Please offer or decline for request %s (%s, %s) by %s.", r.Reference, r.ServiceType.Label(), r.Amount(), ukTime(inv.Deadline)),
			}); err != nil {
				return err
			}
			chased = append(chased, *inv)
		}
		if len(chased) == 0 {
			return errs.Conflictf("every invited provider has answered; there is nobody to chase")
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "request.chase", ObjectType: "request", ObjectID: r.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"chased": len(chased)}})
	})
	return chased, err
}

// ExtendDeadline gives providers until deadline to answer, and tells those
// who have not answered yet. A request with no acceptable offers goes back
// to invited. It returns Forbidden for anyone but a broker, Invalid
// "deadline" for a time not later than now and the current deadline, and
// Conflict for a request with no deadline to extend.
func (s *Service) ExtendDeadline(ctx context.Context, a accounts.Actor, requestID uuid.UUID, deadline time.Time) (RequestView, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return RequestView{}, err
	}
	deadline = deadline.UTC().Truncate(time.Second)
	var r Request
	err := s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if r, err = tx.request(ctx, requestID, true); err != nil {
			return err
		}
		before := r.ResponseDeadline
		t, err := r.ExtendDeadline(s.clock(), deadline)
		if err != nil {
			return err
		}
		if err := tx.extendInvitations(ctx, r.ID, deadline); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "", &r, t, "request.extend_deadline", map[string]any{"from": before, "to": deadline}); err != nil {
			return err
		}
		invs, err := tx.invitationsOf(ctx, r.ID)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			if !inv.Waiting() {
				continue
			}
			if err := s.tell(ctx, tx, agreements.Notification{
				Kind: "invitation.extended", Audience: agreements.ToProviderOrg(inv.ProviderOrgID),
				IdempotencyKey: fmt.Sprintf("invitation.extended:%s:%d", inv.ID, deadline.Unix()),
				ObjectType:     "invitation", ObjectID: inv.ID.String(), Link: "/api/v1/invitations/" + inv.ID.String(),
				Subject: fmt.Sprintf("More time for request %s: answer by %s", r.Reference, ukTime(deadline)),
				Body:    fmt.Sprintf("The deadline to offer or decline for request %s (%s, %s) is now %s.", r.Reference, r.ServiceType.Label(), r.Amount(), ukTime(deadline)),
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return s.viewAfter(ctx, r, err)
}

// ukTime writes a time as people in the UK read it: "17:30 on 4 December 2026".
func ukTime(t time.Time) string { return t.In(london).Format("15:04 on 2 January 2006") }
