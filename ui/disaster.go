package ui

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/disaster"
)

// The hazards page of a region (/bencana/{code}): the layers behind the
// picture, the region's TPS counted by the highest class of the zones
// they lie in (and its children's, linked), what cannot be checked
// (TPS without a point) and what is made up (synthetic points), and the
// at-risk TPS, filtered in the disaster service, paged, exported whole.
// The desk and KPU import a hazard GeoJSON or a TPS location CSV through
// the same service calls as `siaga import hazards|tps-locations`, and
// delete a layer after a confirmation.

// Sites lists the candidate relocation sites (siaga.SiteStore).
type Sites interface {
	Sites(ctx context.Context, f siaga.SiteFilter) ([]siaga.Site, error)
	// SaveSites stores a candidate drawn on the planning map
	// (connectivity_plan.go), with its audit entry.
	SaveSites(ctx context.Context, ss []siaga.Site, audit ...siaga.AuditEvent) error
}

const (
	atRiskPageSize = 100
	// MaxHazardUpload bounds a hazard GeoJSON sent from the page. BNPB's
	// InaRISK maps of a kab/kota, simplified for the desk, are a few
	// megabytes; a province at full detail is for the CLI, which takes up
	// to disaster.MaxHazardFile.
	MaxHazardUpload = 32 << 20
	// MaxLocationUpload bounds a TPS location CSV sent from the page:
	// Banten's 33,324 TPS at some 60 bytes a row are 2 MB.
	MaxLocationUpload = 8 << 20
	// uploadMemory is how much of an upload is held in memory; the rest
	// of a large file waits in a temporary file until the request ends.
	uploadMemory = 1 << 20
)

// classOrder is how the page lists classes: the worst first, then the
// safe, so a reader's eye lands on what matters.
var classOrder = []string{siaga.HazardHigh, siaga.HazardMedium, siaga.HazardLow, disaster.NoHazard}

type hazardsPage struct {
	basePage
	Region   siaga.Region
	Summary  disaster.Summary
	Classes  []classCount
	Types    []typeCount
	Children []hazardChild
	Layers   []layerRow
	// The at-risk list.
	Query     disaster.AtRiskQuery
	TypeList  []string
	ClassList []string
	Rows      []atRiskRow
	Total     int
	From, To  int
	Next      string
	Prev      string
	CSV, XLSX string
	// Staff may import and delete layers and locations (Roles.Hazards);
	// Relocator may open a TPS's relocation page.
	Staff, Relocator bool
	Form             hazardForm
	Error, ErrorEN   string
	Done             string
}

type classCount struct {
	Class string
	Count int
	Share float64
}

type typeCount struct {
	Type                string
	Tinggi, Sedang, Low int
}

type hazardChild struct {
	Code, Name string
	Summary    disaster.Summary
}

// layerRow is a layer as the page shows it: never who imported it.
type layerRow struct {
	ID                 int64
	Name, Source, Date string
	Synthetic          bool
	Features           int
	CanDelete          bool
}

// hazardForm keeps what was typed in the upload form when it fails.
type hazardForm struct {
	Name, Source, Date string
	Synthetic          bool
	Field              string // the field at fault
}

type atRiskRow struct {
	TPS, Desa, Number string
	DPT               int
	Worst             string
	Hazards           string
	Zones             []string
	Lat, Lon          string
	PointSource       string
	Synthetic         bool
}

func (h *Pages) disasterOff(w http.ResponseWriter, r *http.Request) bool {
	if h.Disaster != nil {
		return false
	}
	h.Error(w, r, http.StatusServiceUnavailable, "Modul bencana tidak aktif di server ini.", "The disaster module is off on this server.")
	return true
}

// atRiskQuery reads the list's filter: ?jenis= (hazard type), ?kelas=
// (the lowest class shown), ?kursor=.
func atRiskQuery(code string, v url.Values) disaster.AtRiskQuery {
	return disaster.AtRiskQuery{Region: code, Type: v.Get("jenis"), MinClass: v.Get("kelas"), After: v.Get("kursor"), Limit: atRiskPageSize}
}

