package frontend

import (
	"fmt"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/money"
)

// addResponses fills the providers' answers as they stand, and whether the
// broker may chase them or give them longer.
func (p *requestPage) addResponses(invs []brokerage.InvitationView, form *Form) {
	r := p.Request
	p.HasResponses = len(invs) > 0
	p.Responses = Table{Caption: "Providers invited", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "Provider"}, {Text: "Answer"}, {Text: "Offer"}, {Text: "Could start"}, {Text: "Reminders sent", Numeric: true}}}
	waiting := 0
	for _, inv := range invs {
		tag := StatusTag(inv.Outcome)
		offer, start := "", ""
		switch {
		case inv.Offer != nil:
			o := inv.Offer
			offer = fmt.Sprintf("%s a week for %s", money.Format(o.WeeklyPricePence), brokerage.Amount(o.HoursPerWeek, o.Places))
			if o.OverBudget {
				offer += fmt.Sprintf(" (%s over budget)", money.Format(o.WeeklyPricePence-r.BudgetWeeklyPence))
			}
			if o.Notes != "" {
				offer += ". They said: “" + o.Notes + "”"
			}
			start = o.EarliestStart.UK()
		case inv.Status == brokerage.InvitationDeclined:
			offer = "Declined: " + inv.DeclineReason
		default:
			offer = "Answer by " + ukDeadline(inv.Deadline)
		}
		if inv.Outcome == "awaiting_answer" {
			waiting++
		}
		p.Responses.Rows = append(p.Responses.Rows, []Cell{{Text: providerService(inv.ProviderName, inv.ServiceName)}, {Tag: &tag},
			{Text: offer}, {Text: start}, {Text: fmt.Sprint(inv.ChaseCount), Numeric: true}})
	}
	p.CanChase = r.Status.TakesOffers() && waiting > 0
	p.CanExtend = r.Status.TakesOffers() || r.Status == brokerage.NoOffers
	if r.ResponseDeadline != nil {
		p.Deadline = ukDeadline(*r.ResponseDeadline)
	}
	p.DeadlineInput = form.DateInput("deadline")
}

// addChoice fills the form that records the person's choice on their
// behalf, or what was chosen, or why nothing can be chosen yet.
func (p *requestPage) addChoice(cmp brokerage.OfferComparison, form *Form) {
	p.Offers = cmp.Offers
	if cmp.Choice != nil {
		rows := []SummaryRow{}
		for _, o := range cmp.Offers {
			if o.ID == cmp.Choice.OfferID {
				rows = append(rows, SummaryRow{Key: "Provider", Value: providerService(o.ProviderName, o.ServiceName)},
					SummaryRow{Key: "Price", Value: o.WeeklyPrice + " a week for " + o.Amount})
			}
		}
		who := map[brokerage.ChosenAs]string{
			brokerage.ChosenByPerson:         "The person, in the service",
			brokerage.ChosenByRepresentative: "Their representative, " + cmp.Choice.RepresentativeName,
			brokerage.ChosenByBroker:         "The person; a broker recorded it on their behalf",
		}[cmp.Choice.ChosenAs]
		rows = append(rows, SummaryRow{Key: "Chosen by", Value: who}, SummaryRow{Key: "Chosen on", Value: UKDateTime(cmp.Choice.At)})
		if cmp.Choice.Reason != "" {
			rows = append(rows, SummaryRow{Key: "How they told us", Value: cmp.Choice.Reason})
		}
		p.Chosen = &SummaryList{Rows: rows}
		p.CanUndoChoice = p.Request.Status == brokerage.Chosen
		p.CannotStartReason = form.Field("cannot_start_reason")
		for _, o := range cmp.Offers {
			if o.ID == cmp.Choice.OfferID {
				p.ChosenProvider = providerService(o.ProviderName, o.ServiceName)
			}
		}
		return
	}
	radios := form.Options(Options{Name: "offer_id", Legend: "Which offer did " + p.Request.PersonName + " choose?", LegendSize: "s"})
	for _, o := range cmp.Offers {
		if !o.Choosable {
			if o.NotChoosable != "" {
				p.NotChoosable = append(p.NotChoosable, providerService(o.ProviderName, o.ServiceName)+": "+sentence(o.NotChoosable))
			}
			continue
		}
		hint := fmt.Sprintf("%s a week for %s, from %s.", o.WeeklyPrice, o.Amount, o.EarliestStart.UK())
		if o.OverBudget {
			hint += " Over budget; approved by a budget approver."
		}
		radios.Items = append(radios.Items, Option{Value: o.ID.String(), Text: providerService(o.ProviderName, o.ServiceName), Hint: hint,
			Checked: form.Value("offer_id") == o.ID.String()})
	}
	p.ChoiceRadios = radios
	p.CanChoose = len(radios.Items) > 0 && p.Request.Status == brokerage.OffersReceived
	p.Confirm = form.Options(Options{Name: "confirm", Legend: "Confirm", Items: []Option{{Value: "yes",
		Text:    "I confirm this is " + p.Request.PersonName + "'s own choice, or their representative's, and I am recording it for them",
		Checked: form.Value("confirm") == "yes"}}})
	p.ChoiceReason = form.Field("reason")
	switch {
	case p.CanChoose:
	case len(cmp.Offers) == 0:
		p.NoChoiceWhy = "No provider has made an offer yet."
	default:
		p.NoChoiceWhy = "None of the offers can be chosen now."
	}
}

