package frontend

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
)

// Choosing an offer is the person's decision, so it has a page of its own
// that says what choosing means and asks who is choosing, before anything
// changes; then the start date, which makes the agreement.

type confirmChoiceData struct {
	Request brokerage.RequestView
	Card    offerCard
	Who     Options
	Name    Field
}

func choiceForm() *Form {
	return NewForm(
		Field{Name: "who", Label: "Who is choosing"},
		Field{Name: "representative_name", Label: "Your name", Hint: "Only if you are choosing for them as their representative, for example a family member or advocate", Autocomplete: "name"},
	)
}

func (f *Frontend) confirmChoice(c *gin.Context) error {
	return f.drawConfirmChoice(c, http.StatusOK, choiceForm(), c.Param("offer"))
}

// drawConfirmChoice shows the offer about to be chosen. An offer that is not
// on the request, or cannot be chosen now, is not found: the request page
// says why.
func (f *Frontend) drawConfirmChoice(c *gin.Context, status int, form *Form, offerParam string) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	offerID, err := uuid.Parse(offerParam)
	if err != nil {
		return errs.NotFoundf("there is no such offer")
	}
	cmp, err := svc.Offers(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	var d *confirmChoiceData
	for _, o := range cmp.Offers {
		if o.ID == offerID && o.Choosable {
			d = &confirmChoiceData{Request: cmp.Request, Card: f.offerCardOf(c, o, cmp.Request)}
		}
	}
	if d == nil {
		return errs.NotFoundf("offer %s cannot be chosen on this request", offerID)
	}
	d.Who = form.Options(Options{Name: "who", Legend: "Who is choosing?", LegendSize: "m", Items: []Option{
		{Value: "person", Text: "I am " + cmp.Request.PersonName + ", and this is my choice"},
		{Value: "representative", Text: "I am choosing for " + cmp.Request.PersonName + " as their representative"},
	}})
	d.Name = form.Field("representative_name")
	title := "Choose " + d.Card.Title
	return f.render(c, status, "client_choose", View{Title: title, Form: form, Data: d})
}

// clientChoose records the person's choice, or their representative's,
// named as such.
func (f *Frontend) clientChoose(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := choiceForm().Bind(c)
	offerParam := c.PostForm("offer_id")
	offerID, err := uuid.Parse(offerParam)
	if err != nil {
		return errs.NotFoundf("there is no such offer")
	}
	in := brokerage.ChoiceInput{OfferID: offerID}
	switch form.Value("who") {
	case "person":
	case "representative":
		if form.Value("representative_name") == "" {
			form.Add("representative_name", "Enter your name, as the person's representative")
		}
		in.RepresentativeName = form.Value("representative_name")
	default:
		form.Add("who", "Select whether you are the person or their representative")
	}
	if form.HasErrors() {
		return f.drawConfirmChoice(c, http.StatusBadRequest, form, offerParam)
	}
	return f.once(c, yourRequestPath(id)+"#start-date", func() error {
		_, err := svc.Choose(f.ctx(c), ActorOf(c), id, in)
		if addFormError(form, err, map[string]string{"representative_name": "representative_name"}) {
			return f.drawConfirmChoice(c, http.StatusBadRequest, form, offerParam)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "Your choice is saved and the providers have been told. Now agree the date your care starts", yourRequestPath(id)+"#start-date")
	})
}

// clientAgree agrees the start date of the chosen offer, which makes the
// service agreement.
func (f *Frontend) clientAgree(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := clientStartForm()
	start, err := form.BindDate(c, "start_date", "Start date", true)
	if form.AddError(err) {
		return f.drawYourRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, yourRequestPath(id)+"#agreement", func() error {
		ag, err := svc.AgreeStartDate(f.ctx(c), ActorOf(c), id, start)
		if form.AddError(err) {
			return f.drawYourRequest(c, http.StatusBadRequest, form)
		} else if f.startRefused(c, svc, id, form, err, "If the provider you chose cannot start, tell us below and you can choose again") {
			return f.drawYourRequest(c, http.StatusConflict, form)
		} else if err != nil {
			return err
		}
		msg := fmt.Sprintf("Your care with %s starts on %s. Your agreement is %s", ag.ProviderName, ag.StartDate.UK(), ag.Reference)
		return f.flashTo(c, msg, yourRequestPath(id)+"#agreement")
	})
}

// clientCannotStart records that the provider the person chose cannot
// start: they can choose again from the offers that still stand, or the
// council looks for providers again.
func (f *Frontend) clientCannotStart(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := clientStartForm().Bind(c)
	if form.Value("cannot_start_reason") == "" {
		form.Add("cannot_start_reason", "Tell us what has happened")
		return f.drawYourRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, yourRequestPath(id)+"#offers", func() error {
		rv, err := svc.ChosenProviderCannotStart(f.ctx(c), ActorOf(c), id, form.Value("cannot_start_reason"))
		if addFormError(form, err, map[string]string{"reason": "cannot_start_reason"}) {
			return f.drawYourRequest(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		if rv.Status == brokerage.Matching {
			return f.flashTo(c, "We have told the provider. No other offer still stands, so we are looking for care providers again", yourRequestPath(id))
		}
		return f.flashTo(c, "We have told the provider. You can choose again from the offers that still stand", yourRequestPath(id)+"#offers")
	})
}
