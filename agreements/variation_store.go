package agreements

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/internal/postgres"
)

// variationRow is a row of agreement_variations.
type variationRow struct {
	ID                uuid.UUID `gorm:"type:uuid;primaryKey"`
	AgreementID       uuid.UUID `gorm:"type:uuid"`
	Kind              string
	SourceKey         string
	Reason            string
	EffectiveOn       day.Date
	HoursBefore       int
	HoursAfter        int
	PlacesBefore      int
	PlacesAfter       int
	WeeklyCostBefore  int64
	WeeklyBudgetAfter int64
	NewRequestID      *uuid.UUID `gorm:"type:uuid"`
	ReviewTaskID      *uuid.UUID `gorm:"type:uuid"`
	CreatedAt         time.Time
	CreatedBy         *uuid.UUID `gorm:"type:uuid"`
}

func (variationRow) TableName() string { return "agreement_variations" }

// lockAgreement reads an agreement FOR UPDATE in tx, or NotFound.
func lockAgreement(ctx context.Context, tx *postgres.Tx, id uuid.UUID) (Agreement, error) {
	var row agreementRow
	err := tx.Gorm(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Agreement{}, errs.NotFoundf("there is no service agreement %s", id)
	}
	if err != nil {
		return Agreement{}, postgres.Translate(err)
	}
	return row.agreement()
}

// End ends an active agreement in tx, the caller's transaction: its last
// day, the reason and, when a new agreement replaces it, its successor
// (the agreement is then varied rather than ended). In the same
// transaction it cancels the open review tasks due after the last day,
// tells the finance team (once per agreement: a unique index backs this up),
// the provider organisation and the person, and writes the audit event.
// Releasing the provider's capacity is the caller's, who owns the directory.
//
// It returns Invalid naming the field (a missing last day or reason),
// NotFound for no such agreement, and Conflict if it already ended.
func (s *Store) End(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, id uuid.UUID, e Ending) (Agreement, error) {
	if err := e.validate(); err != nil {
		return Agreement{}, err
	}
	a, err := lockAgreement(ctx, tx, id)
	if err != nil {
		return Agreement{}, err
	}
	return a, s.end(ctx, tx, actor, &a, e)
}

func (s *Store) end(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, a *Agreement, e Ending) error {
	now := s.now().UTC()
	if err := a.end(now, e); err != nil {
		return err
	}
	db := tx.Gorm(ctx)
	err := db.Model(&agreementRow{}).Where("id = ?", a.ID).Select("status", "ended_at", "ends_on", "end_reason", "replaced_by").
		Updates(agreementRow{Status: string(a.Status), EndedAt: a.EndedAt, EndsOn: a.EndsOn, EndReason: a.EndReason, ReplacedBy: a.ReplacedBy}).Error
	if err != nil {
		return postgres.Translate(err)
	}
	cancelled := db.Model(&reviewRow{}).Where("agreement_id = ? AND status = 'open' AND due_from > ?", a.ID, a.EndsOn).
		Updates(map[string]any{"status": string(ReviewCancelled), "outcome": "Not needed: the agreement ended on " + a.EndsOn.UK()})
	if cancelled.Error != nil {
		return postgres.Translate(cancelled.Error)
	}
	for _, n := range endNotifications(*a) {
		if _, err := notify(ctx, tx, n); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "agreement.end", ObjectType: "agreement", ObjectID: a.ID.String(), PersonID: a.PersonID,
		Summary: map[string]any{"before": map[string]any{"status": Active}, "after": map[string]any{"status": a.Status},
			"reference": a.Reference, "ends_on": a.EndsOn, "reason": a.EndReason, "replaced_by": a.ReplacedBy,
			"reviews_cancelled": cancelled.RowsAffected},
	})
}

// endNotifications tell finance (to stop paying after the last day), the
// provider and the person that an agreement ends.
func endNotifications(a Agreement) []Notification {
	id, link := a.ID, "/api/v1/agreements/"+a.ID.String()
	how := "ends"
	if a.Status == Varied {
		how = "is replaced by a new agreement and ends"
	}
	facts := fmt.Sprintf("Service agreement %s (%s from %s for %s) %s on %s: %s.",
		a.Reference, a.ServiceName, a.ProviderName, a.PersonName, how, a.EndsOn.UK(), a.EndReason)
	return []Notification{
		{Audience: ToFinance(), Kind: EndedNotificationKind, AgreementID: &id, IdempotencyKey: "agreement.ended:finance:" + a.ID.String(),
			Subject: fmt.Sprintf("Service agreement %s ends on %s", a.Reference, a.EndsOn.UK()), ObjectType: "agreement", ObjectID: a.ID.String(), Link: link,
			Body: facts + fmt.Sprintf("\nNo payment is due for care after %s. %s.", a.EndsOn.UK(), a.Funding.Describe()),
			Data: map[string]any{"agreement_id": a.ID, "reference": a.Reference, "person_id": a.PersonID, "provider_org_id": a.ProviderOrgID,
				"status": a.Status, "ends_on": a.EndsOn, "reason": a.EndReason, "replaced_by": a.ReplacedBy, "funding": a.Funding,
				"payer": a.Payer, "weekly_cost_pence": a.WeeklyCostPence}},
		{Audience: ToProviderOrg(a.ProviderOrgID), Kind: "agreement.ended", AgreementID: &id, IdempotencyKey: "agreement.ended:provider:" + a.ID.String(),
			Subject: fmt.Sprintf("Service agreement %s ends on %s", a.Reference, a.EndsOn.UK()), Body: facts, ObjectType: "agreement", ObjectID: a.ID.String(), Link: link},
		{Audience: ToPerson(a.PersonID), Kind: "agreement.ended", AgreementID: &id, IdempotencyKey: "agreement.ended:person:" + a.ID.String(),
			Subject: fmt.Sprintf("Your care from %s ends on %s", a.ProviderName, a.EndsOn.UK()), Body: facts, ObjectType: "agreement", ObjectID: a.ID.String(), Link: link},
	}
}