// addStart fills the start date form, once an offer is chosen.
func (p *requestPage) addStart(cmp brokerage.OfferComparison, form *Form) {
	if p.Request.Status != brokerage.Chosen || cmp.Choice == nil {
		return
	}
	for _, o := range cmp.Offers {
		if o.ID != cmp.Choice.OfferID {
			continue
		}
		p.CanAgree = true
		p.StartHint = fmt.Sprintf("On or after %s, when %s can start. For example, %d %d %d", o.EarliestStart.UK(), o.ProviderName,
			o.EarliestStart.Day, int(o.EarliestStart.Month), o.EarliestStart.Year)
		if form.Value("start_date-day") == "" && !form.HasErrors() {
			form.SetDate("start_date", o.EarliestStart)
		}
	}
	p.StartInput = form.DateInput("start_date")
	p.StartInput.Hint = p.StartHint
}

// requestTasks is the task list at the top: the steps from plan to
// agreement and where each stands.
func requestTasks(r brokerage.RequestView, p *requestPage, invited int, cmp brokerage.OfferComparison) TaskList {
	done := Tag{Text: "Completed", Class: ""}
	todo := Tag{Text: "To do", Class: "govuk-tag--blue"}
	waiting := Tag{Text: "Waiting", Class: "govuk-tag--yellow"}
	cannot := Tag{Text: "Cannot start yet"}
	final := r.Status == brokerage.Cancelled
	task := func(title, href string, status Tag) Task {
		t := Task{Title: title, Status: status, Href: href, Done: status == done, CannotStart: status == cannot}
		if final || t.CannotStart {
			t.Href = ""
		}
		return t
	}
	var ts []Task
	switch {
	case p.Match != nil:
		ts = append(ts, task("Find providers", "#match", done))
	case p.CanMatch:
		ts = append(ts, task("Find providers", "#match", todo))
	default:
		ts = append(ts, task("Find providers", "", cannot))
	}
	switch {
	case invited > 0:
		ts = append(ts, task("Invite providers", "#match", done))
	case p.Match != nil && p.Match.CanInvite:
		ts = append(ts, task("Invite providers", "#match", todo))
	default:
		ts = append(ts, task("Invite providers", "", cannot))
	}
	offers := len(cmp.Offers)
	switch {
	case offers > 0:
		ts = append(ts, task(fmt.Sprintf("Providers answer (%d offer%s)", offers, plural(offers)), "#responses", done))
	case invited > 0:
		ts = append(ts, task("Providers answer", "#responses", waiting))
	default:
		ts = append(ts, task("Providers answer", "", cannot))
	}
	switch {
	case cmp.Choice != nil:
		ts = append(ts, task("Record the person's choice", "#choice", done))
	case p.CanChoose:
		ts = append(ts, task("Record the person's choice", "#choice", todo))
	default:
		ts = append(ts, task("Record the person's choice", "", cannot))
	}
	switch {
	case r.Status == brokerage.Agreed:
		ts = append(ts, task("Agree a start date", "#agreement", done))
	case p.CanAgree:
		ts = append(ts, task("Agree a start date", "#start-date", todo))
	default:
		ts = append(ts, task("Agree a start date", "", cannot))
	}
	return TaskList{ID: "steps", Items: ts}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
