package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

// agreementRoutes are the service agreement, its document, the review
// tasks of practitioners and the finance team's inbox.
func (s *Server) agreementRoutes(authed *gin.RouterGroup) {
	// Who may ask; the agreements store decides which agreement each may see.
	readers := allow(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)
	authed.GET("/agreements/:id", readers, s.agreement)
	authed.GET("/agreements/:id/document.html", readers, s.agreementDocument(agreements.HTML))
	authed.GET("/agreements/:id/document.pdf", readers, s.agreementDocument(agreements.PDF))

	authed.GET("/reviews", allow(accounts.Practitioner), s.reviews)
	authed.POST("/reviews/:id/complete", allow(accounts.Practitioner), s.completeReview)

	finance := allow(accounts.Finance)
	authed.GET("/finance/notifications", finance, s.financeInbox)
	authed.POST("/finance/notifications/:id/acknowledge", finance, s.acknowledgeNotification)
	authed.GET("/finance/notifications.csv", finance, s.financeNotificationsCSV)
	authed.GET("/finance/agreements.csv", finance, s.financeAgreementsCSV)
}

// agreementsParamID reads a UUID path parameter, or says which is wrong.
func agreementsParamID(c *gin.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, errs.InvalidField(name, "must be a UUID like 3f2b6c1e-9d1a-4a53-8a0e-1b2c3d4e5f60")
	}
	return id, nil
}

// agreementsQueryInt reads an optional whole-number query parameter between
// 1 and max (0 when absent).
func agreementsQueryInt(c *gin.Context, name string, max int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > max {
		return 0, errs.InvalidField(name, "must be a whole number from 1 to %d", max)
	}
	return n, nil
}

func (s *Server) agreement(c *gin.Context) {
	id, err := agreementsParamID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	a, err := s.Agreements.Agreement(c.Request.Context(), actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, a)
}

func (s *Server) agreementDocument(format agreements.Format) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := agreementsParamID(c, "id")
		if err != nil {
			fail(c, err)
			return
		}
		doc, err := s.Agreements.Document(c.Request.Context(), actor(c), id, format)
		if err != nil {
			fail(c, err)
			return
		}
		disposition := "inline"
		if format == agreements.PDF {
			disposition = "attachment"
		}
		c.Header("Content-Disposition", disposition+`; filename="`+doc.Filename+`"`)
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, doc.ContentType, doc.Body)
	}
}

type reviewList struct {
	Reviews []agreements.ReviewTask `json:"reviews"`
}

func (s *Server) reviews(c *gin.Context) {
	limit, err := agreementsQueryInt(c, "limit", 500)
	if err != nil {
		fail(c, err)
		return
	}
	tasks, err := s.Agreements.Reviews(c.Request.Context(), actor(c),
		agreements.ReviewFilter{Status: agreements.ReviewStatus(c.Query("status")), Limit: limit})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, reviewList{Reviews: tasks})
}

type completeReviewBody struct {
	Outcome string `json:"outcome"`
}

func (s *Server) completeReview(c *gin.Context) {
	id, err := agreementsParamID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var body completeReviewBody
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	task, err := s.Agreements.CompleteReview(c.Request.Context(), actor(c), id, body.Outcome)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, task)
}

type notificationList struct {
	Notifications []agreements.Notification `json:"notifications"`
}

func (s *Server) financeInbox(c *gin.Context) {
	limit, err := agreementsQueryInt(c, "limit", 500)
	if err != nil {
		fail(c, err)
		return
	}
	ns, err := s.Agreements.FinanceInbox(c.Request.Context(), actor(c), agreements.FinanceFilter{Status: c.Query("status"), Limit: limit})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, notificationList{Notifications: ns})
}

func (s *Server) acknowledgeNotification(c *gin.Context) {
	id, err := agreementsParamID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	n, err := s.Agreements.Acknowledge(c.Request.Context(), actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

func (s *Server) financeNotificationsCSV(c *gin.Context) {
	var buf bytes.Buffer
	if err := s.Agreements.FinanceNotificationsCSV(c.Request.Context(), actor(c), &buf); err != nil {
		fail(c, err)
		return
	}
	s.sendCSV(c, "finance-notifications", buf.Bytes())
}

func (s *Server) financeAgreementsCSV(c *gin.Context) {
	var buf bytes.Buffer
	if err := s.Agreements.FinanceAgreementsCSV(c.Request.Context(), actor(c), &buf); err != nil {
		fail(c, err)
		return
	}
	s.sendCSV(c, "finance-agreements", buf.Bytes())
}

// sendCSV sends a download named for the day it is in London.
func (s *Server) sendCSV(c *gin.Context, name string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+"-"+s.today().String()+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", body)
}
