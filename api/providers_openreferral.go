package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
	"github.com/carebroker/carebroker/providers/openreferral"
)

// openReferralServices is the council's published directory: a page of
// services in the Open Referral UK shape (the standard's own page, not the
// API's list). It is public.
func (s *Server) openReferralServices(c *gin.Context) error {
	page, err := queryInt(c, "page", 1, 1, 0)
	if err != nil {
		return err
	}
	perPage, err := queryInt(c, "per_page", 50, 1, providers.MaxPerPage)
	if err != nil {
		return err
	}
	entries, total, err := s.Providers.Directory(c.Request.Context(), providers.DirectoryQuery{Page: page, PerPage: perPage, Search: c.Query("search")})
	if err != nil {
		return err
	}
	return publish(c, openreferral.NewPage(entries, page, perPage, total))
}

// openReferralService is one published service, fully nested. It is public.
func (s *Server) openReferralService(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, err := s.Providers.DirectoryService(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return publish(c, openreferral.NewService(e))
}

// publish renders part of the published directory, which anyone may keep
// for five minutes.
func publish(c *gin.Context, v any) error {
	c.Header("Cache-Control", "public, max-age=300")
	return render(c, http.StatusOK, v)
}

// importFormats are what POST /provider-imports reads, by ?format=.
var importFormats = map[string]bool{providers.FormatCQC: true, openreferral.Format: true, "ons-postcodes": true}

// importFile is what POST /provider-imports reads: the file in the body
// (CSV or JSON), at most MAX_BODY_BYTES (the command-line import takes
// files of any size), in the format ?format= names.
type importFile struct {
	Format string
	Body   []byte
}

func (f *importFile) readInput(c *gin.Context) error {
	if f.Format = c.Query("format"); !importFormats[f.Format] {
		return errs.InvalidField("format", "must be one of cqc-csv, openreferral, ons-postcodes")
	}
	var err error
	if f.Body, err = io.ReadAll(c.Request.Body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errs.InvalidField("body", "is larger than the %d bytes allowed; use carebroker import for large files", tooBig.Limit)
		}
		return errs.InvalidField("body", "could not be read")
	}
	return nil
}

// importDirectory imports the file into the directory, answering with
// what it added, changed and refused.
func (s *Server) importDirectory(ctx context.Context, a accounts.Actor, f importFile) (any, error) {
	if f.Format == "ons-postcodes" {
		rep, err := s.Providers.ImportPostcodes(ctx, a, bytes.NewReader(f.Body))
		return rep, err
	}
	parse := openreferral.Parse
	if f.Format == providers.FormatCQC {
		parse = providers.ParseCQC
	}
	batch, err := parse(bytes.NewReader(f.Body))
	if err != nil {
		return nil, err
	}
	rep, err := s.Providers.Import(ctx, a, batch)
	return rep, err
}
