package brokerage

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// ChosenAs says who made a choice.
type ChosenAs string

// Who chose: the person, their representative, or a broker recording the
// person's choice on their behalf.
const (
	ChosenByPerson         ChosenAs = "person"
	ChosenByRepresentative ChosenAs = "representative"
	ChosenByBroker         ChosenAs = "broker_on_behalf"
)

// Choice is the person's pick among the offers on a request.
type Choice struct {
	ID                 uuid.UUID `json:"id"`
	RequestID          uuid.UUID `json:"request_id"`
	OfferID            uuid.UUID `json:"offer_id"`
	ChosenBy           uuid.UUID `json:"chosen_by"`
	ChosenByRole       string    `json:"chosen_by_role"`
	ChosenAs           ChosenAs  `json:"chosen_as"`
	RepresentativeName string    `json:"representative_name,omitempty"`
	Reason             string    `json:"reason,omitempty"`
	At                 time.Time `json:"at"`
}

// ChoiceInput is what the chooser gives. A client who is the person's
// representative gives their name; a broker recording the choice on the
// person's behalf may say how the person told them.
type ChoiceInput struct {
	OfferID            uuid.UUID `json:"offer_id"`
	RepresentativeName string    `json:"representative_name"`
	Reason             string    `json:"reason"`
}

// newChoice checks the input for the actor and says who is choosing. Only
// the person's client users and brokers may choose (Forbidden otherwise);
// a missing offer_id or overlong text is Invalid.
func newChoice(a accounts.Actor, in ChoiceInput, requestID uuid.UUID, now time.Time) (Choice, error) {
	in.RepresentativeName = strings.TrimSpace(in.RepresentativeName)
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.OfferID == uuid.Nil:
		return Choice{}, errs.InvalidField("offer_id", "is required: the offer chosen")
	case len(in.RepresentativeName) > 200:
		return Choice{}, errs.InvalidField("representative_name", "must be at most 200 characters")
	case len(in.Reason) > 1000:
		return Choice{}, errs.InvalidField("reason", "must be at most 1000 characters")
	}
	c := Choice{RequestID: requestID, OfferID: in.OfferID, ChosenBy: a.UserID, ChosenByRole: string(a.Role), Reason: in.Reason, At: now}
	switch a.Role {
	case accounts.Client:
		c.ChosenAs = ChosenByPerson
		if in.RepresentativeName != "" {
			c.ChosenAs, c.RepresentativeName = ChosenByRepresentative, in.RepresentativeName
		}
	case accounts.Broker:
		if in.RepresentativeName != "" {
			return Choice{}, errs.InvalidField("representative_name", "is for a representative choosing for themselves; a broker records the person's choice")
		}
		c.ChosenAs = ChosenByBroker
	default:
		return Choice{}, errs.Forbiddenf("only the person, their representative or a broker on their behalf can choose")
	}
	return c, nil
}

// onBehalfOf is what the audit trail records for a choice made for the person.
func (c Choice) onBehalfOf() string {
	if c.ChosenAs == ChosenByBroker {
		return "person"
	}
	return ""
}
