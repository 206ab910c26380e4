package api

import (
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// uuidExample shows the one form of id the API reads and writes.
const uuidExample = "3f2b6c1e-9d1a-4a53-8a0e-1b2c3d4e5f60"

// parseID reads an id in its one written form, 36 characters with hyphens
// (uuid.Parse alone would also take braces, a urn: prefix or no hyphens).
func parseID(raw string) (uuid.UUID, bool) {
	id, err := uuid.Parse(raw)
	return id, err == nil && len(raw) == 36
}

// pathID reads the route's :id, the one path-id parser of the API. An id
// that is not a UUID names nothing that exists, so it is not found (404,
// the answer for an id of nothing, or of nothing the caller may see); the
// problem names the parameter.
func pathID(c *gin.Context) (uuid.UUID, error) {
	id, ok := parseID(c.Param("id"))
	if !ok {
		return uuid.Nil, &errs.Error{Code: errs.NotFound, Field: "id",
			Message: "there is nothing at " + c.Request.URL.Path + ": an id is a UUID like " + uuidExample}
	}
	return id, nil
}

// queryID reads the optional id query parameter name (a filter): uuid.Nil
// when it is absent. Unlike a path, a filter that is not an id is bad
// input, refused with 400 naming it.
func queryID(c *gin.Context, name string) (uuid.UUID, error) {
	raw := c.Query(name)
	if raw == "" {
		return uuid.Nil, nil
	}
	id, ok := parseID(raw)
	if !ok {
		return uuid.Nil, errs.InvalidField(name, "must be a UUID like %s", uuidExample)
	}
	return id, nil
}

// queryInt reads the optional whole-number query parameter name: def when
// it is absent or empty, otherwise a whole number from min to max (with no
// upper bound when max is 0).
func queryInt(c *gin.Context, name string, def, min, max int) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if max == 0 && (err != nil || n < min) {
		return 0, errs.InvalidField(name, "must be a whole number, %d or more", min)
	}
	if max != 0 && (err != nil || n < min || n > max) {
		return 0, errs.InvalidField(name, "must be a whole number from %d to %d", min, max)
	}
	return n, nil
}

// queryDay reads the optional day query parameter name, like 2026-12-01
// (the zero day when absent).
func queryDay(c *gin.Context, name string) (day.Date, error) {
	raw := c.Query(name)
	if raw == "" {
		return day.Date{}, nil
	}
	d, err := day.Parse(raw)
	if err != nil {
		return day.Date{}, errs.InvalidField(name, "%v", err)
	}
	return d, nil
}

// queryBool reads the optional query parameter name, true or false (false
// when absent).
func queryBool(c *gin.Context, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, errs.InvalidField(name, "must be true or false")
}

// paging is the part of a paged list's query that says where the next
// page is: the request's address, and how many a page holds.
type paging struct {
	Limit int
	at    url.URL
}

// readPaging reads limit (def when absent, at most max) and keeps the
// request's address.
func (p *paging) readPaging(c *gin.Context, def, max int) (err error) {
	p.at = *c.Request.URL
	p.Limit, err = queryInt(c, "limit", def, 1, max)
	return err
}

// list returns the page's items (count of them) as a list. When the page
// is full its next is this page's address with the query parameter name
// set to value, the next page's cursor or offset.
func (p paging) list(items any, count int, name, value string) list {
	if count < p.Limit {
		return listOf(items, "")
	}
	q := p.at.Query()
	q.Set(name, value)
	return listOf(items, p.at.Path+"?"+q.Encode())
}

// listQuery is what most lists read from the query string: status (whose
// values the use case checks) and limit (1 to 500; 0 when absent, the use
// case's default).
type listQuery struct {
	Status string
	Limit  int
}

func (q *listQuery) readInput(c *gin.Context) (err error) {
	q.Status = c.Query("status")
	q.Limit, err = queryInt(c, "limit", 0, 1, 500)
	return err
}