func atRiskValues(q disaster.AtRiskQuery) url.Values {
	v := url.Values{}
	if q.Type != "" {
		v.Set("jenis", q.Type)
	}
	if q.MinClass != "" {
		v.Set("kelas", q.MinClass)
	}
	return v
}

// layerNames names each layer by id, for the zones of a row.
func (h *Pages) layerNames() map[int64]string {
	out := map[int64]string{}
	for _, l := range h.Disaster.Layers() {
		out[l.ID] = l.Name
	}
	return out
}

func (h *Pages) atRiskRow(e disaster.TPSExposure, layers map[int64]string) atRiskRow {
	row := atRiskRow{TPS: e.TPS, Number: tpsNumber(e.Number), DPT: e.DPT, Worst: e.Worst, Hazards: hitsText(e.Hazards)}
	if d, ok := h.Regions.Region(e.Desa); ok {
		row.Desa = d.Name
	}
	for _, z := range e.Zones {
		row.Zones = append(row.Zones, fmt.Sprintf("%s %s — %s, fitur %d", z.Type, z.Class, layers[z.Layer], z.Feature))
	}
	if p := e.Point; p != nil {
		row.Lat, row.Lon = strconv.FormatFloat(p.Lat, 'f', 6, 64), strconv.FormatFloat(p.Lon, 'f', 6, 64)
		row.PointSource, row.Synthetic = p.Source, p.Synthetic()
	}
	return row
}

// hitsText is "banjir tinggi; longsor sedang".
func hitsText(hits []disaster.Hit) string {
	parts := make([]string, len(hits))
	for i, z := range hits {
		parts[i] = z.Type + " " + z.Class
	}
	return strings.Join(parts, "; ")
}

var atRiskColumns = []column{{Name: "tps"}, {Name: "desa"}, {Name: "nomor"}, {Name: "dpt", Number: true},
	{Name: "kelas_tertinggi"}, {Name: "bahaya"}, {Name: "zona"}, {Name: "lat"}, {Name: "lon"}, {Name: "sumber_titik"}, {Name: "titik_sintetis"}}

func (row atRiskRow) cells() []string {
	synthetic := "tidak"
	if row.Synthetic {
		synthetic = "ya"
	}
	return []string{row.TPS, row.Desa, row.Number, strconv.Itoa(row.DPT), row.Worst, row.Hazards, strings.Join(row.Zones, "; "),
		row.Lat, row.Lon, row.PointSource, synthetic}
}

// atRiskTable is every at-risk TPS q selects (its cursor ignored): the
// page's rows and the downloads come from the same AtRisk pages.
func (h *Pages) atRiskTable(q disaster.AtRiskQuery) table {
	return table{Name: "siaga-bencana-" + q.Region, Columns: atRiskColumns, Rows: func(row func([]string) error) error {
		layers := h.layerNames()
		q.After, q.Limit = "", disaster.MaxPage
		for {
			page, err := h.Disaster.AtRisk(q)
			if err != nil {
				return err
			}
			for _, e := range page.Items {
				if err := row(h.atRiskRow(e, layers).cells()); err != nil {
					return err
				}
			}
			if page.Next == "" {
				return nil
			}
			q.After = page.Next
		}
	}}
}

// mayImportHazards reports whether u may import and delete hazard layers
// and TPS locations.
func (h *Pages) mayImportHazards(u *siaga.User) bool {
	return u != nil && slices.Contains(h.Roles.Hazards, u.Role)
}

// mayDeleteLayer: a layer is everyone's picture, so the desk and KPU
// provinsi delete any; a KPU kab/kota only the layers it imported itself
// (its own district's map, not the province's).
func (h *Pages) mayDeleteLayer(u *siaga.User, l siaga.HazardLayer) bool {
	if !h.mayImportHazards(u) {
		return false
	}
	return u.Role == siaga.RoleDesk || u.Role == siaga.RoleKPUProv || l.ImportedBy == auth.Actor(u)
}

