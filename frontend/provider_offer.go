package frontend

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
)

// The invitation page's two forms: the offer, with money typed in pounds,
// and the decline, with its reason. Each acts at most once per drawing.

// offerForm holds both forms of the invitation page (offer and decline), so
// an error in either shows in the page's error summary linked to its field.
func offerForm() *Form {
	return NewForm(
		Field{Name: "hourly_rate", Label: "Hourly rate", Hint: "In pounds, for example 24.50", Prefix: "£", Width: "govuk-input--width-5", InputMode: "decimal", NoSpellcheck: true},
		Field{Name: "hours_per_week", Label: "Hours a week", Suffix: "hours", Width: "govuk-input--width-3", InputMode: "numeric"},
		Field{Name: "weekly_price", Label: "Price a week", Hint: "In pounds, for example 950.00", Prefix: "£", Width: "govuk-input--width-5", InputMode: "decimal", NoSpellcheck: true},
		Field{Name: "places", Label: "Places", Width: "govuk-input--width-3", InputMode: "numeric"},
		DateField("earliest_start", "Proposed start date", "The first day you could start. For example, 27 3 2027"),
		DateField("valid_until", "Offer stands until", "The last day the person can choose this offer. For example, 27 4 2027"),
		Field{Name: "notes", Label: "Message to the person (optional)", Hint: "What they should know: when carers can visit, who they would meet, what is included. The person and the council see this."},
		Field{Name: "reason", Label: "Why you cannot take this request", Hint: "The council sees this. For example, no carers free in that area until March."},
		Field{Name: "withdraw_reason", Label: "Why you are withdrawing the offer (optional)", Hint: "The council sees this. For example, the carers we had in mind are no longer free."},
	)
}

// providerOffer sends the provider's offer: money typed in pounds becomes
// pence, the weekly price of care by the hour is the rate times the hours.
func (f *Frontend) providerOffer(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := offerForm().Bind(c)
	inv, err := svc.Invitation(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	var n brokerage.NewOffer
	if inv.Request.HoursPerWeek > 0 {
		rate, ok := parsePounds(form.Value("hourly_rate"))
		switch {
		case form.Value("hourly_rate") == "":
			form.Add("hourly_rate", "Enter your hourly rate, like 24.50")
		case !ok:
			form.Add("hourly_rate", "Hourly rate must be an amount of money, like 24.50")
		}
		hours, ok := parseCount(form.Value("hours_per_week"))
		if !ok || hours < 1 || hours > 168 {
			form.Add("hours_per_week", "Hours a week must be a whole number from 1 to 168, like 14")
		}
		n.HourlyRatePence, n.HoursPerWeek, n.WeeklyPricePence = rate, hours, rate*int64(hours)
	} else {
		price, ok := parsePounds(form.Value("weekly_price"))
		switch {
		case form.Value("weekly_price") == "":
			form.Add("weekly_price", "Enter your price a week, like 950.00")
		case !ok:
			form.Add("weekly_price", "Price a week must be an amount of money, like 950.00")
		}
		places, ok := parseCount(form.Value("places"))
		if !ok || places < 1 || places > 7 {
			form.Add("places", "Places must be a whole number from 1 to 7, like 1")
		}
		n.WeeklyPricePence, n.Places = price, places
	}
	start, err := form.BindDate(c, "earliest_start", "Proposed start date", true)
	form.AddError(err)
	until, err := form.BindDate(c, "valid_until", "Offer stands until", true)
	form.AddError(err)
	n.EarliestStart, n.ValidUntil, n.Notes = start, until, form.Value("notes")
	if form.HasErrors() {
		return f.drawInvitation(c, http.StatusBadRequest, form)
	}
	fields := map[string]string{"weekly_price_pence": "weekly_price", "hourly_rate_pence": "hourly_rate"}
	if inv.Request.HoursPerWeek > 0 {
		fields["weekly_price_pence"] = "hourly_rate"
	}
	return f.once(c, invitationPath(id), func() error {
		o, err := svc.MakeOffer(f.ctx(c), ActorOf(c), id, n)
		if addFormError(form, err, fields) {
			return f.drawInvitation(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		msg := fmt.Sprintf("Your offer of %s a week for %s is sent", money.Format(o.WeeklyPricePence), inv.Request.Reference)
		if o.OverBudget {
			msg += ". It is over the person's budget, so a budget approver decides whether it can be chosen"
		}
		return f.flashTo(c, msg, invitationPath(id))
	})
}

// providerDecline records that the provider cannot take the request.
func (f *Frontend) providerDecline(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := offerForm().Bind(c)
	if strings.TrimSpace(form.Value("reason")) == "" {
		form.Add("reason", "Enter why you cannot take this request")
		return f.drawInvitation(c, http.StatusBadRequest, form)
	}
	return f.once(c, invitationPath(id), func() error {
		inv, err := svc.Decline(f.ctx(c), ActorOf(c), id, form.Value("reason"))
		if addFormError(form, err, nil) {
			return f.drawInvitation(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "You declined request "+inv.Request.Reference+". The council has been told", "/provider/invitations")
	})
}

// providerWithdraw takes back the provider's open offer on an invitation
// (one not yet chosen); the invitation can be answered again before its
// deadline. A chosen or closed offer is refused as a conflict.
func (f *Frontend) providerWithdraw(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := offerForm().Bind(c)
	inv, err := svc.Invitation(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	if inv.Offer == nil {
		return errs.Conflictf("there is no offer on this invitation to withdraw")
	}
	return f.once(c, invitationPath(id), func() error {
		_, err := svc.WithdrawOffer(f.ctx(c), ActorOf(c), inv.Offer.ID, form.Value("withdraw_reason"))
		if addFormError(form, err, map[string]string{"reason": "withdraw_reason"}) {
			return f.drawInvitation(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "You withdrew your offer for "+inv.Request.Reference+". The council has been told", invitationPath(id))
	})
}
