package api

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// documented reports whether a route belongs in the OpenAPI document: the
// JSON API and the probes. The web pages are not part of it.
func documented(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/openreferral/") || path == "/healthz" || path == "/readyz"
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

func TestOpenAPIDescribesExactlyTheRegisteredRoutes(t *testing.T) {
	t.Parallel()
	raw, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("the OpenAPI document does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	srv := New(Deps{Config: testConfig(t)})
	registered := map[string]bool{}
	for _, r := range srv.Engine().Routes() {
		if !documented(r.Path) {
			continue
		}
		registered[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+path] = true
		}
	}
	var missing, extra []string
	for k := range registered {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("registered but not in the OpenAPI document:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("in the OpenAPI document but not registered:\n  %s", strings.Join(extra, "\n  "))
	}
	if len(registered) < 8 {
		t.Fatalf("only %d routes found; the enumeration is broken", len(registered))
	}
}
