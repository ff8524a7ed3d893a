package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The staff report form (/insiden/{code}/baru): category, severity, time,
// the place as a TPS or desa code under the region (or a point), a title,
// the text and one evidence file. The form carries a fresh id, so the
// same form sent twice is one report. A refusal shows the form again with
// everything typed and the field named; only the file must be chosen again
// (browsers do not let a page refill a file input). The file is checked
// before the report is stored: a refused file stores nothing.

// incidentInput is the report form as typed, by field name.
type incidentInput map[string]string

var incidentFields = []string{"id", "kategori", "tingkat", "waktu", "tempat", "lat", "lon", "judul", "teks"}

type incidentNewPage struct {
	basePage
	incidentWords
	Region     siaga.Region
	Categories []siaga.IncidentCategory
	Severities []siaga.Severity
	Input      incidentInput
	Err        *formError
}

// NewIncidentForm serves GET /insiden/{code}/baru?tps=: the form, its
// place filled from the TPS page's link.
func (h *Pages) NewIncidentForm(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	in := incidentInput{"id": formID(), "waktu": wibInput(h.now()), "tingkat": string(siaga.SeverityMedium)}
	if tps := r.URL.Query().Get("tps"); tps != "" && siaga.InScope(reg.Code, tps) {
		in["tempat"] = tps
	}
	h.renderNewIncident(w, r, http.StatusOK, reg, in, nil)
}

func (h *Pages) renderNewIncident(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, in incidentInput, fe *formError) {
	p := incidentNewPage{basePage: h.base(r, "Laporkan insiden — "+reg.Name), Region: reg, Categories: siaga.IncidentCategories,
		Severities: siaga.Severities, Input: in, Err: fe}
	p.Nav, p.Path = "insiden", h.Regions.Path(reg.Code)
	h.renderStatus(w, r, status, "incident_new", p)
}

// CreateIncident serves POST /insiden/{code}/baru, a multipart form (its
// csrf field read by the guard).
func (h *Pages) CreateIncident(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	reg, ok := h.pathRegion(w, r)
	if !ok {
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := incidentInput{}
	for _, k := range incidentFields {
		in[k] = strings.TrimSpace(r.FormValue(k))
	}
	evidence, fe := readUpload(r, "bukti", MaxIncidentEvidence)
	var inc siaga.Incident
	if fe == nil {
		inc, fe = in.incident(reg.Code, h.Regions)
	}
	var stored *siaga.Incident
	if fe == nil {
		inc.Channel = siaga.ChannelWeb
		var files [][]byte
		if evidence != nil {
			files = [][]byte{evidence}
		}
		var err error
		if stored, err = h.Incidents.Report(r.Context(), &inc, files, h.account(r)); err != nil {
			if fe, ok = h.incidentRefusal(w, r, err, "Laporan tidak dapat disimpan; coba lagi.", "The report could not be saved; try again.",
				"region", reg.Code); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderNewIncident(w, r, http.StatusUnprocessableEntity, reg, in, fe)
		return
	}
	http.Redirect(w, r, incidentURL(reg.Code, stored.ID), http.StatusSeeOther)
}

// incident is the input as a report under region code, or the field that
// does not parse. The place must lie under the region; the service checks
// the rest (that it exists, the time, the lengths).
func (in incidentInput) incident(code string, regions Regions) (siaga.Incident, *formError) {
	inc := siaga.Incident{ClientID: in["id"], Category: siaga.IncidentCategory(in["kategori"]), Severity: siaga.Severity(in["tingkat"]),
		Title: in["judul"], Text: in["teks"]}
	if inc.ClientID == "" {
		inc.ClientID = formID()
	}
	inc.ClientID = "web:" + strings.TrimPrefix(inc.ClientID, "web:")
	if !inc.Category.Valid() {
		return inc, fieldError("kategori", "kolom kategori: pilih kategori", "field kategori: choose a category")
	}
	if !inc.Severity.Valid() {
		return inc, fieldError("tingkat", "kolom tingkat: pilih tingkat", "field tingkat: choose a severity")
	}
	var fe *formError
	if inc.OccurredAt, fe = parseWIB("waktu", in["waktu"]); fe != nil {
		return inc, fe
	}
	if inc.OccurredAt.IsZero() {
		return inc, fieldError("waktu", "kolom waktu: isi waktu kejadian", "field waktu: give the time it happened")
	}
	if fe = placeOf(&inc, in["tempat"], code, regions); fe != nil {
		return inc, fe
	}
	for _, c := range []struct {
		field string
		dst   *float64
	}{{"lat", &inc.Lat}, {"lon", &inc.Lon}} {
		if in[c.field] == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.Replace(in[c.field], ",", ".", 1), 64)
		if err != nil {
			return inc, fieldError(c.field, "kolom "+c.field+": bukan angka", "field "+c.field+": not a number")
		}
		*c.dst = f
	}
	if (in["lat"] == "") != (in["lon"] == "") {
		return inc, fieldError("lon", "kolom lon: isi lintang dan bujur bersama", "field lon: give latitude and longitude together")
	}
	if strings.TrimSpace(inc.Title) == "" {
		return inc, fieldError("judul", "kolom judul: isi judul singkat", "field judul: give a short title")
	}
	return inc, nil
}

// placeOf sets inc's TPS or Region from the code typed in field tempat:
// a TPS or a desa (or kecamatan) under region scope.
func placeOf(inc *siaga.Incident, place, scope string, regions Regions) *formError {
	if place == "" {
		return fieldError("tempat", "kolom tempat: isi kode TPS atau kode desa", "field tempat: give a TPS or desa code")
	}
	if !siaga.InScope(scope, place) {
		return fieldError("tempat", "kolom tempat: kode "+place+" tidak di wilayah ini", "field tempat: code "+place+" is not in this region")
	}
	if siaga.LevelOf(place) == siaga.LevelTPS {
		t, ok := regions.TPS(place)
		if !ok {
			return fieldError("tempat", "kolom tempat: TPS "+place+" tidak ditemukan", "field tempat: TPS "+place+" not found")
		}
		inc.TPS, inc.Region = t.Code, t.Desa
		return nil
	}
	reg, ok := regions.Region(place)
	if !ok || !slices.Contains([]siaga.Level{siaga.LevelDesa, siaga.LevelKecamatan}, reg.Level) {
		return fieldError("tempat", "kolom tempat: kode TPS atau desa/kecamatan "+place+" tidak ditemukan",
			"field tempat: TPS or desa/kecamatan code "+place+" not found")
	}
	inc.Region = reg.Code
	return nil
}
