package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
	"github.com/carebroker/carebroker/providers/openreferral"
)

// openReferralServices is the council's published directory: a page of
// services in the Open Referral UK shape. It is public.
func (s *Server) openReferralServices(c *gin.Context) {
	page, err := queryInt(c, "page", 1)
	if err != nil {
		fail(c, err)
		return
	}
	perPage, err := queryInt(c, "per_page", 50)
	if err != nil {
		fail(c, err)
		return
	}
	entries, total, err := s.Providers.Directory(c.Request.Context(), providers.DirectoryQuery{Page: page, PerPage: perPage, Search: c.Query("search")})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, openreferral.NewPage(entries, page, perPage, total))
}

// openReferralService is one published service, fully nested. It is public.
func (s *Server) openReferralService(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	e, err := s.Providers.DirectoryService(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, openreferral.NewService(e))
}

// importFormats are what POST /provider-imports reads, by ?format=.
var importFormats = map[string]bool{providers.FormatCQC: true, openreferral.Format: true, "ons-postcodes": true}

// importDirectory imports the file in the request body. The body is the
// file itself (CSV or JSON), at most MAX_BODY_BYTES; the command-line
// import takes files of any size.
func (s *Server) importDirectory(c *gin.Context) {
	format := c.Query("format")
	if !importFormats[format] {
		fail(c, errs.InvalidField("format", "must be one of cqc-csv, openreferral, ons-postcodes"))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(c, errs.InvalidField("body", "is larger than the %d bytes allowed; use carebroker import for large files", tooBig.Limit))
			return
		}
		fail(c, errs.InvalidField("body", "could not be read"))
		return
	}
	ctx, a := c.Request.Context(), actor(c)
	if format == "ons-postcodes" {
		rep, err := s.Providers.ImportPostcodes(ctx, a, bytes.NewReader(body))
		respond(c, http.StatusOK, rep, err)
		return
	}
	var batch providers.ImportBatch
	if format == providers.FormatCQC {
		batch, err = providers.ParseCQC(bytes.NewReader(body))
	} else {
		batch, err = openreferral.Parse(bytes.NewReader(body))
	}
	if err != nil {
		fail(c, err)
		return
	}
	rep, err := s.Providers.Import(ctx, a, batch)
	respond(c, http.StatusOK, rep, err)
}
