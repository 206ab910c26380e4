package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

func (s *Server) authRoutes(v1 *gin.RouterGroup) {
	v1.POST("/auth/login", s.login)
	v1.POST("/auth/refresh", s.limitTokenRequests, s.refresh)
	v1.POST("/auth/logout", s.limitTokenRequests, s.logout)
}

func (s *Server) accountRoutes(authed *gin.RouterGroup) {
	authed.GET("/me", s.me)
	authed.POST("/auth/revoke-all", s.revokeAll)
}

type loginBody struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenResponse struct {
	AccessToken  string         `json:"access_token"`
	TokenType    string         `json:"token_type"`
	ExpiresAt    time.Time      `json:"expires_at"`
	RefreshToken string         `json:"refresh_token"`
	Actor        accounts.Actor `json:"actor"`
}

func (s *Server) login(c *gin.Context) {
	var body loginBody
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	if body.Email == "" {
		fail(c, errs.InvalidField("email", "is required"))
		return
	}
	if body.Password == "" {
		fail(c, errs.InvalidField("password", "is required"))
		return
	}
	attempt, err := s.loginGuard.Begin(c.Request.Context(), body.Email, clientAddress(c))
	if err != nil {
		failLimited(c, err)
		return
	}
	user, err := s.Accounts.Authenticate(c.Request.Context(), body.Email, body.Password)
	if err != nil {
		fail(c, err)
		return
	}
	attempt.Succeeded(c.Request.Context())
	s.issueTokens(c, user, http.StatusOK)
}

func (s *Server) issueTokens(c *gin.Context, user accounts.User, status int) {
	refresh, err := s.Accounts.IssueRefreshToken(c.Request.Context(), user.ID)
	if err != nil {
		fail(c, err)
		return
	}
	s.writeTokens(c, user, refresh, status)
}

func (s *Server) writeTokens(c *gin.Context, user accounts.User, refresh string, status int) {
	access, exp, err := s.tokens.Issue(user.Actor())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(status, tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresAt: exp, RefreshToken: refresh, Actor: user.Actor()})
}

type refreshBody struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(c *gin.Context) {
	var body refreshBody
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	if body.RefreshToken == "" {
		fail(c, errs.InvalidField("refresh_token", "is required"))
		return
	}
	user, next, err := s.Accounts.RotateRefreshToken(c.Request.Context(), body.RefreshToken)
	if err != nil {
		fail(c, err)
		return
	}
	s.writeTokens(c, user, next, http.StatusOK)
}

func (s *Server) logout(c *gin.Context) {
	var body refreshBody
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	if body.RefreshToken == "" {
		fail(c, errs.InvalidField("refresh_token", "is required"))
		return
	}
	if err := s.Accounts.RevokeRefreshToken(c.Request.Context(), body.RefreshToken); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) revokeAll(c *gin.Context) {
	if err := s.Accounts.RevokeAll(c.Request.Context(), actor(c).UserID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	c.JSON(http.StatusOK, actor(c))
}
