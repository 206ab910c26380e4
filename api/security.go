package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
)

// refuseCrossOrigin keeps CORS closed: no response carries
// Access-Control-Allow-Origin, and a browser's preflight is refused, so a
// page on another origin cannot call the API with a user's credentials.
func refuseCrossOrigin(c *gin.Context) {
	if c.Request.Method == http.MethodOptions && c.GetHeader("Origin") != "" && c.GetHeader("Access-Control-Request-Method") != "" {
		fail(c, errs.Forbiddenf("cross-origin requests are not allowed"))
		return
	}
	c.Next()
}

// ServerTimeouts bound how long a client may hold a connection, against
// slow clients (slowloris) and stuck responses.
type ServerTimeouts struct {
	ReadHeader time.Duration // to send the request line and headers
	Read       time.Duration // to send the whole request, body included
	Write      time.Duration // to receive the response
	Idle       time.Duration // between requests on a kept-alive connection
}

// DefaultServerTimeouts are the service's timeouts.
var DefaultServerTimeouts = ServerTimeouts{
	ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 120 * time.Second,
}

// MaxHeaderBytes caps the request line and headers.
const MaxHeaderBytes = 64 << 10

// NewHTTPServer returns the HTTP server for h on addr with the given
// timeouts and header cap.
func NewHTTPServer(addr string, h http.Handler, t ServerTimeouts) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
