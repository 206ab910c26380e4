package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/internal/postgres"
)

// healthz says the process is up.
func (s *Server) healthz(c *gin.Context) error {
	return render(c, http.StatusOK, gin.H{"status": "ok"})
}

// readyz says whether the service can do its work: PostgreSQL reachable and
// fully migrated. Redis is reported but not required.
func (s *Server) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	body := gin.H{"status": "ready", "postgres": "ok", "migrations": "ok", "redis": "ok"}
	status := http.StatusOK
	sqlDB, err := s.DB.SQL()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		body["postgres"], body["status"], status = "unreachable", "not ready", http.StatusServiceUnavailable
	} else if n, err := postgres.Pending(ctx, s.DB); err != nil || n > 0 {
		body["migrations"], body["status"], status = "not applied", "not ready", http.StatusServiceUnavailable
	}
	if !s.Redis.Up(ctx) {
		body["redis"] = "unreachable (not fatal: live updates and shared rate limits are paused)"
	}
	if status != http.StatusOK {
		c.Header("Retry-After", "5")
	}
	return render(c, status, body)
}
