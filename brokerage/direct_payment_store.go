package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// DirectPaymentArrangement is a need met by a direct payment, as the direct payment
// team works it: the amount, how often it is paid, what it buys, and when it
// was set up. Its id is the need's.
type DirectPaymentArrangement struct {
	ID                    uuid.UUID              `gorm:"column:need_id;type:uuid;primaryKey" json:"id"`
	PlanID                uuid.UUID              `gorm:"type:uuid" json:"plan_id"`
	PersonID              uuid.UUID              `gorm:"type:uuid" json:"person_id"`
	Team                  string                 `json:"team"`
	ForCarer              bool                   `json:"for_carer"`
	AmountPence           int64                  `json:"amount_pence"`
	Frequency             plans.PaymentFrequency `json:"frequency"`
	WeeklyEquivalentPence int64                  `json:"weekly_equivalent_pence"`
	Purchase              plans.Purchase         `json:"purchase"`
	FirstPaymentOn        day.Date               `json:"first_payment_on,omitzero"`
	PaymentReference      string                 `json:"payment_reference,omitempty"`
	SetUpBy               *uuid.UUID             `gorm:"type:uuid" json:"set_up_by,omitempty"`
	SetUpAt               *time.Time             `json:"set_up_at,omitempty"`
	CreatedAt             time.Time              `json:"created_at"`
}

// TableName is the table brokerage owns for direct payments.
func (DirectPaymentArrangement) TableName() string { return "direct_payments" }

func (s *Store) insertDirectPayment(ctx context.Context, d *DirectPaymentArrangement) error {
	return dbErr(s.db.Gorm(ctx).Create(d).Error)
}

// directPayment returns a direct payment (locked FOR UPDATE if lock) with
// its route row, or NotFound.
func (s *Store) directPayment(ctx context.Context, id uuid.UUID, lock bool) (DirectPaymentArrangement, referral, error) {
	return routeRow[DirectPaymentArrangement](ctx, s, id, lock, errNoDirectPayment)
}

func (s *Store) saveDirectPaymentSetUp(ctx context.Context, d *DirectPaymentArrangement) error {
	return dbErr(s.db.Gorm(ctx).Model(&DirectPaymentArrangement{}).Where("need_id = ?", d.ID).
		Select("first_payment_on", "payment_reference", "set_up_by", "set_up_at").Updates(d).Error)
}

// DirectPaymentFilter narrows the direct payment queue. Zero fields do not
// filter, except Status, whose zero value lists those awaiting set-up.
type DirectPaymentFilter struct {
	Status RouteStatus // awaiting (the default), met, ended, or "all"
	Team   string      // set by the use case from the actor
	Limit  int         // at most 500; 0 means 200
}

// directPayments lists direct payments with their route rows, oldest
// first: the order the team works them.
func (s *Store) directPayments(ctx context.Context, f DirectPaymentFilter) ([]DirectPaymentArrangement, map[uuid.UUID]referral, error) {
	l := routeList{table: "direct_payments", status: f.Status, order: "direct_payments.created_at, direct_payments.need_id", limit: f.Limit}
	if f.Team != "" {
		l.where = func(q *gorm.DB) *gorm.DB { return q.Where("direct_payments.team = ?", f.Team) }
	}
	return routeRows(ctx, s, l, func(d DirectPaymentArrangement) uuid.UUID { return d.ID })
}
