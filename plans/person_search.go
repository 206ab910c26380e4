package plans

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// PersonMatch is a person as an administrator finds them, to bind a
// client account or search the audit trail: enough to tell two people of
// the same name apart, and no more (no address, no plan).
type PersonMatch struct {
	ID               uuid.UUID `json:"id"`
	Name             string    `json:"name"`
	DateOfBirth      day.Date  `json:"date_of_birth"`
	PostcodeDistrict string    `json:"postcode_district"`
	Team             string    `json:"team"`
}

// FindPersons finds up to 20 persons whose name contains name (any case),
// by name, for administrators. The search is a look at people's records,
// so it is recorded in the audit trail. It returns Forbidden for anyone but
// an administrator and Invalid "name" for fewer than 2 letters.
func (s *Service) FindPersons(ctx context.Context, a accounts.Actor, name string) ([]PersonMatch, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if len(name) < 2 || len(name) > 200 {
		return nil, errs.InvalidField("name", "must be 2 to 200 characters")
	}
	ps, err := s.store.personsLike(ctx, name, 20)
	if err != nil {
		return nil, err
	}
	out := make([]PersonMatch, len(ps))
	for i, p := range ps {
		out[i] = PersonMatch{ID: p.ID, Name: p.Name, DateOfBirth: p.DateOfBirth, PostcodeDistrict: PostcodeDistrict(p.Postcode), Team: p.Team}
	}
	return out, audit.Record(ctx, s.store.Conn(), audit.Entry{Actor: a, Action: "person.search", ObjectType: "person", ObjectID: "",
		Summary: map[string]any{"name": name, "found": len(out)}})
}
