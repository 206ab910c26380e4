package brokerage

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

// agreementParties adds to n what names the parties properly: where the
// service is registered (its CQC location, from the directory), any amount
// over the budget an approver allowed and who, and who agreed the start
// date for the council (the actor a).
func (s *Service) agreementParties(ctx context.Context, tx *Store, a accounts.Actor, r Request, o Offer, n *agreements.NewAgreement) error {
	reg, err := s.dir.Registration(ctx, tx.Conn(), o.ServiceID) // in tx: no second connection while it holds locks
	if err != nil {
		return err
	}
	n.CQCLocationID, n.LocationName = reg.CQCLocationID, reg.LocationName
	n.LocationAddress = strings.Trim(reg.Address+", "+reg.Postcode, ", ")
	users := accounts.NewStore(tx.Conn())
	nameOf := func(id uuid.UUID) (string, error) {
		u, err := users.User(ctx, id)
		if errs.Is(err, errs.NotFound) {
			return "a user no longer known", nil
		}
		return u.DisplayName, err
	}
	if o.Approval == ApprovalApproved && o.WeeklyPricePence > r.BudgetWeeklyPence {
		n.OverBudgetPence, n.ApprovedAt = o.WeeklyPricePence-r.BudgetWeeklyPence, o.ApprovalAt
		n.ApproverName = "a budget approver"
		if o.ApprovalBy != nil {
			if n.ApproverName, err = nameOf(*o.ApprovalBy); err != nil {
				return err
			}
		}
	}
	switch {
	case a.UserID == uuid.Nil:
		n.CouncilAcceptedBy = "the council"
	case a.Role == accounts.Client:
		n.CouncilAcceptedBy = "the council, on the start date the person agreed"
	default:
		name, err := nameOf(a.UserID)
		if err != nil {
			return err
		}
		n.CouncilAcceptedBy = name + " (" + string(a.Role) + ")"
	}
	return nil
}
