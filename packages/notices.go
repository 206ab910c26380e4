package packages

import (
	"fmt"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
)

// ChangedNotificationKind is the kind of the finance notification each
// applied change sends.
const ChangedNotificationKind = "package.changed"

// DayAmount is what one day costs before and after a change.
type DayAmount struct {
	Day    day.Date `json:"day"`
	Before int64    `json:"before_pence"`
	After  int64    `json:"after_pence"`
}

// affected is the period finance is given day by day for change c: from its
// first day to the Sunday of the week after (so one whole week at the new
// rate is shown), or to the last day of a bounded new line if later, never
// more than 13 weeks.
func affected(c Change, after []Line) (day.Date, day.Date) {
	first := c.EffectiveFrom
	toSunday := (7 - int(first.Weekday())) % 7
	last := first.AddDays(toSunday + 7)
	for _, l := range after {
		if l.ChangeID == c.ID && !l.To.IsZero() && l.To.After(last) {
			last = l.To
		}
	}
	if limit := first.AddDays(91); last.After(limit) {
		last = limit
	}
	return first, last
}

// DaysBetween lists each day's cost from first to last on the lines before
// and after a change.
func DaysBetween(before, after []Line, first, last day.Date) []DayAmount {
	var out []DayAmount
	for d := first; !d.After(last); d = d.AddDays(1) {
		out = append(out, DayAmount{Day: d, Before: CostBetween(before, d, d), After: CostBetween(after, d, d)})
	}
	return out
}

// financeNotice tells the finance team what an applied change does to what
// the council pays: the lines ended, withdrawn and started, and the per-day
// amounts before and after over the affected period. Its key is the
// change's, so finance hears of each change once.
func financeNotice(ag agreements.Agreement, c Change, before, after []Line) agreements.Notification {
	first, last := affected(c, after)
	days := DaysBetween(before, after, first, last)
	var was, now int64
	for _, d := range days {
		was, now = was+d.Before, now+d.After
	}
	var started, ended []map[string]any
	for _, l := range after {
		if l.ChangeID == c.ID {
			started = append(started, map[string]any{"line_id": l.ID, "kind": l.Kind, "from": l.From, "to": l.To,
				"hours_per_week": l.HoursPerWeek, "places": l.Places, "unit_price_pence": l.UnitPricePence,
				"weekly_cost_pence": l.WeeklyCostPence, "week_pattern_pence": WeekPattern(l.WeeklyCostPence)})
		}
	}
	old := map[string]Line{}
	for _, l := range before {
		old[l.ID.String()] = l
	}
	for _, l := range after {
		if o, ok := old[l.ID.String()]; ok && (o.To != l.To || o.Withdrawn() != l.Withdrawn()) {
			ended = append(ended, map[string]any{"line_id": l.ID, "from": l.From, "to": l.To, "withdrawn": l.Withdrawn(),
				"weekly_cost_pence": l.WeeklyCostPence})
		}
	}
	id := ag.ID
	return agreements.Notification{
		Audience: agreements.ToFinance(), Kind: ChangedNotificationKind, AgreementID: &id,
		IdempotencyKey: "package.changed:finance:" + c.ID.String(),
		Subject:        fmt.Sprintf("Service agreement %s: %s", ag.Reference, c.Describe()),
		Body: fmt.Sprintf("%s for %s (%s from %s): %s from %s. Reason: %s.\nFrom %s to %s the package costs %s (it would have cost %s).",
			ag.Reference, ag.PersonName, ag.ServiceName, ag.ProviderName, c.Describe(), c.EffectiveFrom.UK(), c.Reason,
			first.UK(), last.UK(), money.Format(now), money.Format(was)),
		ObjectType: "agreement", ObjectID: ag.ID.String(), Link: "/api/v1/agreements/" + ag.ID.String() + "/package",
		Data: map[string]any{"agreement_id": ag.ID, "reference": ag.Reference, "change_id": c.ID, "kind": c.Kind, "side": c.Side,
			"effective_from": c.EffectiveFrom, "reason": c.Reason, "lines_started": started, "lines_ended": ended,
			"period": map[string]any{"from": first, "to": last, "before_pence": was, "after_pence": now}, "days": days,
			"funding": ag.Funding, "payer": ag.Payer},
	}
}

// partyNotices tell the provider and the person what changed and why.
func partyNotices(ag agreements.Agreement, c Change) []agreements.Notification {
	id, link := ag.ID, "/api/v1/agreements/"+ag.ID.String()+"/package"
	what := fmt.Sprintf("%s: %s. Reason: %s.", ag.Reference, c.Describe(), c.Reason)
	return []agreements.Notification{
		{Audience: agreements.ToProviderOrg(ag.ProviderOrgID), Kind: ChangedNotificationKind, AgreementID: &id,
			IdempotencyKey: "package.changed:provider:" + c.ID.String(), Subject: "Care package " + ag.Reference + " changed",
			Body: what, ObjectType: "agreement", ObjectID: ag.ID.String(), Link: link},
		{Audience: agreements.ToPerson(ag.PersonID), Kind: ChangedNotificationKind, AgreementID: &id,
			IdempotencyKey: "package.changed:person:" + c.ID.String(), Subject: "Your care from " + ag.ProviderName + " has changed",
			Body:       fmt.Sprintf("Your care from %s: %s. Why: %s.", ag.ProviderName, c.Describe(), c.Reason),
			ObjectType: "agreement", ObjectID: ag.ID.String(), Link: link},
	}
}

// askedNotice tells the brokerage team a provider asked for a change.
func askedNotice(ag agreements.Agreement, c Change) agreements.Notification {
	id := ag.ID
	return agreements.Notification{Audience: agreements.ToRole(accounts.Broker), Kind: "package.change_asked", AgreementID: &id,
		IdempotencyKey: "package.change_asked:" + c.ID.String(),
		Subject:        fmt.Sprintf("%s asks to change %s: %s", ag.ProviderName, ag.Reference, c.Describe()),
		Body:           "Reason: " + c.Reason + ". Approve or refuse it with a reason.", ObjectType: "package_change", ObjectID: c.ID.String(),
		Link: "/api/v1/package-changes/" + c.ID.String()}
}

// decidedNotice tells the provider what the council decided.
func decidedNotice(ag agreements.Agreement, c Change) agreements.Notification {
	id := ag.ID
	body := "Approved."
	if c.Status == Refused {
		body = "Refused: " + c.DecisionReason
	}
	return agreements.Notification{Audience: agreements.ToProviderOrg(ag.ProviderOrgID), Kind: "package.change_decided", AgreementID: &id,
		IdempotencyKey: "package.change_decided:" + c.ID.String(),
		Subject:        fmt.Sprintf("Your change to %s (%s) was %s", ag.Reference, c.Describe(), c.Status),
		Body:           body, ObjectType: "package_change", ObjectID: c.ID.String(), Link: "/api/v1/agreements/" + ag.ID.String() + "/package"}
}
