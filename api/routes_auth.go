package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

func (s *Server) authRoutes(v1 *gin.RouterGroup) {
	v1.POST("/auth/login", handle(s.login))
	v1.POST("/auth/refresh", s.limitTokenRequests, handle(s.refresh))
	v1.POST("/auth/logout", s.limitTokenRequests, handle(s.logout))
}

func (s *Server) accountRoutes(authed *gin.RouterGroup) {
	authed.GET("/me", handle(s.me))
	authed.POST("/auth/revoke-all", handle(s.revokeAll))
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

// login signs in through the sign-in guard: a refusal over its limits is
// 429 with Retry-After, the same for an unknown email.
func (s *Server) login(c *gin.Context) error {
	var body loginBody
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	if body.Email == "" {
		return errs.InvalidField("email", "is required")
	}
	if body.Password == "" {
		return errs.InvalidField("password", "is required")
	}
	attempt, err := s.loginGuard.Begin(c.Request.Context(), body.Email, clientAddress(c))
	if err != nil {
		return err
	}
	user, err := s.Accounts.Authenticate(c.Request.Context(), body.Email, body.Password)
	if err != nil {
		return err
	}
	attempt.Succeeded(c.Request.Context())
	refresh, err := s.Accounts.IssueRefreshToken(c.Request.Context(), user.ID)
	if err != nil {
		return err
	}
	return s.writeTokens(c, user, refresh)
}

func (s *Server) writeTokens(c *gin.Context, user accounts.User, refresh string) error {
	access, exp, err := s.tokens.Issue(user.Actor())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresAt: exp, RefreshToken: refresh, Actor: user.Actor()})
}

type refreshBody struct {
	RefreshToken string `json:"refresh_token"`
}

// refreshToken reads the body of refresh and logout.
func refreshToken(c *gin.Context) (string, error) {
	var body refreshBody
	if err := bindJSON(c, &body); err != nil {
		return "", err
	}
	if body.RefreshToken == "" {
		return "", errs.InvalidField("refresh_token", "is required")
	}
	return body.RefreshToken, nil
}

func (s *Server) refresh(c *gin.Context) error {
	token, err := refreshToken(c)
	if err != nil {
		return err
	}
	user, next, err := s.Accounts.RotateRefreshToken(c.Request.Context(), token)
	if err != nil {
		return err
	}
	return s.writeTokens(c, user, next)
}

func (s *Server) logout(c *gin.Context) error {
	token, err := refreshToken(c)
	if err != nil {
		return err
	}
	if err := s.Accounts.RevokeRefreshToken(c.Request.Context(), token); err != nil {
		return err
	}
	return render(c, http.StatusNoContent, nil)
}

func (s *Server) revokeAll(c *gin.Context) error {
	if err := s.Accounts.RevokeAll(c.Request.Context(), actor(c).UserID); err != nil {
		return err
	}
	return render(c, http.StatusNoContent, nil)
}

func (s *Server) me(c *gin.Context) error {
	return render(c, http.StatusOK, actor(c))
}
