package http

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
)

//go:embed templates
var templateFS embed.FS

// pages are the dashboard's templates: each page is parsed together with
// the layout so that a page only defines "title" and "content".
type pages struct {
	byName map[string]*template.Template
}

// Init builds the parts of the server that are loaded once: the embedded
// assets and the templates.
func (s *Server) Init() error {
	a, err := newAssets()
	if err != nil {
		return fmt.Errorf("loading static assets: %w", err)
	}
	p, err := newPages(a)
	if err != nil {
		return fmt.Errorf("loading templates: %w", err)
	}
	s.assets, s.pages = a, p
	return nil
}

func templateFuncs(a *assets) template.FuncMap {
	return template.FuncMap{
		"static":     a.url,
		"num":        numID,
		"pct":        pctID,
		"width":      barWidth,
		"when":       fmtWhen,
		"clock":      fmtClock,
		"short":      shortHash,
		"rule":       ruleText,
		"conn":       connectivityName,
		"contest":    func(c any) string { return contestNameOf(c) },
		"sourceName": sourceName,
		"statusName": anomalyStatusName,
		"admin":      func(f string) string { return adminNames[f] },
		"enrols":     func(u *siaga.User) bool { return u != nil && slices.Contains(enrolRoles, u.Role) },
		"devices":    func(u *siaga.User) bool { return u != nil && slices.Contains(revokeRoles, u.Role) },
		"gapText":    gapText,
		"share":      func(part, whole int) float64 { return shareOf(int64(part), int64(whole)) },
	}
}

func newPages(a *assets) (*pages, error) {
	layout, err := template.New("layout").Funcs(templateFuncs(a)).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, file)
		if err != nil {
			return nil, err
		}
		p.byName[name] = t
	}
	return p, nil
}

// render executes page name into a buffer first so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	s.renderStatus(w, r, http.StatusOK, name, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.dashLog().Error("unknown page", "page", name)
		http.Error(w, "Kesalahan server / internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.dashLog().Error("rendering page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Kesalahan server / internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) dashLog() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// errorPage is the dashboard's page for a failed request, in Bahasa
// Indonesia with English second.
type errorPage struct {
	basePage
	Status    int
	Message   string
	MessageEN string
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg, msgEN string) {
	p := errorPage{basePage: s.base(r, "Galat"), Status: status, Message: msg, MessageEN: msgEN}
	s.renderStatus(w, r, status, "error", p)
}

func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	s.pageError(w, r, http.StatusNotFound, "Halaman atau wilayah tidak ditemukan.", "Page or region not found.")
}
