package frontend

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// assets holds the files the pages load: the GOV.UK Frontend CSS and
// JavaScript (built by `make assets` from the npm package, version in
// assets/VERSION) and the service's own small CSS and scripts.
//
//go:embed assets
var assetFS embed.FS

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	etag        string
	contentType string
}

// assetSet serves the embedded files. Pages link to them under a version
// prefix that changes whenever any file changes (/assets/<version>/app.css),
// so those URLs can be cached for a year; unversioned URLs (the CSS's own
// references) are cached for a day.
type assetSet struct {
	files   map[string]asset
	version string
}

var versionShape = regexp.MustCompile(`^[0-9a-f]{12}$`)

const (
	longCache  = "public, max-age=31536000, immutable"
	shortCache = "public, max-age=86400"
)

// served lists the file types that are assets; anything else in the
// folder (VERSION, notes) is not served.
var served = map[string]string{
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
}

func loadAssets() (*assetSet, error) {
	set := &assetSet{files: map[string]asset{}}
	all := sha256.New()
	var names []string
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := served[path.Ext(p)]
		if !ok {
			return nil
		}
		body, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "assets/")
		set.files[name] = asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ct}
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		all.Write([]byte(n + "\x00" + set.files[n].etag))
	}
	set.version = hex.EncodeToString(all.Sum(nil))[:12]
	return set, nil
}

// url is the versioned address of an asset, for the templates.
func (s *assetSet) url(name string) string {
	if _, ok := s.files[name]; !ok {
		panic("frontend: no asset " + name) // a template names a file that is not embedded
	}
	return "/assets/" + s.version + "/" + name
}

func (f *Frontend) serveAsset(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("filepath"), "/")
	cache := shortCache
	if v, rest, ok := strings.Cut(name, "/"); ok && versionShape.MatchString(v) {
		// A page drawn before a deploy may ask for the old version: it
		// gets today's file, cached only briefly.
		name = rest
		if v == f.assets.version {
			cache = longCache
		}
	}
	a, ok := f.assets.files[name]
	if !ok {
		f.NotFound(c)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", cache)
	h.Set("ETag", a.etag)
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(a.body))
}