// HazardsPage serves GET /bencana/{code}?jenis=&kelas=&kursor=&kembali=.
func (h *Pages) HazardsPage(w http.ResponseWriter, r *http.Request) {
	h.hazardsPage(w, r, http.StatusOK, hazardForm{}, nil)
}

// hazardsPage renders the page, with a failed upload's error and values
// when err is set.
func (h *Pages) hazardsPage(w http.ResponseWriter, r *http.Request, status int, form hazardForm, err error) {
	if h.disasterOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	code := reg.Code
	v := r.URL.Query()
	q := atRiskQuery(code, v)
	page, qerr := h.Disaster.AtRisk(q)
	if qerr != nil {
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+errorText(qerr, false), "Invalid filter: "+errorText(qerr, true))
		return
	}
	p := hazardsPage{basePage: h.base(r, "Bahaya bencana — "+reg.Name), Region: reg, Summary: h.Disaster.Summary(code),
		Query: q, TypeList: siaga.HazardTypes, ClassList: siaga.HazardClasses, Total: page.Total, Form: form}
	p.Nav, p.Path = "bencana", h.Regions.Path(code)
	p.Staff = h.mayImportHazards(p.User)
	p.Relocator = p.User != nil && slices.Contains(h.Roles.RelocationView, p.User.Role) && siaga.InScope(p.User.Scope, code)
	if err != nil {
		p.Error, p.ErrorEN = errorText(err, false), errorText(err, true)
	}
	switch v.Get("selesai") {
	case "lapisan":
		p.Done = "Lapisan bahaya tersimpan; paparan setiap TPS dihitung ulang. / The hazard layer is stored; every TPS's exposure was recomputed."
	case "lokasi":
		p.Done = "Lokasi TPS tersimpan. / The TPS locations are stored."
	case "hapus":
		p.Done = "Lapisan dihapus. / The layer was deleted."
	}
	for _, c := range classOrder {
		p.Classes = append(p.Classes, classCount{Class: c, Count: p.Summary.ByClass[c], Share: shareOf(int64(p.Summary.ByClass[c]), int64(p.Summary.Located))})
	}
	for _, t := range siaga.HazardTypes {
		if byClass, ok := p.Summary.ByType[t]; ok {
			p.Types = append(p.Types, typeCount{Type: t, Tinggi: byClass[siaga.HazardHigh], Sedang: byClass[siaga.HazardMedium], Low: byClass[siaga.HazardLow]})
		}
	}
	for _, c := range h.Regions.Children(code) {
		p.Children = append(p.Children, hazardChild{Code: c.Code, Name: c.Name, Summary: h.Disaster.Summary(c.Code)})
	}
	for _, l := range h.Disaster.Layers() {
		row := layerRow{ID: l.ID, Name: l.Name, Source: l.Source, Synthetic: l.Synthetic, Features: l.Features, CanDelete: h.mayDeleteLayer(p.User, l)}
		if !l.Date.IsZero() {
			row.Date = l.Date.Format(time.DateOnly)
		}
		p.Layers = append(p.Layers, row)
	}
	layers := h.layerNames()
	for _, e := range page.Items {
		p.Rows = append(p.Rows, h.atRiskRow(e, layers))
	}
	base := atRiskValues(q)
	path := "/bencana/" + code
	p.CSV, p.XLSX = path+"/tps.csv?"+base.Encode(), path+"/tps.xlsx?"+base.Encode()
	trail := splitTrail(v.Get("kembali"))
	p.From = len(trail)*atRiskPageSize + 1
	p.To = p.From + len(p.Rows) - 1
	if len(p.Rows) == 0 {
		p.From = 0
	}
	_, p.Next, p.Prev = pageLinks(path, base, q.After, page.Next, trail)
	h.renderStatus(w, r, status, "bencana", p)
}

