package api

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
)

// agreementRoutes are the service agreement, its document, the review
// tasks of practitioners and the finance team's inbox.
func (s *Server) agreementRoutes(authed *gin.RouterGroup) {
	// Who may ask; the agreements store decides which agreement each may see.
	readers := allow(client, provider, practitioner, broker, admin, finance)
	deals := s.Agreements
	authed.GET("/agreements/:id", readers, answer(http.StatusOK, onID(deals.Agreement)))
	authed.GET("/agreements/:id/document.html", readers, s.agreementDocument(agreements.HTML))
	authed.GET("/agreements/:id/document.pdf", readers, s.agreementDocument(agreements.PDF))
	// The provider's acceptance, from its portal (the council's is recorded when the start date is agreed).
	authed.POST("/agreements/:id/accept", allow(provider), answer(http.StatusOK, onID(deals.Accept)))

	authed.GET("/reviews", allow(practitioner), answer(http.StatusOK, onInput(s.reviews)))
	authed.POST("/reviews/:id/complete", allow(practitioner), answer(http.StatusOK, withText[outcomeBody](deals.CompleteReview)))

	finance := allow(finance)
	authed.GET("/finance/notifications", finance, answer(http.StatusOK, onInput(s.financeInbox)))
	authed.POST("/finance/notifications/:id/acknowledge", finance, answer(http.StatusOK, onID(deals.Acknowledge)))
	authed.GET("/finance/notifications.csv", finance, s.financeCSV("finance-notifications", deals.FinanceNotificationsCSV))
	authed.GET("/finance/agreements.csv", finance, s.financeCSV("finance-agreements", deals.FinanceAgreementsCSV))
}

// agreementDocument sends the agreement's document in format: HTML to read
// in the browser, PDF to save.
func (s *Server) agreementDocument(format agreements.Format) gin.HandlerFunc {
	disposition := "inline"
	if format == agreements.PDF {
		disposition = "attachment"
	}
	return handle(func(c *gin.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		doc, err := s.Agreements.Document(c.Request.Context(), actor(c), id, format)
		if err != nil {
			return err
		}
		return download(c, doc.ContentType, disposition, doc.Filename, doc.Body)
	})
}

// reviews lists the review tasks of the practitioner's team, by status.
func (s *Server) reviews(ctx context.Context, a accounts.Actor, q listQuery) ([]agreements.ReviewTask, error) {
	return s.Agreements.Reviews(ctx, a, agreements.ReviewFilter{Status: agreements.ReviewStatus(q.Status), Limit: q.Limit})
}

// outcomeBody is the body of a completed review: what it found.
type outcomeBody struct {
	Outcome string `json:"outcome"`
}

func (b outcomeBody) text() string { return b.Outcome }

// financeInbox lists the notifications delivered to the finance team.
func (s *Server) financeInbox(ctx context.Context, a accounts.Actor, q listQuery) ([]agreements.Notification, error) {
	return s.Agreements.FinanceInbox(ctx, a, agreements.FinanceFilter{Status: q.Status, Limit: q.Limit})
}

// financeCSV sends a CSV export written by export, as a download named
// for the day it is in London.
func (s *Server) financeCSV(name string, export func(context.Context, accounts.Actor, io.Writer) error) gin.HandlerFunc {
	return handle(func(c *gin.Context) error {
		var buf bytes.Buffer
		if err := export(c.Request.Context(), actor(c), &buf); err != nil {
			return err
		}
		return download(c, "text/csv; charset=utf-8", "attachment", name+"-"+s.today().String()+".csv", buf.Bytes())
	})
}
