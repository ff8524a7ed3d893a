package ui

import (
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// The public report form (/lapor): anyone may tell the desk of trouble
// without an account. A report goes to the moderation queue and nothing of
// it is shown publicly before a staff member verified it; the answer is a
// receipt number and nothing else, never another report. The route limits
// reports per address and the service per sender (the address here).

// Bounds of what the public may type, tighter than the staff form's: the
// form has no account behind it.
const (
	maxPublicText  = 2000
	maxPublicName  = 80
	maxPublicPhone = 20
)

var publicFields = []string{"id", "kategori", "kabkota", "tempat", "waktu", "teks", "nama", "telepon"}

type publicReportPage struct {
	basePage
	incidentWords
	Categories []siaga.IncidentCategory
	KabKota    []siaga.Region
	Input      incidentInput
	Err        *formError
	Receipt    string // set once stored: the answer page
}

// PublicReportForm serves GET /lapor.
func (h *Pages) PublicReportForm(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	h.renderPublicReport(w, r, http.StatusOK, incidentInput{"id": formID(), "waktu": wibInput(h.now())}, nil, "")
}

func (h *Pages) renderPublicReport(w http.ResponseWriter, r *http.Request, status int, in incidentInput, fe *formError, receipt string) {
	p := publicReportPage{basePage: h.base(r, "Laporkan gangguan pemilu"), Categories: siaga.IncidentCategories,
		KabKota: h.Regions.Children(h.Province), Input: in, Err: fe, Receipt: receipt}
	p.Nav = "lapor"
	h.renderStatus(w, r, status, "incident_public", p)
}

// PublicReport serves POST /lapor.
func (h *Pages) PublicReport(w http.ResponseWriter, r *http.Request) {
	if h.incidentsOff(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := incidentInput{}
	for _, k := range publicFields {
		in[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	inc, fe := h.publicIncident(in)
	var stored *siaga.Incident
	status := http.StatusUnprocessableEntity
	if fe == nil {
		if h.ClientAddr != nil {
			inc.Sender = h.ClientAddr(r)
		}
		var err error
		if stored, err = h.Incidents.Report(r.Context(), &inc, nil, nil); err != nil {
			if siaga.ErrorCode(err) == siaga.ETooMany {
				status = http.StatusTooManyRequests
			}
			var ok bool
			if fe, ok = h.incidentRefusal(w, r, err, "Laporan tidak dapat disimpan; coba lagi.", "The report could not be saved; try again."); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderPublicReport(w, r, status, in, fe, "")
		return
	}
	h.renderPublicReport(w, r, http.StatusOK, incidentInput{}, nil, incident.Receipt(stored))
}

// publicIncident is the public form's input as a report, or the field
// that does not parse. The place is a TPS or desa code under the kab/kota
// chosen, or the kab/kota itself.
func (h *Pages) publicIncident(in incidentInput) (siaga.Incident, *formError) {
	inc := siaga.Incident{ClientID: "lapor:" + in["id"], Channel: siaga.ChannelPublicWeb, Category: siaga.IncidentCategory(in["kategori"]),
		Severity: siaga.SeverityMedium, Text: in["teks"], ReporterName: in["nama"], ReporterPhone: in["telepon"]}
	if in["id"] == "" {
		inc.ClientID = "lapor:" + formID()
	}
	if !inc.Category.Valid() {
		return inc, fieldError("kategori", "kolom kategori: pilih jenis gangguan", "field kategori: choose what kind of trouble")
	}
	kab, ok := h.Regions.Region(in["kabkota"])
	if !ok || kab.Level != siaga.LevelKabKota || !siaga.InScope(h.Province, kab.Code) {
		return inc, fieldError("kabkota", "kolom kabkota: pilih kabupaten/kota", "field kabkota: choose a kabupaten/kota")
	}
	if in["tempat"] == "" {
		inc.Region = kab.Code
	} else if fe := placeOf(&inc, in["tempat"], kab.Code, h.Regions); fe != nil {
		return inc, fe
	}
	var fe *formError
	if inc.OccurredAt, fe = parseWIB("waktu", in["waktu"]); fe != nil {
		return inc, fe
	}
	if inc.OccurredAt.IsZero() {
		return inc, fieldError("waktu", "kolom waktu: isi waktu kejadian", "field waktu: give the time it happened")
	}
	for _, c := range []struct {
		field string
		max   int
	}{{"teks", maxPublicText}, {"nama", maxPublicName}, {"telepon", maxPublicPhone}} {
		if len([]rune(in[c.field])) > c.max {
			return inc, fieldError(c.field, "kolom "+c.field+": terlalu panjang", "field "+c.field+": too long")
		}
	}
	if len([]rune(inc.Text)) < 10 {
		return inc, fieldError("teks", "kolom teks: ceritakan apa yang terjadi (minimal 10 huruf)", "field teks: tell what happened (at least 10 characters)")
	}
	inc.Title = incidentWords{}.CategoryText(inc.Category) + " — laporan warga"
	return inc, nil
}