// errorText is err's message in one language: a siaga.Error's own, else
// a general one (the details go to the log).
func errorText(err error, english bool) string {
	var e *siaga.Error
	if errors.As(err, &e) {
		if english {
			return e.MessageEN
		}
		return e.Message
	}
	if english {
		return "server error; try again"
	}
	return "kesalahan server; coba lagi"
}

// HazardsExport serves GET /bencana/{code}/tps.csv and .xlsx: every
// at-risk TPS the page's filter selects.
func (h *Pages) HazardsExport(f ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.disasterOff(w, r) {
			return
		}
		code := r.PathValue("code")
		if _, ok := h.Regions.Region(code); !ok {
			h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "code", "Wilayah %s tidak dikenal", "unknown region %s", code))
			return
		}
		q := atRiskQuery(code, r.URL.Query())
		q.Limit = 1
		if _, err := h.Disaster.AtRisk(q); err != nil { // a bad filter is a 400, not a file cut short
			h.writeError(w, r, err)
			return
		}
		h.writeTable(w, r, h.atRiskTable(q), f)
	}
}

// uploadFile opens the form's file field "berkas" of a multipart form.
func uploadFile(r *http.Request) (multipart.File, error) {
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, siaga.Errorf(siaga.ETooLarge, "berkas", "Berkas terlalu besar (maksimal %d MiB); untuk berkas sebesar ini gunakan siaga import",
				"the file is too large (at most %d MiB); for a file this size use siaga import", tooBig.Limit>>20)
		}
		return nil, siaga.Errorf(siaga.EInvalid, "berkas", "Formulir tidak terbaca", "unreadable form")
	}
	f, _, err := r.FormFile("berkas")
	if err != nil {
		return nil, siaga.Errorf(siaga.EInvalid, "berkas", "Pilih berkas yang akan diimpor", "choose the file to import")
	}
	return f, nil
}

// ImportHazardLayer serves POST /bencana/{code}/lapisan: a hazard
// GeoJSON with its name, source, date and whether it is synthetic, read
// and stored exactly as `siaga import hazards` does. A bad feature is
// named with its number and reason and nothing is stored.
func (h *Pages) ImportHazardLayer(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	form := hazardForm{}
	fail := func(err error) {
		var e *siaga.Error
		if errors.As(err, &e) && form.Field == "" {
			form.Field = e.Field
		}
		h.hazardsPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), form, err)
	}
	file, err := uploadFile(r)
	form = hazardForm{Name: strings.TrimSpace(r.PostFormValue("nama")), Source: strings.TrimSpace(r.PostFormValue("sumber")),
		Date: strings.TrimSpace(r.PostFormValue("tanggal")), Synthetic: r.PostFormValue("sintetis") != ""}
	if err != nil {
		fail(err)
		return
	}
	defer file.Close()
	layer := siaga.HazardLayer{Name: form.Name, Source: form.Source, Synthetic: form.Synthetic}
	if layer.Name == "" {
		form.Field = "nama"
		fail(siaga.Errorf(siaga.EInvalid, "nama", "Lapisan bahaya perlu nama", "a hazard layer needs a name"))
		return
	}
	if form.Date != "" {
		if layer.Date, err = time.Parse(time.DateOnly, form.Date); err != nil {
			form.Field = "tanggal"
			fail(siaga.Errorf(siaga.EInvalid, "tanggal", "Tanggal %q bukan YYYY-MM-DD", "date %q is not YYYY-MM-DD", form.Date))
			return
		}
	}
	zones, err := disaster.ReadHazards(file, MaxHazardUpload)
	if err != nil {
		form.Field = "berkas"
		fail(err)
		return
	}
	if err := h.Disaster.ImportHazards(r.Context(), &layer, zones, auth.Actor(h.account(r))); err != nil {
		h.dashLog().Error("hazard import", "err", err)
		fail(err)
		return
	}
	http.Redirect(w, r, "/bencana/"+r.PathValue("code")+"?selesai=lapisan#lapisan", http.StatusSeeOther)
}

