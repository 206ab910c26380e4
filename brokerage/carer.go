package brokerage

import (
	"context"

	"github.com/carebroker/carebroker/plans"
)

// carerOf returns the carer whose support plan p is, when it is one: the
// services it arranges are for the person cared for, and the carer is their
// contact in the provider's information pack.
func (s *Service) carerOf(ctx context.Context, tx *Store, p plans.Plan) (plans.Person, bool, error) {
	if p.Kind != plans.CarersSupport {
		return plans.Person{}, false, nil
	}
	carer, err := tx.plans().Person(ctx, p.PersonID)
	return carer, err == nil, err
}

// howMetInPack says, in the provider's information pack, how the need the
// agreement meets is arranged and paid for.
func howMetInPack(p plans.Plan, n plans.Need) string {
	how := "Arranged by the council"
	switch {
	case p.Interim && p.CoversNeedID != nil:
		how = "Interim support arranged by the council until an alternative service (housing, transport or the like) is in place"
	case p.Interim:
		how = "Urgent or interim support arranged by the council before the full care and support plan; a long-term arrangement will replace it"
	case p.Kind == plans.CarersSupport:
		how = "Arranged by the council for the person cared for, under their carer's support plan"
	case packText(n.HowMet) != "":
		how = packText(n.HowMet)
	}
	if p.SelfFunded {
		how += "; the person pays for it themselves (self-funded)"
	}
	return how
}

// packText is how an arranged route other than council-arranged says, in
// the provider's pack, how the need is arranged; "" for the default.
func packText(h plans.HowMet) string {
	r, _ := routeOf(h).(arrangedRoute)
	return r.inPack
}
