package agreements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/internal/postgres"
)

// agreementRow is a row of agreements.
type agreementRow struct {
	ID                                                             uuid.UUID `gorm:"type:uuid;primaryKey"`
	Reference                                                      string
	RequestID, OfferID, PlanID, PersonID, ProviderOrgID, ServiceID uuid.UUID `gorm:"type:uuid"`
	PersonName, ProviderName, ServiceName, ServiceType, Team       string
	HoursPerWeek, Places                                           int
	HourlyRatePence, WeeklyCostPence                               int64
	StartDate                                                      day.Date
	WelfareCheckDue, FirstReviewFrom, FirstReviewBy                day.Date
	AnnualReviewDue                                                day.Date
	TermsVersion, Funding, Status                                  string
	InformationPack                                                json.RawMessage `gorm:"type:jsonb"`
	CreatedAt                                                      time.Time
	CreatedBy                                                      *uuid.UUID `gorm:"type:uuid"`
	EndedAt                                                        *time.Time
	OutOfArea                                                      bool
	HostArea                                                       string
	EndsOn                                                         day.Date
	EndReason                                                      string
	ReplacedBy                                                     *uuid.UUID `gorm:"type:uuid"`
	CQCLocationID                                                  string     `gorm:"column:cqc_location_id"`
	LocationName, LocationAddress                                  string
	OverBudgetPence                                                int64
	OverBudgetApprover                                             string
	OverBudgetApprovedAt                                           *time.Time
	CouncilAcceptedByName                                          string
	ProviderAcceptedAt                                             *time.Time
	ProviderAcceptedBy                                             *uuid.UUID `gorm:"type:uuid"`
	ProviderAcceptedByName                                         string
}

func (agreementRow) TableName() string { return "agreements" }

func (r agreementRow) agreement() (Agreement, error) {
	var pack InformationPack
	if err := json.Unmarshal(r.InformationPack, &pack); err != nil {
		return Agreement{}, errs.Internalf(err, "agreement %s: unreadable information pack", r.ID)
	}
	var over *OverBudget
	if r.OverBudgetPence > 0 {
		over = &OverBudget{WeeklyPence: r.OverBudgetPence, ApprovedBy: r.OverBudgetApprover, ApprovedAt: r.OverBudgetApprovedAt}
	}
	return Agreement{
		CQCLocationID: r.CQCLocationID, LocationName: r.LocationName, LocationAddress: r.LocationAddress, OverBudget: over,
		Acceptance: Acceptance{CouncilBy: r.CouncilAcceptedByName, CouncilAt: r.CreatedAt, ProviderBy: r.ProviderAcceptedByName,
			ProviderByID: r.ProviderAcceptedBy, ProviderAt: r.ProviderAcceptedAt},
		ID: r.ID, Reference: r.Reference, RequestID: r.RequestID, OfferID: r.OfferID, PlanID: r.PlanID,
		PersonID: r.PersonID, ProviderOrgID: r.ProviderOrgID, ServiceID: r.ServiceID,
		PersonName: r.PersonName, ProviderName: r.ProviderName, ServiceName: r.ServiceName,
		ServiceType: r.ServiceType, Team: r.Team, HoursPerWeek: r.HoursPerWeek, Places: r.Places,
		HourlyRatePence: r.HourlyRatePence, WeeklyCostPence: r.WeeklyCostPence, StartDate: r.StartDate,
		Reviews: ReviewSchedule{
			WelfareCheckDue: r.WelfareCheckDue, FirstReviewFrom: r.FirstReviewFrom,
			FirstReviewBy: r.FirstReviewBy, AnnualReviewDue: r.AnnualReviewDue,
		},
		TermsVersion: r.TermsVersion, Funding: Funding(r.Funding), Status: Status(r.Status),
		Payer: Funding(r.Funding).Payer(), ProviderManagesFund: Funding(r.Funding).ProviderManagesFund(),
		OutOfArea: r.OutOfArea, HostArea: r.HostArea, EndsOn: r.EndsOn, EndReason: r.EndReason, ReplacedBy: r.ReplacedBy,
		InformationPack: &pack, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, EndedAt: r.EndedAt,
	}, nil
}

