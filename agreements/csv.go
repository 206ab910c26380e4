package agreements

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/money"
)

// FinanceAgreementsCSV writes, for the finance team, one line per agreement
// that was sent to finance: reference, parties, service, amounts (pence and
// pounds), start date, funding and whether finance has acknowledged it.
// Dates are ISO (2026-12-01) and times UTC RFC 3339, so spreadsheets sort
// them. It returns Forbidden for anyone but finance.
func (s *Store) FinanceAgreementsCSV(ctx context.Context, actor accounts.Actor, w io.Writer) error {
	rows, err := s.financeAgreements(ctx, actor)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"reference", "agreement_id", "status", "person_id", "person_name", "provider_org_id", "provider_name",
		"service_name", "service_type", "hours_per_week", "places", "hourly_rate_pence", "weekly_cost_pence", "weekly_cost",
		"start_date", "funding", "financial_assessment_needed", "terms_version", "notified_at", "acknowledged_at"})
	for _, fr := range rows {
		r := fr.Row
		cw.Write([]string{
			r.Reference, r.ID.String(), r.Status, r.PersonID.String(), cell(r.PersonName), r.ProviderOrgID.String(),
			cell(r.ProviderName), cell(r.ServiceName), cell(r.ServiceType), strconv.Itoa(r.HoursPerWeek), strconv.Itoa(r.Places),
			strconv.FormatInt(r.HourlyRatePence, 10), strconv.FormatInt(r.WeeklyCostPence, 10), money.Format(r.WeeklyCostPence),
			r.StartDate.String(), r.Funding, strconv.FormatBool(Funding(r.Funding) != SelfFunded), r.TermsVersion,
			stamp(&fr.NotifiedAt), stamp(fr.AcknowledgedAt),
		})
	}
	cw.Flush()
	return cw.Error()
}

// FinanceNotificationsCSV writes one line per notification delivered to the
// finance team. It returns Forbidden for anyone but finance.
func (s *Store) FinanceNotificationsCSV(ctx context.Context, actor accounts.Actor, w io.Writer) error {
	rows, err := s.financeNotifications(ctx, actor)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"notification_id", "kind", "subject", "agreement_reference", "agreement_id", "created_at",
		"delivered_to_inbox_at", "sent_to_webhook_at", "acknowledged_at", "acknowledged_by"})
	for _, fr := range rows {
		r := fr.Row
		ref, agreementID, by := "", "", ""
		if fr.AgreementReference != nil {
			ref = *fr.AgreementReference
		}
		if r.AgreementID != nil {
			agreementID = r.AgreementID.String()
		}
		if r.AcknowledgedBy != nil {
			by = r.AcknowledgedBy.String()
		}
		cw.Write([]string{r.ID.String(), r.Kind, cell(r.Subject), ref, agreementID, stamp(&r.CreatedAt),
			stamp(r.InboxAt), stamp(r.WebhookAt), stamp(r.AcknowledgedAt), by})
	}
	cw.Flush()
	return cw.Error()
}

// cell defuses text that a spreadsheet would run as a formula (CSV
// injection): a leading =, +, -, @, tab or carriage return gets a quote.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
