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

// loadOpenAPI returns the merged OpenAPI document, loaded.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	raw, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("the OpenAPI document does not load: %v", err)
	}
	return doc
}

func TestOpenAPIDescribesExactlyTheRegisteredRoutes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
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

// listSchema is the name of the one list shape in the OpenAPI description.
const listSchema = "#/components/schemas/List"

// isList reports whether s is built on the one list shape.
func isList(s *openapi3.SchemaRef) bool {
	return s != nil && s.Value != nil && len(s.Value.AllOf) == 2 && s.Value.AllOf[0].Ref == listSchema
}

// listAnswers returns the JSON schemas of the API's successful answers, by
// "METHOD path status".
func listAnswers(t *testing.T) map[string]*openapi3.SchemaRef {
	t.Helper()
	doc := loadOpenAPI(t)
	answers := map[string]*openapi3.SchemaRef{}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/") {
			continue // the Open Referral UK export keeps that standard's page
		}
		for method, op := range item.Operations() {
			for status, resp := range op.Responses.Map() {
				if !strings.HasPrefix(status, "2") || resp.Value == nil {
					continue
				}
				if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					answers[method+" "+path+" "+status] = mt.Schema
				}
			}
		}
	}
	return answers
}

// TestEveryListInTheOpenAPIDescriptionHasTheOneShape: every list the
// description promises is the List schema with its items' type, and no
// answer is a bare array or an object holding nothing but one array under
// another name ({"documents": [...]}, as lists once were).
func TestEveryListInTheOpenAPIDescriptionHasTheOneShape(t *testing.T) {
	t.Parallel()
	lists := 0
	for name, s := range listAnswers(t) {
		v := s.Value
		switch {
		case isList(s):
			lists++
			items := v.AllOf[1].Value.Properties["items"]
			if items == nil || items.Value == nil || !items.Value.Type.Is("array") || items.Value.Items == nil || items.Value.Items.Ref == "" {
				t.Errorf("%s: a List whose items are not a list of a named schema", name)
			}
		case strings.HasSuffix(s.Ref, "List"):
			t.Errorf("%s: %s is not built on the List schema", name, s.Ref)
		case v.Type.Is("array"):
			t.Errorf("%s: a bare array; send {\"items\": [...]}", name)
		case len(v.Properties) == 1:
			for prop, p := range v.Properties {
				if p.Value != nil && p.Value.Type.Is("array") {
					t.Errorf("%s: a list under %q; use the List schema", name, prop)
				}
			}
		}
	}
	if lists < 15 {
		t.Fatalf("only %d list answers found; the walk is broken", lists)
	}
}
