package agreements

import (
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/errs"
)

// InformationPack is the part of the person's Care and Support Plan the
// provider needs to deliver the service, and no more: the needs this
// service meets with their outcomes and how each is met, the person's
// preferences, how to reach them or their representative, where the care
// happens, and the key risks. It is copied when the agreement is made and
// stored with it; the provider never sees the plan itself.
type InformationPack struct {
	Needs          []PackNeed  `json:"needs"`
	Preferences    Preferences `json:"preferences"`
	Contact        Contact     `json:"contact"`
	Representative *Contact    `json:"representative,omitempty"`
	Address        string      `json:"address"`
	Postcode       string      `json:"postcode"`
	KeyRisks       []string    `json:"key_risks"`
}

// PackNeed is one eligible need the service meets.
type PackNeed struct {
	Need    string `json:"need"`    // the eligible need, in the plan's words
	Outcome string `json:"outcome"` // what the person wants to achieve
	HowMet  string `json:"how_met"` // how this service meets it
}

// Preferences are what matters to the person about how care is given.
type Preferences struct {
	Language          string `json:"language,omitempty"`
	CarerGender       string `json:"carer_gender,omitempty"`
	CulturalSpiritual string `json:"cultural_spiritual,omitempty"`
	ImportantToThem   string `json:"important_to_them,omitempty"`
}

// Contact is how to reach someone: the person, or their representative or
// advocate (Relationship says which).
type Contact struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
}

const maxPackItems = 50

func (p *InformationPack) validate(field string) error {
	if len(p.Needs) == 0 || len(p.Needs) > maxPackItems {
		return errs.InvalidField(field+".needs", "must list between 1 and %d needs the service meets", maxPackItems)
	}
	for i := range p.Needs {
		n := &p.Needs[i]
		f := fmt.Sprintf("%s.needs[%d]", field, i)
		if err := text(f+".need", &n.Need, true, maxText); err != nil {
			return err
		}
		if err := text(f+".outcome", &n.Outcome, true, maxText); err != nil {
			return err
		}
		if err := text(f+".how_met", &n.HowMet, true, maxText); err != nil {
			return err
		}
	}
	prefs := []struct {
		name  string
		value *string
	}{
		{"language", &p.Preferences.Language}, {"carer_gender", &p.Preferences.CarerGender},
		{"cultural_spiritual", &p.Preferences.CulturalSpiritual}, {"important_to_them", &p.Preferences.ImportantToThem},
	}
	for _, x := range prefs {
		if err := text(field+".preferences."+x.name, x.value, false, maxText); err != nil {
			return err
		}
	}
	if err := p.Contact.validate(field + ".contact"); err != nil {
		return err
	}
	if p.Representative != nil {
		if err := p.Representative.validate(field + ".representative"); err != nil {
			return err
		}
	}
	if err := text(field+".address", &p.Address, true, maxText); err != nil {
		return err
	}
	if err := text(field+".postcode", &p.Postcode, true, 10); err != nil {
		return err
	}
	p.Postcode = strings.ToUpper(p.Postcode)
	if len(p.KeyRisks) > maxPackItems {
		return errs.InvalidField(field+".key_risks", "must list at most %d risks", maxPackItems)
	}
	for i := range p.KeyRisks {
		if err := text(fmt.Sprintf("%s.key_risks[%d]", field, i), &p.KeyRisks[i], true, maxText); err != nil {
			return err
		}
	}
	if p.KeyRisks == nil {
		p.KeyRisks = []string{}
	}
	return nil
}

func (c *Contact) validate(field string) error {
	if err := text(field+".name", &c.Name, true, maxName); err != nil {
		return err
	}
	for _, x := range []struct {
		name  string
		value *string
	}{{"relationship", &c.Relationship}, {"phone", &c.Phone}, {"email", &c.Email}} {
		if err := text(field+"."+x.name, x.value, false, maxName); err != nil {
			return err
		}
	}
	return nil
}

// text trims *s and checks its length, naming field when it is wrong.
func text(field string, s *string, required bool, max int) error {
	*s = strings.TrimSpace(*s)
	switch {
	case required && *s == "":
		return errs.InvalidField(field, "is required")
	case len(*s) > max:
		return errs.InvalidField(field, "must be at most %d characters", max)
	}
	return nil
}

// clone returns a deep copy, so that normalising it never writes to the
// caller's slices (which other goroutines may be reading).
func (p InformationPack) clone() InformationPack {
	c := p
	c.Needs = append([]PackNeed(nil), p.Needs...)
	c.KeyRisks = append([]string(nil), p.KeyRisks...)
	if p.Representative != nil {
		r := *p.Representative
		c.Representative = &r
	}
	return c
}