// Create makes the service agreement for a request whose start date has
// just been agreed. It runs in tx, the caller's transaction (which should
// hold the request's row lock), and writes: the agreement with its stable
// reference and information pack, its review tasks (welfare check, first
// review, first yearly review), exactly one finance notification, a
// notification to the provider organisation and one to the person, and the
// audit event. Nothing is visible until the caller commits.
//
// It returns Invalid naming the field that is wrong, or Conflict if the
// request already has an active agreement (also when two callers race:
// a unique index decides, and the loser's transaction must roll back).
func (s *Store) Create(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, n NewAgreement) (Agreement, error) {
	if tx == nil {
		return Agreement{}, errs.Internalf(nil, "Create needs the caller's transaction")
	}
	if err := n.Validate(); err != nil {
		return Agreement{}, err
	}
	db := tx.Gorm(ctx)
	var existing string
	err := db.Raw(`SELECT reference FROM agreements WHERE request_id = ? AND status = 'active'`, n.RequestID).Scan(&existing).Error
	if err != nil {
		return Agreement{}, postgres.Translate(err)
	}
	if existing != "" {
		return Agreement{}, errs.Conflictf("this request already has an active service agreement, %s", existing)
	}
	var seq int64
	if err := db.Raw(`SELECT nextval('agreement_reference_seq')`).Scan(&seq).Error; err != nil {
		return Agreement{}, postgres.Translate(err)
	}
	now := s.now().UTC()
	pack := n.InformationPack
	a := Agreement{
		ID: uuid.New(), Reference: fmt.Sprintf("SA-%04d-%06d", now.Year(), seq),
		RequestID: n.RequestID, OfferID: n.OfferID, PlanID: n.PlanID, PersonID: n.PersonID,
		ProviderOrgID: n.ProviderOrgID, ServiceID: n.ServiceID, PersonName: n.PersonName,
		ProviderName: n.ProviderName, ServiceName: n.ServiceName, ServiceType: n.ServiceType, Team: n.Team,
		HoursPerWeek: n.HoursPerWeek, Places: n.Places, HourlyRatePence: n.HourlyRatePence,
		WeeklyCostPence: n.WeeklyCostPence, StartDate: n.StartDate, Reviews: ScheduleFor(n.StartDate),
		TermsVersion: TermsVersion, Funding: n.Funding, Status: Active, InformationPack: &pack, CreatedAt: now,
		Payer: n.Funding.Payer(), ProviderManagesFund: n.Funding.ProviderManagesFund(), OutOfArea: n.OutOfArea, HostArea: n.HostArea,
		CQCLocationID: n.CQCLocationID, LocationName: n.LocationName, LocationAddress: n.LocationAddress,
		Acceptance: Acceptance{CouncilBy: n.CouncilAcceptedBy, CouncilAt: now},
	}
	if n.OverBudgetPence > 0 {
		a.OverBudget = &OverBudget{WeeklyPence: n.OverBudgetPence, ApprovedBy: n.ApproverName, ApprovedAt: n.ApprovedAt}
	}
	if actor.UserID != uuid.Nil {
		by := actor.UserID
		a.CreatedBy = &by
	}
	row, err := rowOf(a)
	if err != nil {
		return Agreement{}, err
	}
	if err := db.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Agreement{}, errs.Conflictf("this request already has an active service agreement")
		}
		return Agreement{}, postgres.Translate(err)
	}
	for _, t := range tasksFor(a.Reviews) {
		if err := insertTask(db, a, t, now); err != nil {
			return Agreement{}, err
		}
	}
	for _, note := range agreementNotifications(a) {
		if _, err := notify(ctx, tx, note); err != nil {
			return Agreement{}, err
		}
	}
	err = audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "agreement.create", ObjectType: "agreement", ObjectID: a.ID.String(), PersonID: a.PersonID,
		Summary: map[string]any{
			"reference": a.Reference, "request_id": a.RequestID, "offer_id": a.OfferID,
			"provider_org_id": a.ProviderOrgID, "service_id": a.ServiceID, "start_date": a.StartDate,
			"hours_per_week": a.HoursPerWeek, "places": a.Places, "weekly_cost_pence": a.WeeklyCostPence,
			"funding": a.Funding, "terms_version": a.TermsVersion, "reviews": a.Reviews,
			"out_of_area": a.OutOfArea, "host_area": a.HostArea,
		},
	})
	if err != nil {
		return Agreement{}, err
	}
	return a, nil
}

