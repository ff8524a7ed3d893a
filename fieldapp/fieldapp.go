// Package fieldapp serves the field app at /lapangan/: the installable,
// offline-first web app a KPPS officer uses to record, check, sign and send
// a TPS's count (docs/field-app.md). It is plain HTML, CSS and JavaScript
// modules embedded in the binary, so deploying Siaga needs no build step.
package fieldapp

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
)

//go:embed static
var staticFS embed.FS

// Prefix is where the app lives; the service worker's scope.
const Prefix = "/lapangan/"

// file is one asset ready to serve, gzipped once at start when that helps:
// on 2G every kilobyte is a second.
type file struct {
	body, gz []byte
	ctype    string
}

// app is the handler: the shell (index, service worker, manifest) rendered
// with the version, and the versioned assets.
type app struct {
	version string
	files   map[string]*file // name under static/ → asset
	index   *file
	sw      *file
}

// Handler serves the field app under /lapangan/. Assets are addressed as
// /lapangan/v/{version}/{name}, the version being a hash of every embedded
// file, so they are cached forever and relative module imports keep
// working; the shell and the service worker are revalidated on every load
// so that a new binary reaches the phones.
func Handler() http.Handler {
	a, err := newApp(staticFS)
	if err != nil {
		// The files are compiled in: an error here is a broken build.
		panic("fieldapp: " + err.Error())
	}
	return a
}

func newApp(embedded fs.FS) (*app, error) {
	files, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, err
	}
	a := &app{files: map[string]*file{}}
	sum := sha256.New()
	var names []string
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		fmt.Fprintf(sum, "%s\x00%d\x00", name, len(b))
		sum.Write(b)
		names = append(names, name)
		a.files[name] = newFile(b, contentType(name))
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	a.version = hex.EncodeToString(sum.Sum(nil)[:6])
	return a, a.renderShell(names)
}

// renderShell fills the version and the precache list into index.html and
// sw.js. Both change with every release, which is what makes the browser
// install the new service worker.
func (a *app) renderShell(names []string) error {
	base := Prefix + "v/" + a.version + "/"
	var precache []string
	for _, n := range names {
		if n != "index.html" && n != "sw.js" && !lazy(n) {
			precache = append(precache, base+n)
		}
	}
	list, err := json.Marshal(append([]string{Prefix}, precache...))
	if err != nil {
		return err
	}
	idx, sw := a.files["index.html"], a.files["sw.js"]
	if idx == nil || sw == nil {
		return fmt.Errorf("index.html or sw.js missing from the embedded files")
	}
	a.index = newFile(bytes.ReplaceAll(idx.body, []byte("{{BASE}}"), []byte(base)), "text/html; charset=utf-8")
	r := strings.NewReplacer(`"{{VERSION}}"`, `"`+a.version+`"`, `"{{BASE}}"`, `"`+base+`"`, `["{{PRECACHE}}"]`, string(list))
	a.sw = newFile([]byte(r.Replace(string(sw.body))), "text/javascript; charset=utf-8")
	return nil
}

// lazy reports whether an asset is left out of the install: the QR
// scanner's decoder (jsQR, 250 KB) is only needed on a phone that has
// signal anyway, and the first load must stay under 300 KB. The QR
// generator is installed: a phone without signal must show its codes.
func lazy(name string) bool {
	return strings.HasPrefix(name, "vendor/jsqr/") || strings.HasSuffix(name, ".md") || strings.HasPrefix(path.Base(name), "LICENSE")
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func newFile(b []byte, ctype string) *file {
	f := &file{body: b, ctype: ctype}
	if strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") || strings.Contains(ctype, "svg") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	switch {
	case rest == "sw.js":
		a.serve(w, r, a.sw, "no-cache", `"`+a.version+`"`)
	case rest == "" || rest == "enrol" || rest == "index.html":
		a.serve(w, r, a.index, "no-cache", `"`+a.version+`"`)
	case strings.HasPrefix(rest, "v/"):
		version, name, _ := strings.Cut(strings.TrimPrefix(rest, "v/"), "/")
		f := a.files[name]
		if f == nil || name == "index.html" || name == "sw.js" {
			http.NotFound(w, r)
			return
		}
		// A stale version still gets the current file, briefly cached: a
		// page from before a deploy keeps working until it reloads.
		cache := "public, max-age=31536000, immutable"
		if version != a.version {
			cache = "public, max-age=60"
		}
		a.serve(w, r, f, cache, "")
	default:
		http.NotFound(w, r)
	}
}

func (a *app) serve(w http.ResponseWriter, r *http.Request, f *file, cache, etag string) {
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	if etag != "" {
		h.Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
