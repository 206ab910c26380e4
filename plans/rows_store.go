package plans

import (
	"time"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
	"github.com/google/uuid"
)

// The row structs of the plans package's tables. Each has the fields of its
// domain type in the same order, with the gorm tags the domain type does not
// carry, so that one converts to the other by plain struct conversion
// (Plan(row), planRow(p)) and a field added to one and not the other fails to
// compile.

// planRow is a row of plans.
type planRow struct {
	ID                uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	PersonID          uuid.UUID `gorm:"type:uuid"`
	Kind              PlanKind
	Team              string
	Status            PlanStatus
	BudgetWeeklyPence int64 `gorm:"column:budget_weekly_pence"`
	ContingencyPence  int64
	SelfFunded        bool
	OutOfArea         bool
	HostArea          string
	SubmittedBy       uuid.UUID `gorm:"type:uuid"`
	SubmittedAt       time.Time
	UpdatedAt         time.Time
	SignedOffBy       *uuid.UUID `gorm:"type:uuid"`
	SignedOffAt       *time.Time
	FirstSignedOffBy  *uuid.UUID `gorm:"type:uuid"`
	FirstSignedOffAt  *time.Time
	Interim           bool
	CaredForPersonID  *uuid.UUID `gorm:"type:uuid"`
	SupersedesPlanID  *uuid.UUID `gorm:"type:uuid"`
	CoversNeedID      *uuid.UUID `gorm:"type:uuid"`

	Needs []Need `gorm:"-"`
}

// TableName is the table of plans.
func (planRow) TableName() string { return "plans" }

// needRow is a row of plan_needs.
type needRow struct {
	ID                 uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	PlanID             uuid.UUID `gorm:"type:uuid"`
	Position           int
	Outcome            string
	HowMet             HowMet
	WeeklyBudgetPence  int64
	ServiceType        providers.ServiceType
	Specialist         bool
	HoursPerWeek       int
	Places             int
	StartDate          day.Date
	Urgency            Urgency
	AlternativeService string
	Preferences        Preferences `gorm:"embedded"`
	RequestID          *uuid.UUID  `gorm:"-"`

	PreviousNeedID        *uuid.UUID           `gorm:"type:uuid"`
	DirectPayment         *DirectPaymentRecord `gorm:"type:jsonb;column:direct_payment"`
	AlternativeArrangedBy string
	AlternativeDueBy      day.Date
}

// TableName is the table of needs.
func (needRow) TableName() string { return "plan_needs" }

// personRow is a row of persons.
type personRow struct {
	ID                 uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	Name               string
	DateOfBirth        day.Date
	Address            string
	Postcode           string
	Latitude           *float64
	Longitude          *float64
	Team               string
	RepresentativeName string
	ContactBy          ContactBy
	ContactEmail       string
	CreatedBy          *uuid.UUID `gorm:"type:uuid"`
	CreatedAt          time.Time
}

// TableName is the table of persons.
func (personRow) TableName() string { return "persons" }

// plansFrom converts rows to plans.
func plansFrom(rows []planRow) []Plan {
	out := make([]Plan, len(rows))
	for i, r := range rows {
		out[i] = Plan(r)
	}
	return out
}

// needsFrom converts rows to needs.
func needsFrom(rows []needRow) []Need {
	out := make([]Need, len(rows))
	for i, r := range rows {
		out[i] = Need(r)
	}
	return out
}

// personsFrom converts rows to persons.
func personsFrom(rows []personRow) []Person {
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = Person(r)
	}
	return out
}