// ImportLocations serves POST /bencana/{code}/lokasi: a CSV of TPS
// locations, read and stored as `siaga import tps-locations` does, each
// TPS within the account's scope. A bad row is named with its column;
// nothing is stored.
func (h *Pages) ImportLocations(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	fail := func(err error) {
		h.hazardsPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), hazardForm{Field: "lokasi"}, err)
	}
	file, err := uploadFile(r)
	if err != nil {
		fail(err)
		return
	}
	defer file.Close()
	u := h.account(r)
	ls, err := h.Disaster.ReadLocations(file, h.Now().UTC(), auth.Actor(u))
	if err != nil {
		fail(err)
		return
	}
	for i, l := range ls {
		if !siaga.InScope(u.Scope, l.TPS) {
			fail(siaga.Errorf(siaga.EForbidden, "tps", "baris %d, kolom tps: TPS %s di luar wilayah akun Anda",
				"row %d, column tps: TPS %s is outside your account's region", i+2, l.TPS))
			return
		}
	}
	if err := h.Disaster.AddLocations(r.Context(), ls, auth.Actor(u)); err != nil {
		h.dashLog().Error("tps locations import", "err", err)
		fail(err)
		return
	}
	http.Redirect(w, r, "/bencana/"+r.PathValue("code")+"?selesai=lokasi#lapisan", http.StatusSeeOther)
}

type layerDeletePage struct {
	basePage
	Region siaga.Region
	Layer  layerRow
}

// layerFor finds the layer of the path's {id} that u may delete.
func (h *Pages) layerFor(w http.ResponseWriter, r *http.Request) (siaga.HazardLayer, siaga.Region, bool) {
	reg, ok := h.Regions.Region(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
		return siaga.HazardLayer{}, reg, false
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, l := range h.Disaster.Layers() {
		if l.ID != id {
			continue
		}
		if !h.mayDeleteLayer(h.account(r), l) {
			h.Error(w, r, http.StatusForbidden, "KPU kabupaten/kota hanya menghapus lapisan yang diimpornya sendiri.",
				"A KPU kab/kota deletes only the layers it imported itself.")
			return l, reg, false
		}
		return l, reg, true
	}
	h.Error(w, r, http.StatusNotFound, "Lapisan bahaya tidak ditemukan.", "Hazard layer not found.")
	return siaga.HazardLayer{}, reg, false
}

// DeleteLayerForm serves GET /bencana/{code}/lapisan/{id}/hapus: what
// deleting the layer means, and the button.
func (h *Pages) DeleteLayerForm(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	l, reg, ok := h.layerFor(w, r)
	if !ok {
		return
	}
	p := layerDeletePage{basePage: h.base(r, "Hapus lapisan bahaya"), Region: reg,
		Layer: layerRow{ID: l.ID, Name: l.Name, Source: l.Source, Synthetic: l.Synthetic, Features: l.Features}}
	p.Nav = "bencana"
	h.render(w, r, "bencana_hapus", p)
}

// DeleteLayer serves POST /bencana/{code}/lapisan/{id}/hapus.
func (h *Pages) DeleteLayer(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	l, reg, ok := h.layerFor(w, r)
	if !ok {
		return
	}
	if err := h.Disaster.DeleteHazardLayer(r.Context(), l.ID, auth.Actor(h.account(r))); err != nil {
		h.dashLog().Error("hazard delete", "layer", l.ID, "err", err)
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), "Lapisan tidak dapat dihapus: "+errorText(err, false),
			"The layer could not be deleted: "+errorText(err, true))
		return
	}
	http.Redirect(w, r, "/bencana/"+reg.Code+"?selesai=hapus#lapisan", http.StatusSeeOther)
}