func rowOf(a Agreement) (agreementRow, error) {
	pack, err := json.Marshal(a.InformationPack)
	if err != nil {
		return agreementRow{}, errs.Internalf(err, "information pack")
	}
	r := agreementRow{
		ID: a.ID, Reference: a.Reference, RequestID: a.RequestID, OfferID: a.OfferID, PlanID: a.PlanID,
		PersonID: a.PersonID, ProviderOrgID: a.ProviderOrgID, ServiceID: a.ServiceID,
		PersonName: a.PersonName, ProviderName: a.ProviderName, ServiceName: a.ServiceName,
		ServiceType: a.ServiceType, Team: a.Team, HoursPerWeek: a.HoursPerWeek, Places: a.Places,
		HourlyRatePence: a.HourlyRatePence, WeeklyCostPence: a.WeeklyCostPence, StartDate: a.StartDate,
		WelfareCheckDue: a.Reviews.WelfareCheckDue, FirstReviewFrom: a.Reviews.FirstReviewFrom,
		FirstReviewBy: a.Reviews.FirstReviewBy, AnnualReviewDue: a.Reviews.AnnualReviewDue,
		TermsVersion: a.TermsVersion, Funding: string(a.Funding), Status: string(a.Status),
		InformationPack: pack, CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, EndedAt: a.EndedAt,
		OutOfArea: a.OutOfArea, HostArea: a.HostArea, EndsOn: a.EndsOn, EndReason: a.EndReason, ReplacedBy: a.ReplacedBy,
		CQCLocationID: a.CQCLocationID, LocationName: a.LocationName, LocationAddress: a.LocationAddress,
		CouncilAcceptedByName: a.Acceptance.CouncilBy,
	}
	if a.OverBudget != nil {
		r.OverBudgetPence, r.OverBudgetApprover, r.OverBudgetApprovedAt = a.OverBudget.WeeklyPence, a.OverBudget.ApprovedBy, a.OverBudget.ApprovedAt
	}
	return r, nil
}

// FinanceNotificationKind is the kind of the one finance notification each
// agreement gets.
const FinanceNotificationKind = "agreement.created"

// agreementNotifications are the notifications Create writes: exactly one
// to the finance team (a unique index backs this up), and one each to the
// provider organisation and the person so both see the agreed start date.
func agreementNotifications(a Agreement) []Notification {
	id := a.ID
	link := "/api/v1/agreements/" + a.ID.String()
	amount := fmt.Sprintf("%d hours a week at %s an hour", a.HoursPerWeek, money.Format(a.HourlyRatePence))
	if !a.HourBased() {
		amount = fmt.Sprintf("%d place(s)", a.Places)
	}
	placement := ""
	if a.OutOfArea {
		placement = fmt.Sprintf("\nOut-of-area placement: host area %s.", a.HostArea)
	}
	finance := Notification{
		Audience: ToFinance(), Kind: FinanceNotificationKind, AgreementID: &id,
		IdempotencyKey: "agreement.created:finance:" + a.ID.String(),
		Subject:        fmt.Sprintf("New service agreement %s: %s from %s", a.Reference, a.PersonName, a.StartDate.UK()),
		Body: fmt.Sprintf("%s has agreed to provide %s (%s) for %s, starting %s.\n%s, %s a week.\n%s.\nTerms %s.%s",
			a.ProviderName, a.ServiceName, a.ServiceType, a.PersonName, a.StartDate.UK(), amount,
			money.Format(a.WeeklyCostPence), a.Funding.Describe(), a.TermsVersion, placement),
		ObjectType: "agreement", ObjectID: a.ID.String(), Link: link,
		Data: map[string]any{
			"agreement_id": a.ID, "reference": a.Reference, "request_id": a.RequestID, "person_id": a.PersonID,
			"person_name": a.PersonName, "provider_org_id": a.ProviderOrgID, "provider_name": a.ProviderName,
			"service_id": a.ServiceID, "service_name": a.ServiceName, "service_type": a.ServiceType,
			"hours_per_week": a.HoursPerWeek, "places": a.Places, "hourly_rate_pence": a.HourlyRatePence,
			"weekly_cost_pence": a.WeeklyCostPence, "start_date": a.StartDate, "funding": a.Funding,
			"financial_assessment_needed": a.Funding != SelfFunded, "terms_version": a.TermsVersion,
			"payer": a.Payer, "provider_manages_fund": a.ProviderManagesFund,
			"out_of_area": a.OutOfArea, "host_area": a.HostArea,
		},
	}
	provider := Notification{
		Audience: ToProviderOrg(a.ProviderOrgID), Kind: "agreement.made", AgreementID: &id,
		IdempotencyKey: "agreement.created:provider:" + a.ID.String(),
		Subject:        fmt.Sprintf("Service agreement %s: %s starts %s", a.Reference, a.ServiceName, a.StartDate.UK()),
		Body: fmt.Sprintf("The start date for %s is agreed: %s. %s, %s a week. The agreement and the information pack are ready to read.",
			a.PersonName, a.StartDate.UK(), amount, money.Format(a.WeeklyCostPence)),
		ObjectType: "agreement", ObjectID: a.ID.String(), Link: link,
	}
	person := Notification{
		Audience: ToPerson(a.PersonID), Kind: "agreement.made", AgreementID: &id,
		IdempotencyKey: "agreement.created:person:" + a.ID.String(),
		Subject:        fmt.Sprintf("Your care from %s starts on %s", a.ProviderName, a.StartDate.UK()),
		Body: fmt.Sprintf("Your service agreement %s is ready to read. Someone from your team will check in with you by %s.",
			a.Reference, a.Reviews.WelfareCheckDue.UK()),
		ObjectType: "agreement", ObjectID: a.ID.String(), Link: link,
	}
	return []Notification{finance, provider, person}
}