// Vary records, in tx, a change to an active agreement decided at a review,
// and tells the finance team of it exactly once: the variation row is unique
// per agreement and change (SourceKey), and so is the notification's
// idempotency key. A change leaves the agreement active until the new
// arrangement starts (End, with ReplacedBy, then); an end ends it now, with
// its one "agreement.ended" notification. The provider and the person are
// told too, and the audit event written.
//
// It returns Invalid naming the field, NotFound for no such agreement, and
// Conflict if the agreement is not active or the change was already recorded.
func (s *Store) Vary(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, v NewVariation) (Variation, error) {
	if err := v.validate(); err != nil {
		return Variation{}, err
	}
	a, err := lockAgreement(ctx, tx, v.AgreementID)
	if err != nil {
		return Variation{}, err
	}
	if a.Status != Active {
		return Variation{}, errs.Conflictf("agreement %s already %s on %s", a.Reference, a.Status, a.EndsOn.UK())
	}
	out := Variation{
		ID: uuid.New(), AgreementID: a.ID, Reference: a.Reference, Kind: v.Kind, SourceKey: v.SourceKey, Reason: v.Reason,
		EffectiveOn: v.EffectiveOn, HoursBefore: a.HoursPerWeek, HoursAfter: v.HoursAfter, PlacesBefore: a.Places,
		PlacesAfter: v.PlacesAfter, WeeklyCostBefore: a.WeeklyCostPence, WeeklyBudgetAfter: v.WeeklyBudgetAfter,
		NewRequestID: v.NewRequestID, ReviewTaskID: v.ReviewTaskID, CreatedAt: s.now().UTC(),
	}
	if actor.UserID != uuid.Nil {
		by := actor.UserID
		out.CreatedBy = &by
	}
	row := variationRow{ID: out.ID, AgreementID: out.AgreementID, Kind: string(out.Kind), SourceKey: out.SourceKey, Reason: out.Reason,
		EffectiveOn: out.EffectiveOn, HoursBefore: out.HoursBefore, HoursAfter: out.HoursAfter, PlacesBefore: out.PlacesBefore,
		PlacesAfter: out.PlacesAfter, WeeklyCostBefore: out.WeeklyCostBefore, WeeklyBudgetAfter: out.WeeklyBudgetAfter,
		NewRequestID: out.NewRequestID, ReviewTaskID: out.ReviewTaskID, CreatedAt: out.CreatedAt, CreatedBy: out.CreatedBy}
	if err := tx.Gorm(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Variation{}, errs.Conflictf("this change to agreement %s was already recorded", a.Reference)
		}
		return Variation{}, postgres.Translate(err)
	}
	if v.Kind == VaryEnd {
		return out, s.end(ctx, tx, actor, &a, Ending{EndsOn: v.EffectiveOn, Reason: v.Reason})
	}
	for _, n := range variationNotifications(a, out, v.NewRequestReference) {
		if _, err := notify(ctx, tx, n); err != nil {
			return Variation{}, err
		}
	}
	return out, audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "agreement.vary", ObjectType: "agreement", ObjectID: a.ID.String(), PersonID: a.PersonID,
		Summary: map[string]any{"variation_id": out.ID, "kind": out.Kind, "source": out.SourceKey, "effective_on": out.EffectiveOn,
			"before":         map[string]any{"hours_per_week": out.HoursBefore, "places": out.PlacesBefore, "weekly_cost_pence": out.WeeklyCostBefore},
			"after":          map[string]any{"hours_per_week": out.HoursAfter, "places": out.PlacesAfter, "weekly_budget_pence": out.WeeklyBudgetAfter},
			"new_request_id": out.NewRequestID, "review_task_id": out.ReviewTaskID},
	})
}

