package plans

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// CreatePerson records a person in the practitioner's team. It returns
// Forbidden for any other role and Invalid naming the field that is wrong.
func (s *Service) CreatePerson(ctx context.Context, a accounts.Actor, n NewPerson) (Person, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Person{}, err
	}
	if err := n.Validate(s.today()); err != nil {
		return Person{}, err
	}
	if n.Latitude == nil && s.geocoder != nil {
		// Place the person from the postcode lookup when it knows the postcode;
		// if it does not, matching asks for coordinates later.
		if lat, lon, err := s.geocoder.Geocode(ctx, n.Postcode); err == nil {
			n.Latitude, n.Longitude = &lat, &lon
		}
	}
	p := Person{
		Name: n.Name, DateOfBirth: n.DateOfBirth, Address: n.Address, Postcode: n.Postcode,
		Latitude: n.Latitude, Longitude: n.Longitude, Team: a.Team, RepresentativeName: n.RepresentativeName,
		ContactBy: n.ContactBy, ContactEmail: n.ContactEmail, CreatedBy: userRef(a), CreatedAt: s.clock(),
	}
	err := s.store.inTx(ctx, func(tx *Store) error {
		if err := tx.insertPerson(ctx, &p); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "person.create", ObjectType: "person", ObjectID: p.ID.String(), PersonID: p.ID,
			Summary: map[string]any{"team": p.Team, "postcode_district": PostcodeDistrict(p.Postcode)},
		})
	})
	return p, err
}

// Person returns a person the actor may see, or NotFound.
func (s *Service) Person(ctx context.Context, a accounts.Actor, id uuid.UUID) (Person, error) {
	p, err := s.store.Person(ctx, id)
	if err != nil {
		return Person{}, err
	}
	if !CanSeePerson(a, p) {
		return Person{}, ErrNoPerson
	}
	return p, nil
}

// Persons lists the persons the actor may see: a practitioner's team, a
// client's own person, everyone for a broker. Other roles are Forbidden.
func (s *Service) Persons(ctx context.Context, a accounts.Actor) ([]Person, error) {
	switch a.Role {
	case accounts.Practitioner:
		return s.store.persons(ctx, a.Team, 500)
	case accounts.Broker:
		return s.store.persons(ctx, "", 500)
	case accounts.Client:
		p, err := s.Person(ctx, a, a.PersonID)
		if errs.Is(err, errs.NotFound) {
			return []Person{}, nil
		}
		return []Person{p}, err
	}
	return nil, errs.Forbiddenf("a %s cannot list persons", a.Role)
}

// PersonNamed finds a person of the practitioner's team by their exact
// name (the demo seed uses it to stay idempotent). It returns Forbidden for
// other roles and NotFound when there is no such person.
func (s *Service) PersonNamed(ctx context.Context, a accounts.Actor, name string) (Person, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Person{}, err
	}
	return s.store.personByName(ctx, a.Team, name)
}