// Agreement returns the agreement if the actor may see it, and records the
// read in the audit trail. A client sees their own person's agreements, a
// provider user their organisation's, a practitioner their team's, brokers
// and admins all, and finance those it was notified of (without the
// information pack, which finance has no need of). It returns NotFound for
// anything else, whether or not it exists.
func (s *Store) Agreement(ctx context.Context, actor accounts.Actor, id uuid.UUID) (Agreement, error) {
	a, err := s.visibleAgreement(ctx, actor, id)
	if err != nil {
		return Agreement{}, err
	}
	return a, s.recordRead(ctx, actor, a, "agreement.view")
}

func (s *Store) visibleAgreement(ctx context.Context, actor accounts.Actor, id uuid.UUID) (Agreement, error) {
	notFound := errs.NotFoundf("there is no service agreement %s that you can see", id)
	var row agreementRow
	err := s.db.Gorm(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Agreement{}, notFound
	}
	if err != nil {
		return Agreement{}, postgres.Translate(err)
	}
	a, err := row.agreement()
	if err != nil {
		return Agreement{}, err
	}
	ok, err := s.canSee(ctx, actor, a)
	if err != nil {
		return Agreement{}, err
	}
	if !ok {
		return Agreement{}, notFound
	}
	if actor.Role == accounts.Finance {
		a.InformationPack = nil
	}
	return a, nil
}

func (s *Store) canSee(ctx context.Context, actor accounts.Actor, a Agreement) (bool, error) {
	switch actor.Role {
	case accounts.Broker, accounts.Admin, accounts.System:
		return true, nil
	case accounts.Client:
		return actor.PersonID != uuid.Nil && actor.PersonID == a.PersonID, nil
	case accounts.ProviderUser:
		return actor.ProviderOrgID != uuid.Nil && actor.ProviderOrgID == a.ProviderOrgID, nil
	case accounts.Practitioner:
		return actor.Team != "" && actor.Team == a.Team, nil
	case accounts.Finance:
		var sent bool
		err := s.db.Gorm(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM notifications
			WHERE agreement_id = ? AND audience_kind = 'finance' AND inbox_at IS NOT NULL)`, a.ID).Scan(&sent).Error
		return sent, postgres.Translate(err)
	}
	return false, nil
}

func (s *Store) recordRead(ctx context.Context, actor accounts.Actor, a Agreement, action string) error {
	if actor.Role == accounts.System {
		return nil
	}
	return audit.Record(ctx, s.db, audit.Entry{
		Actor: actor, Action: action, ObjectType: "agreement", ObjectID: a.ID.String(), PersonID: a.PersonID,
		Summary: map[string]any{"reference": a.Reference},
	})
}

// AgreementForRequest returns the request's active agreement or, if it has
// none, its most recent one. It does not check access: it is for use cases
// that have already checked the request. It returns NotFound if the request
// has no agreement.
func (s *Store) AgreementForRequest(ctx context.Context, requestID uuid.UUID) (Agreement, error) {
	var row agreementRow
	err := s.db.Gorm(ctx).Where("request_id = ?", requestID).
		Order("status = 'active' DESC, created_at DESC").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Agreement{}, errs.NotFoundf("request %s has no service agreement", requestID)
	}
	if err != nil {
		return Agreement{}, postgres.Translate(err)
	}
	return row.agreement()
}
