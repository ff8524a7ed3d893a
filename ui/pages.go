package ui

import (
	"bytes"
	"embed"
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

func templateFuncs(a *assets, roles Roles) template.FuncMap {
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
		"signal":     signalName,
		"ivKind":     interventionKindName,
		"ivStatus":   interventionStatusName,
		"rupiah":     rupiah,
		"kbps":       optNumber,
		"deref":      func(b *bool) bool { return b != nil && *b },
		"forward":    statusesAfter,
		"contest":    func(c any) string { return contestNameOf(c) },
		"sourceName": sourceName,
		"statusName": anomalyStatusName,
		"admin":      func(f string) string { return adminNames[f] },
		"enrols":     func(u *siaga.User) bool { return u != nil && slices.Contains(roles.Enrol, u.Role) },
		"devices":    func(u *siaga.User) bool { return u != nil && slices.Contains(roles.Revoke, u.Role) },
		// logistics is where a staff account that reads logistics starts:
		// the board of its own region; "" for everyone else (the public
		// sees nothing of logistics, not even the link).
		"logistics": func(u *siaga.User) string {
			if u == nil || u.Scope == "" || !slices.Contains(roles.LogRead, u.Role) {
				return ""
			}
			return "/logistik/" + u.Scope
		},
		// meetings is the coordination meetings of the account's region,
		// for the roles that read them; "" for everyone else.
		"meetings": func(u *siaga.User) string {
			if u == nil || !slices.Contains(roles.Situation, u.Role) {
				return ""
			}
			if len(u.Scope) > 4 || u.Scope == "" { // meetings are of a province or kab/kota
				return ""
			}
			return "/rapat/" + u.Scope
		},
		// incidents is where a staff account that reads incidents starts:
		// the list of its own region; "" for everyone else.
		"incidents": func(u *siaga.User) string {
			if u == nil || u.Scope == "" || !slices.Contains(roles.Incident, u.Role) {
				return ""
			}
			return "/insiden/" + u.Scope
		},
		// reportIncident is the staff report form for a TPS, under its
		// kab/kota, for the accounts that report incidents there; "".
		"reportIncident": func(u *siaga.User, tps string) string {
			if u == nil || !slices.Contains(roles.Incident, u.Role) || !siaga.InScope(u.Scope, tps) {
				return ""
			}
			kab := tps
			for siaga.LevelOf(kab) > siaga.LevelKabKota {
				kab = siaga.ParentCode(kab)
			}
			if !siaga.InScope(u.Scope, kab) { // a desa account: the form under its own scope
				kab = u.Scope
			}
			return "/insiden/" + kab + "/baru?tps=" + tps
		},
		// sitrep is the situation report of the account's region for the
		// roles that read it, "" for everyone else.
		"sitrep": func(u *siaga.User) string {
			if u == nil || u.Scope == "" || !slices.Contains(roles.Situation, u.Role) {
				return ""
			}
			return "/laporan-situasi/" + u.Scope
		},
		"warnings": func(u *siaga.User) string {
			if u == nil || u.Scope == "" || !slices.Contains(roles.WarnRead, u.Role) {
				return ""
			}
			return "/peringatan-dini/" + u.Scope
		},
		"gapText":  gapText,
		"share":    func(part, whole int) float64 { return shareOf(int64(part), int64(whole)) },
		"stepForm": func(step string) stepForm { return stepForm{Step: step} },
		"kerawanan": func(u *siaga.User) string {
			if u == nil || !slices.Contains(roles.VulnRead, u.Role) {
				return ""
			}
			return "/kerawanan/" + u.Scope
		},
		// tpsVulnerability is the TPS's vulnerability page for the accounts
		// that read it there, in scope; "" for everyone else.
		"tpsVulnerability": func(u *siaga.User, tps string) string {
			if u == nil || !slices.Contains(roles.VulnRead, u.Role) || !siaga.InScope(u.Scope, tps) {
				return ""
			}
			return "/tps/" + tps + "/kerawanan"
		},
		"vulnFactor": vulnFactorName,
		// gakkumdu is where an account of gakkumduRoles reads the
		// Gakkumdu cases: its own region's list; "" for everyone else.
		"gakkumdu": func(u *siaga.User) string {
			if u == nil || u.Scope == "" || !slices.Contains(roles.Gakkumdu, u.Role) {
				return ""
			}
			return "/gakkumdu/" + u.Scope
		},
		"caseStage": caseStageName,
	}
}

func newPages(a *assets, roles Roles) (*pages, error) {
	// Partials shared by several pages live in parts.html and in
	// *_parts.html, one file per feature; every page is parsed with them.
	layout, err := template.New("layout").Funcs(templateFuncs(a, roles)).ParseFS(templateFS, "templates/layout.html",
		"templates/parts.html", "templates/*_parts.html")
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
		if name == "layout" || name == "parts" || strings.HasSuffix(name, "_parts") {
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
func (h *Pages) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	h.renderStatus(w, r, http.StatusOK, name, data)
}

func (h *Pages) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := h.pages.byName[name]
	if !ok {
		h.dashLog().Error("unknown page", "page", name)
		http.Error(w, "Kesalahan server / internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		h.dashLog().Error("rendering page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Kesalahan server / internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *Pages) dashLog() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
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

func (h *Pages) Error(w http.ResponseWriter, r *http.Request, status int, msg, msgEN string) {
	p := errorPage{basePage: h.base(r, "Galat"), Status: status, Message: msg, MessageEN: msgEN}
	h.renderStatus(w, r, status, "error", p)
}

func (h *Pages) pageNotFound(w http.ResponseWriter, r *http.Request) {
	h.Error(w, r, http.StatusNotFound, "Halaman atau wilayah tidak ditemukan.", "Page or region not found.")
}

// pathRegion is the region the path's {code} names, or a 404 page.
func (h *Pages) pathRegion(w http.ResponseWriter, r *http.Request) (siaga.Region, bool) {
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
	}
	return reg, ok
}
