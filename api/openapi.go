package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	"github.com/gin-gonic/gin"
)

// The OpenAPI description is kept in one file per area (openapi/*.json,
// each a partial document) so areas can grow without editing one huge file.
// 00_base.json carries info, servers and shared components; the rest add
// paths and components. A test checks the merged document against the
// routes actually registered.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var (
	openapiOnce sync.Once
	openapiDoc  []byte
	openapiErr  error
)

// OpenAPIDocument returns the merged OpenAPI 3 document.
func OpenAPIDocument() ([]byte, error) {
	openapiOnce.Do(func() { openapiDoc, openapiErr = mergeOpenAPI(openapiFS) })
	return openapiDoc, openapiErr
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if doc == nil {
			doc = part
			continue
		}
		if err := mergeInto(doc, part, name); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeInto adds part's paths, tags and components to doc, refusing any
// path or component defined twice.
func mergeInto(doc, part map[string]any, name string) error {
	if paths, ok := part["paths"].(map[string]any); ok {
		dst := ensureMap(doc, "paths")
		for p, v := range paths {
			if existing, dup := dst[p]; dup {
				// The same path in two files is allowed for different methods.
				em, _ := existing.(map[string]any)
				vm, _ := v.(map[string]any)
				for method, op := range vm {
					if _, clash := em[method]; clash {
						return fmt.Errorf("%s: %s %s is described twice", name, method, p)
					}
					em[method] = op
				}
				continue
			}
			dst[p] = v
		}
	}
	if comps, ok := part["components"].(map[string]any); ok {
		dstComps := ensureMap(doc, "components")
		for kind, items := range comps {
			dst := ensureMap(dstComps, kind)
			for k, v := range items.(map[string]any) {
				if _, dup := dst[k]; dup {
					return fmt.Errorf("%s: components.%s.%s is defined twice", name, kind, k)
				}
				dst[k] = v
			}
		}
	}
	if tags, ok := part["tags"].([]any); ok {
		existing, _ := doc["tags"].([]any)
		doc["tags"] = append(existing, tags...)
	}
	return nil
}

func ensureMap(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

func (s *Server) openapi(c *gin.Context) error {
	doc, err := OpenAPIDocument()
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, json.RawMessage(doc))
}