// variationNotifications tell finance (once: the key is the change's), the
// provider and the person that a review changed what an agreement meets.
func variationNotifications(a Agreement, v Variation, newRequest string) []Notification {
	id, link := a.ID, "/api/v1/agreements/"+a.ID.String()
	from, to := unitText(v.HoursBefore, v.PlacesBefore), unitText(v.HoursAfter, v.PlacesAfter)
	facts := fmt.Sprintf("A review changed the need that service agreement %s (%s from %s for %s) meets, from %s to %s, from %s: %s.",
		a.Reference, a.ServiceName, a.ProviderName, a.PersonName, from, to, v.EffectiveOn.UK(), v.Reason)
	next := "The council is arranging the changed service"
	if newRequest != "" {
		next += " (brokerage request " + newRequest + ")"
	}
	next += fmt.Sprintf("; this agreement continues at %s a week until the new arrangement starts.", money.Format(a.WeeklyCostPence))
	return []Notification{
		{Audience: ToFinance(), Kind: VariedNotificationKind, AgreementID: &id,
			IdempotencyKey: "agreement.varied:finance:" + a.ID.String() + ":" + v.SourceKey,
			Subject:        fmt.Sprintf("Service agreement %s is being varied: %s to %s", a.Reference, from, to),
			Body:           facts + "\n" + next, ObjectType: "agreement", ObjectID: a.ID.String(), Link: link,
			Data: map[string]any{"agreement_id": a.ID, "reference": a.Reference, "variation_id": v.ID, "person_id": a.PersonID,
				"provider_org_id": a.ProviderOrgID, "effective_on": v.EffectiveOn, "hours_before": v.HoursBefore, "hours_after": v.HoursAfter,
				"places_before": v.PlacesBefore, "places_after": v.PlacesAfter, "weekly_cost_before_pence": v.WeeklyCostBefore,
				"weekly_budget_after_pence": v.WeeklyBudgetAfter, "new_request_id": v.NewRequestID, "funding": a.Funding, "payer": a.Payer}},
		{Audience: ToProviderOrg(a.ProviderOrgID), Kind: VariedNotificationKind, AgreementID: &id,
			IdempotencyKey: "agreement.varied:provider:" + a.ID.String() + ":" + v.SourceKey,
			Subject:        fmt.Sprintf("Service agreement %s: the need changed at a review", a.Reference),
			Body:           facts + "\n" + next, ObjectType: "agreement", ObjectID: a.ID.String(), Link: link},
		{Audience: ToPerson(a.PersonID), Kind: VariedNotificationKind, AgreementID: &id,
			IdempotencyKey: "agreement.varied:person:" + a.ID.String() + ":" + v.SourceKey,
			Subject:        "Your care is changing after your review",
			Body:           fmt.Sprintf("Your review changed your care from %s to %s. Your care from %s continues until the new arrangement starts.", from, to, a.ProviderName),
			ObjectType:     "agreement", ObjectID: a.ID.String(), Link: link},
	}
}

func unitText(hours, places int) string {
	switch {
	case hours > 0:
		return fmt.Sprintf("%d hours a week", hours)
	case places == 1:
		return "1 place"
	case places > 0:
		return fmt.Sprintf("%d places", places)
	}
	return "another arrangement (see the plan)"
}

// ActiveForRequest returns, read with db (the caller's transaction, or the
// store's database when nil), the request's active agreement, or nil.
func (s *Store) ActiveForRequest(ctx context.Context, db postgres.Conn, requestID uuid.UUID) (*Agreement, error) {
	if db == nil {
		db = s.db
	}
	var rows []agreementRow
	if err := db.Gorm(ctx).Where("request_id = ? AND status = 'active'", requestID).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, postgres.Translate(err)
	}
	a, err := rows[0].agreement()
	return &a, err
}

// ForRequests returns, for each request that has one, its active agreement
// or else its most recent. It does not check access: it is for use cases
// that already checked the requests.
func (s *Store) ForRequests(ctx context.Context, requestIDs []uuid.UUID) (map[uuid.UUID]Agreement, error) {
	out := map[uuid.UUID]Agreement{}
	if len(requestIDs) == 0 {
		return out, nil
	}
	var rows []agreementRow
	err := s.db.Gorm(ctx).Where("request_id IN ?", requestIDs).Order("status = 'active', created_at").Find(&rows).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	for _, r := range rows { // later rows (active, newest) win
		a, err := r.agreement()
		if err != nil {
			return nil, err
		}
		out[a.RequestID] = a
	}
	return out, nil
}

// Variations lists the recorded changes to an agreement, oldest first.
func (s *Store) Variations(ctx context.Context, agreementID uuid.UUID) ([]Variation, error) {
	var rows []variationRow
	if err := s.db.Gorm(ctx).Where("agreement_id = ?", agreementID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Variation, len(rows))
	for i, r := range rows {
		out[i] = Variation{ID: r.ID, AgreementID: r.AgreementID, Kind: VariationKind(r.Kind), SourceKey: r.SourceKey, Reason: r.Reason,
			EffectiveOn: r.EffectiveOn, HoursBefore: r.HoursBefore, HoursAfter: r.HoursAfter, PlacesBefore: r.PlacesBefore,
			PlacesAfter: r.PlacesAfter, WeeklyCostBefore: r.WeeklyCostBefore, WeeklyBudgetAfter: r.WeeklyBudgetAfter,
			NewRequestID: r.NewRequestID, ReviewTaskID: r.ReviewTaskID, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	}
	return out, nil
}
