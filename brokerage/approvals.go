package brokerage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
)

// ApprovalView is an offer over budget as a budget approver reads it.
type ApprovalView struct {
	Offer
	RequestReference  string `json:"request_reference"`
	ServiceType       string `json:"service_type"`
	ProviderName      string `json:"provider_name"`
	BudgetWeeklyPence int64  `json:"budget_weekly_pence"`
	OverByPence       int64  `json:"over_by_pence"`
	Summary           string `json:"summary"`
}

// PendingApprovals lists open offers over budget waiting for a decision,
// oldest first. Only budget approvers may (Forbidden otherwise).
func (s *Service) PendingApprovals(ctx context.Context, a accounts.Actor) ([]ApprovalView, error) {
	if err := a.Require(accounts.BudgetApprover); err != nil {
		return nil, err
	}
	offers, err := s.store.pendingApprovals(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ApprovalView, 0, len(offers))
	for _, o := range offers {
		r, err := s.store.request(ctx, o.RequestID, false)
		if err != nil {
			return nil, err
		}
		inv, err := s.store.invitation(ctx, o.InvitationID, false)
		if err != nil {
			return nil, err
		}
		out = append(out, approvalView(o, r, inv))
	}
	return out, nil
}

func approvalView(o Offer, r Request, inv Invitation) ApprovalView {
	over := o.WeeklyPricePence - r.BudgetWeeklyPence
	return ApprovalView{
		Offer: o, RequestReference: r.Reference, ServiceType: string(r.ServiceType), ProviderName: inv.ProviderName,
		BudgetWeeklyPence: r.BudgetWeeklyPence, OverByPence: over,
		Summary: fmt.Sprintf("%s, %s over the %s budget", moneyWeek(o.WeeklyPricePence), moneyOf(over), moneyOf(r.BudgetWeeklyPence)),
	}
}

// DecideOffer records a budget approver's decision on an offer over the
// budget: approved, it can be chosen; rejected (a note is required), it
// cannot. It returns Forbidden for anyone but a budget approver (brokers
// cannot approve), NotFound for no such offer, Invalid "note", and Conflict
// for an offer within budget, already decided or no longer open.
func (s *Service) DecideOffer(ctx context.Context, a accounts.Actor, offerID uuid.UUID, approve bool, note string) (ApprovalView, error) {
	if err := a.Require(accounts.BudgetApprover); err != nil {
		return ApprovalView{}, err
	}
	var view ApprovalView
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, inv, o, err := tx.lockOffer(ctx, offerID, false, nil)
		if err != nil {
			return err
		}
		if err := o.Decide(s.clock(), a.UserID, approve, note); err != nil {
			return err
		}
		if err := tx.saveOffer(ctx, &o); err != nil {
			return err
		}
		action := "offer.reject"
		if approve {
			action = "offer.approve"
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: action, ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"approval": ApprovalPending},
				"after": map[string]any{"approval": o.Approval}, "note": o.ApprovalNote,
				"weekly_price_pence": o.WeeklyPricePence, "budget_weekly_pence": r.BudgetWeeklyPence}}); err != nil {
			return err
		}
		view = approvalView(o, r, inv)
		if err := s.tell(ctx, tx, agreements.Notification{
			Kind: "offer." + string(o.Approval), Audience: agreements.ToRole(accounts.Broker), IdempotencyKey: "offer.decided:" + o.ID.String(),
			ObjectType: "request", ObjectID: r.ID.String(), Link: "/api/v1/requests/" + r.ID.String() + "/offers",
			Subject: fmt.Sprintf("Offer over budget for request %s %s", r.Reference, o.Approval),
			Body:    view.Summary + ". " + o.ApprovalNote,
		}); err != nil {
			return err
		}
		if approve && o.Status == OfferOpen {
			return s.tell(ctx, tx, s.personOfferNote(r, inv, o))
		}
		return nil
	})
	return view, err
}
