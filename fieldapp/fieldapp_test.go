package fieldapp

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandler(t *testing.T) {
	h := Handler()
	index := body(t, get(t, h, "/lapangan/"))
	m := regexp.MustCompile(`src="(/lapangan/v/([0-9a-f]{12})/)app\.js"`).FindStringSubmatch(index)
	if m == nil {
		t.Fatalf("index has no versioned app.js:\n%s", index)
	}
	base, version := m[1], m[2]
	tests := []struct {
		path, ctype, cache string
		status             int
	}{
		{"/lapangan/", "text/html; charset=utf-8", "no-cache", 200},
		{"/lapangan/enrol", "text/html; charset=utf-8", "no-cache", 200},
		{"/lapangan/sw.js", "text/javascript; charset=utf-8", "no-cache", 200},
		{base + "app.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{base + "app.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{base + "manifest.webmanifest", "application/manifest+json", "public, max-age=31536000, immutable", 200},
		{base + "icon.svg", "image/svg+xml", "public, max-age=31536000, immutable", 200},
		{base + "icon-192.png", "image/png", "public, max-age=31536000, immutable", 200},
		{"/lapangan/v/000000000000/app.js", "text/javascript; charset=utf-8", "public, max-age=60", 200},
		{base + "index.html", "", "", 404},
		{base + "nothing.js", "", "", 404},
		{"/lapangan/other", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := get(t, h, tt.path, "Accept-Encoding", "gzip")
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if strings.HasSuffix(tt.path, ".js") && resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("script not gzipped")
			}
			if body(t, resp) == "" {
				t.Error("empty body")
			}
		})
	}

	t.Run("revalidation", func(t *testing.T) {
		etag := get(t, h, "/lapangan/sw.js").Header.Get("ETag")
		if resp := get(t, h, "/lapangan/sw.js", "If-None-Match", etag); resp.StatusCode != 304 || etag != `"`+version+`"` {
			t.Errorf("If-None-Match %s: status %d, want 304 and the version as ETag", etag, resp.StatusCode)
		}
	})
	t.Run("plain without gzip", func(t *testing.T) {
		resp := get(t, h, base+"app.js")
		if resp.Header.Get("Content-Encoding") != "" || !strings.Contains(body(t, resp), "import") {
			t.Error("a client without gzip got an encoded body")
		}
	})
	t.Run("service worker precaches the shell", func(t *testing.T) {
		sw := body(t, get(t, h, "/lapangan/sw.js"))
		m := regexp.MustCompile(`const PRECACHE = (\[.*\]);`).FindStringSubmatch(sw)
		if m == nil || strings.Contains(sw, "{{") {
			t.Fatalf("sw.js not rendered:\n%s", sw)
		}
		var list []string
		if err := json.Unmarshal([]byte(m[1]), &list); err != nil {
			t.Fatal(err)
		}
		has := map[string]bool{}
		for _, p := range list {
			has[p] = true
		}
		for _, want := range []string{"/lapangan/", base + "app.js", base + "rules.js", base + "app.css", base + "relay.js", base + "icon-192.png"} {
			if !has[want] {
				t.Errorf("precache lacks %s", want)
			}
		}
		for _, p := range list {
			if strings.Contains(p, "jsqr") || strings.HasSuffix(p, ".md") {
				t.Errorf("precache holds lazy asset %s", p)
			}
		}
	})
	t.Run("POST refused", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/lapangan/", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("status %d", rec.Code)
		}
	})
}
