package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/internal/day"
)

func TestBadBodiesGetA4xxNamingTheField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	login := "/api/v1/auth/login"
	cases := []struct {
		name, body, contentType, field string
		status                         int
	}{
		{"malformed", `{"email": "a@b.c",`, "application/json", "body", 400},
		{"not an object", `[1,2]`, "application/json", "body", 400},
		{"unknown field", `{"email":"a@b.c","password":"x","role":"admin"}`, "application/json", "role", 400},
		{"wrong type", `{"email":"a@b.c","password":12}`, "application/json", "password", 400},
		{"trailing data", `{"email":"a@b.c","password":"x"} {}`, "application/json", "body", 400},
		{"empty", ``, "application/json", "body", 400},
		{"not json", `email=a`, "application/x-www-form-urlencoded", "Content-Type", 400},
		{"oversized", `{"email":"` + strings.Repeat("a", 70000) + `","password":"x"}`, "application/json", "body", 400},
	}
	for _, c := range cases {
		r := h.do("POST", login, "", c.body, "Content-Type", c.contentType)
		if r.Status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.Status, c.status, r.Body)
			continue
		}
		wantProblem(t, r, c.status, c.field)
	}
}

func TestDecodeStrictLocatesAFieldsOwnRefusal(t *testing.T) {
	t.Parallel()
	var v struct {
		Needs []struct {
			Start day.Date `json:"start_date"`
		} `json:"needs"`
	}
	err := decodeStrict([]byte(`{"needs":[{"start_date":"2026-12-01"},{"start_date":"2026-02-30"}]}`), &v)
	p := ProblemFor(err, "")
	if p.Status != 400 || p.Field != "needs[1].start_date" {
		t.Fatalf("got %+v, want 400 naming needs[1].start_date", p)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	wantProblem(t, h.do("GET", "/api/v1/nothing-here", "", nil), http.StatusNotFound, "")
	r := h.do("DELETE", "/api/v1/auth/login", "", nil)
	if r.Status == 500 || r.Status < 400 {
		t.Fatalf("DELETE on login: %d", r.Status)
	}
}
