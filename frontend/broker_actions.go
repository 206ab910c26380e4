package frontend

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
)

// The request page's forms. Each sends its step to the brokerage use case
// the API calls, at most once per drawing of the form (once); bad input
// redraws the page with the error summary, and a step the request's state
// does not allow (409) shows the "cannot be done now" page with the reason.

func requestPath(id uuid.UUID) string { return "/broker/requests/" + id.String() }

// brokerMatch runs the matcher on the request.
func (f *Frontend) brokerMatch(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	return f.once(c, requestPath(id)+"#match", func() error {
		m, err := svc.RunMatch(f.ctx(c), ActorOf(c), id)
		if err != nil {
			return err
		}
		msg := fmt.Sprintf("%d of the %d services considered can take the request", len(m.Ranked), m.Considered)
		return f.flashTo(c, msg, requestPath(id)+"#match")
	})
}

// brokerInvite invites the providers ticked in the shortlist.
func (f *Frontend) brokerInvite(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := requestForm()
	raw := c.PostFormArray("service_ids")
	form.Set("service_ids", strings.Join(raw, ","))
	var ids []uuid.UUID
	for _, s := range raw {
		sid, err := uuid.Parse(s)
		if err != nil {
			form.Add("service_ids", "Choose providers from the list")
			break
		}
		ids = append(ids, sid)
	}
	if len(raw) == 0 {
		form.Add("service_ids", "Choose at least one provider to invite")
	}
	if form.HasErrors() {
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, requestPath(id)+"#responses", func() error {
		invs, err := svc.Invite(f.ctx(c), ActorOf(c), id, ids)
		if addFormError(form, err, map[string]string{"service_ids": "service_ids"}) {
			return f.drawRequest(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		msg := fmt.Sprintf("Invited %d provider%s. They have until %s to answer", len(invs), plural(len(invs)), ukDeadline(invs[0].Deadline))
		return f.flashTo(c, msg, requestPath(id)+"#responses")
	})
}

// brokerChase reminds the providers who have not answered.
func (f *Frontend) brokerChase(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	return f.once(c, requestPath(id)+"#responses", func() error {
		chased, err := svc.Chase(f.ctx(c), ActorOf(c), id)
		if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("Sent a reminder to %d provider%s", len(chased), plural(len(chased))), requestPath(id)+"#responses")
	})
}

// brokerExtendDeadline gives providers until 5pm on the day chosen.
func (f *Frontend) brokerExtendDeadline(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := requestForm()
	date, err := form.BindDate(c, "deadline", "New response deadline", true)
	if form.AddError(err) {
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	deadline := time.Date(date.Year, date.Month, date.Day, 17, 0, 0, 0, london)
	rv, err := svc.Request(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	switch {
	case !deadline.After(f.now()):
		form.Add("deadline", "The new response deadline must be in the future")
	case rv.ResponseDeadline != nil && !deadline.After(*rv.ResponseDeadline):
		form.Add("deadline", "The new response deadline must be later than the current one, "+ukDeadline(*rv.ResponseDeadline))
	}
	if form.HasErrors() {
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, requestPath(id)+"#responses", func() error {
		_, err := svc.ExtendDeadline(f.ctx(c), ActorOf(c), id, deadline)
		if form.AddError(err) {
			return f.drawRequest(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "Providers now have until "+ukDeadline(deadline)+" to answer", requestPath(id)+"#responses")
	})
}

// brokerChoose records the offer the person chose, on their behalf.
func (f *Frontend) brokerChoose(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := requestForm().Bind(c)
	offerID, err := uuid.Parse(form.Value("offer_id"))
	if err != nil {
		form.Add("offer_id", "Choose the offer the person chose")
	}
	if form.Value("confirm") != "yes" {
		form.Add("confirm", "Confirm that you are recording the person's own choice")
	}
	if form.HasErrors() {
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, requestPath(id)+"#start-date", func() error {
		_, err := svc.Choose(f.ctx(c), ActorOf(c), id, brokerage.ChoiceInput{OfferID: offerID, Reason: form.Value("reason")})
		if addFormError(form, err, nil) {
			return f.drawRequest(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "The person's choice is recorded, saying you recorded it for them. Now agree a start date", requestPath(id)+"#start-date")
	})
}

// brokerAgree agrees the start date of the chosen offer on the person's
// behalf, which makes the service agreement.
func (f *Frontend) brokerAgree(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := requestForm()
	start, err := form.BindDate(c, "start_date", "Start date", true)
	if form.AddError(err) {
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, requestPath(id)+"#agreement", func() error {
		ag, err := svc.AgreeStartDate(f.ctx(c), ActorOf(c), id, start)
		if form.AddError(err) {
			return f.drawRequest(c, http.StatusBadRequest, form)
		} else if f.startRefused(c, svc, id, form, err, "If the provider cannot start, record that below and the person can choose again") {
			return f.drawRequest(c, http.StatusConflict, form)
		} else if err != nil {
			return err
		}
		msg := fmt.Sprintf("Agreement %s is made: %s starts on %s. The provider and the finance team have been told", ag.Reference, ag.ProviderName, ag.StartDate.UK())
		return f.flashTo(c, msg, requestPath(id)+"#agreement")
	})
}

// brokerCannotStart records that the chosen provider cannot start: the
// offers that still stand can be chosen again, or the request goes back to
// matching.
func (f *Frontend) brokerCannotStart(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := requestForm().Bind(c)
	if form.Value("cannot_start_reason") == "" {
		form.Add("cannot_start_reason", "Enter why the chosen provider cannot start")
		return f.drawRequest(c, http.StatusBadRequest, form)
	}
	return f.once(c, requestPath(id)+"#choice", func() error {
		rv, err := svc.ChosenProviderCannotStart(f.ctx(c), ActorOf(c), id, form.Value("cannot_start_reason"))
		if addFormError(form, err, map[string]string{"reason": "cannot_start_reason"}) {
			return f.drawRequest(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		if rv.Status == brokerage.Matching {
			return f.flashTo(c, "The choice is undone and the provider has been told. No other offer still stands, so the request is back to finding providers", requestPath(id)+"#match")
		}
		return f.flashTo(c, "The choice is undone and the provider has been told. Record the person's new choice from the offers that still stand", requestPath(id)+"#choice")
	})
}

// startRefused puts a refusal to agree the start date on the start date
// field, with next (the way on, "the chosen provider cannot start", drawn
// beside it), when the request is still chosen: the provider's capacity
// went to someone else, or the offer expired. It reports whether it did;
// any other refusal (already agreed, say) is for the error page.
func (f *Frontend) startRefused(c *gin.Context, svc *brokerage.Service, id uuid.UUID, form *Form, err error, next string) bool {
	e := errs.As(err)
	if e == nil || e.Code != errs.Conflict {
		return false
	}
	rv, rerr := svc.Request(f.ctx(c), ActorOf(c), id)
	if rerr != nil || rv.Status != brokerage.Chosen {
		return false
	}
	form.Add("start_date", "The start date cannot be agreed: "+strings.TrimSuffix(e.Message, ".")+". "+next)
	return true
}

// brokerAgreementDocument sends the agreement's document, HTML to read in
// the browser or PDF to download.
func (f *Frontend) brokerAgreementDocument(c *gin.Context) error {
	deals, id, err := subject(c, f.agreements)
	if err != nil {
		return err
	}
	format, disposition := agreements.HTML, "inline"
	if strings.HasSuffix(c.Request.URL.Path, ".pdf") {
		format, disposition = agreements.PDF, "attachment"
	}
	doc, err := deals.Document(f.ctx(c), ActorOf(c), id, format)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", disposition+`; filename="`+doc.Filename+`"`)
	c.Data(http.StatusOK, doc.ContentType, doc.Body)
	return nil
}

// flashTo shows message as the success banner of the page at path.
func (f *Frontend) flashTo(c *gin.Context, message, path string) error {
	if err := f.Flash(c, message); err != nil {
		return err
	}
	return redirect(c, path)
}
