package frontend

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestAssetsAreServedWithLongCachesUnderTheirVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.get("/sign-in").Body.String()
	linked := regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(linked) < 5 {
		t.Fatalf("the page links only %d assets", len(linked))
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	for _, m := range linked {
		r := b.get(m[1])
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header().Get("Cache-Control"); cc != longCache {
			t.Errorf("%s: Cache-Control %q", m[1], cc)
		}
		ext := m[1][strings.LastIndex(m[1], "."):]
		if ct := r.Header().Get("Content-Type"); ct != types[ext] {
			t.Errorf("%s: Content-Type %q, want %q", m[1], ct, types[ext])
		}
		// A browser that has it already gets 304.
		b.header.Set("If-None-Match", r.Header().Get("ETag"))
		if again := b.get(m[1]); again.Code != http.StatusNotModified {
			t.Errorf("%s: revalidation answered %d", m[1], again.Code)
		}
		b.header.Del("If-None-Match")
	}
	// The module script imports govuk-frontend by a relative path, which
	// keeps the version prefix.
	r := b.get("/assets/" + h.f.assets.version + "/govuk-frontend.min.js")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "initAll")

	// Unversioned addresses work with a short cache; an old version is
	// served the current file, but not cached for long.
	for _, p := range []string{"/assets/app.css", "/assets/0123456789ab/app.css"} {
		r := b.get(p)
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header().Get("Cache-Control"); cc != shortCache {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
	wantStatus(t, b.get("/assets/"+h.f.assets.version+"/nothing.css"), http.StatusNotFound)
	wantStatus(t, b.get("/assets/VERSION"), http.StatusNotFound)
	wantStatus(t, b.get("/assets/../frontend.go"), http.StatusNotFound)
}

func TestTheGOVUKFrontendVersionIsRecorded(t *testing.T) {
	t.Parallel()
	v, err := os.ReadFile("assets/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := os.ReadFile("assets-src/package.json")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"govuk-frontend": "([0-9.]+)"`).FindSubmatch(pkg)
	if m == nil || !strings.HasPrefix(string(v), "govuk-frontend "+string(m[1])+" ") {
		t.Fatalf("assets/VERSION says %q but assets-src/package.json pins %s: run make assets", v, m)
	}
	js, _ := os.ReadFile("assets/govuk-frontend.min.js")
	if !strings.Contains(string(js), `const version="`+string(m[1])+`"`) {
		t.Fatal("the embedded govuk-frontend.min.js is not the pinned version: run make assets")
	}
}
