package ui

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/enrolsheet"
)

// Enrolment from the web (/pendaftaran): an operator picks a desa, a
// kecamatan or a list of TPS, and gets the PDF sheet of their codes, one
// page per PPS, printed once since the server keeps only the codes' keyed
// hashes. Each operator issues codes for one device role, its own source's
// (auth.CanEnrol); printing again replaces the codes not yet used.

// enrolTTL is how long a printed code works: a week covers the days
// between the KPPS's briefing and election day.
const enrolTTL = 7 * 24 * time.Hour

// maxEnrolTPS bounds one sheet: the largest kecamatan has well under this.
const maxEnrolTPS = 5000

// roleTexts explain each device role where an operator chooses it.
var roleTexts = map[siaga.Role]struct{ ID, EN string }{
	siaga.RoleKPPS: {"ponsel petugas KPPS: mengirim C.Hasil TPS-nya", "a KPPS officer's phone: sends its TPS's count form"},
	siaga.RoleSaksi: {"ponsel saksi partai Anda: mengirim salinan C.Hasil untuk partai itu",
		"your party's witness phone: sends its copy of the count form"},
	siaga.RolePTPS: {"ponsel Pengawas TPS (Bawaslu): mengirim salinan pengawas", "a TPS supervisor's phone (Bawaslu): sends the oversight copy"},
}

type enrolPageData struct {
	basePage
	Role       siaga.Role
	RoleText   struct{ ID, EN string }
	Party      siaga.PartyRef
	Region     string
	List       string
	Kecamatan  []siaga.Region // of the account's scope, to pick from
	ScopeName  string
	Error      string
	ErrorEN    string
	FieldApp   string
	DevicesURL string
}

// enrolRole is the one device role u may enrol: its own source's.
func enrolRole(u *siaga.User) siaga.Role {
	if u == nil {
		return ""
	}
	return u.Role.Oversees()
}

// EnrolPage serves GET /pendaftaran: the form that issues a sheet.
func (h *Pages) EnrolPage(w http.ResponseWriter, r *http.Request) {
	h.renderEnrol(w, r, http.StatusOK, r.URL.Query().Get("wilayah"), "", nil)
}

func (h *Pages) renderEnrol(w http.ResponseWriter, r *http.Request, status int, region, list string, err error) {
	u := h.account(r)
	p := enrolPageData{basePage: h.base(r, "Pendaftaran perangkat"), Role: enrolRole(u), Party: u.Party, Region: region, List: list,
		FieldApp: h.publicURL(r) + "/lapangan/", DevicesURL: "/perangkat"}
	p.Nav = "pendaftaran"
	p.RoleText = roleTexts[p.Role]
	p.ScopeName = h.regionName(u.Scope)
	p.Kecamatan = h.kecamatanOf(u.Scope)
	if err != nil {
		var e *siaga.Error
		if errors.As(err, &e) {
			p.Error, p.ErrorEN = e.Message, e.MessageEN
		} else {
			h.dashLog().Error("enrolment sheet", "err", err)
			p.Error, p.ErrorEN = "Kode tidak dapat diterbitkan; coba lagi", "the codes could not be issued; try again"
		}
	}
	h.renderStatus(w, r, status, "enrol", p)
}

// kecamatanOf lists the kecamatan under scope (a kecamatan scope is its
// own), for the form's choice; a province has a few hundred.
func (h *Pages) kecamatanOf(scope string) []siaga.Region {
	if reg, ok := h.Regions.Region(scope); ok && reg.Level >= siaga.LevelKecamatan {
		return []siaga.Region{reg}
	}
	var out []siaga.Region
	var walk func(code string)
	walk = func(code string) {
		for _, c := range h.Regions.Children(code) {
			if c.Level == siaga.LevelKecamatan {
				out = append(out, c)
				continue
			}
			walk(c.Code)
		}
	}
	if scope == "" {
		scope = h.Province
	}
	walk(scope)
	return out
}

func (h *Pages) regionName(code string) string {
	if code == "" {
		return "Indonesia"
	}
	if reg, ok := h.Regions.Region(code); ok {
		return reg.Name
	}
	return code
}

// EnrolSheet serves POST /pendaftaran: it issues the codes in one
// transaction and answers the PDF sheet.
func (h *Pages) EnrolSheet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.renderEnrol(w, r, http.StatusBadRequest, "", "", siaga.Errorf(siaga.EInvalid, "", "Formulir tidak terbaca", "unreadable form"))
		return
	}
	u := h.account(r)
	region, list := strings.TrimSpace(r.PostForm.Get("wilayah")), r.PostForm.Get("tps")
	tps, err := h.enrolTPS(u, region, list)
	if err != nil {
		h.renderEnrol(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), region, list, err)
		return
	}
	role := siaga.Role(r.PostForm.Get("peran"))
	if role == "" {
		role = enrolRole(u)
	}
	codes := make([]string, len(tps))
	for i, t := range tps {
		codes[i] = t.Code
	}
	issued, err := h.Auth.ReissueEnrolments(r.Context(), u, codes, role, enrolTTL)
	if err != nil {
		h.renderEnrol(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), region, list, err)
		return
	}
	var buf bytes.Buffer
	if err := enrolsheet.Write(&buf, h.enrolDocument(r, u, tps, issued)); err != nil {
		// The codes are stored but cannot be shown: printing again
		// replaces them, so say that.
		h.renderEnrol(w, r, http.StatusInternalServerError, region, list, siaga.Errorf(siaga.EInternal, "",
			"Kode tersimpan tetapi lembar PDF gagal dibuat; terbitkan lagi (kode lama akan diganti)",
			"the codes are stored but the PDF failed; issue again (the old codes will be replaced)"))
		h.dashLog().Error("enrolment sheet", "err", err)
		return
	}
	name := "pendaftaran-" + string(role) + "-" + cmpOr(region, tps[0].Desa) + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// enrolTPS reads which TPS a sheet is for: a desa or kecamatan, or a list
// of TPS codes (one per line, or separated by spaces or commas), each in
// the registry and in u's scope.
func (h *Pages) enrolTPS(u *siaga.User, region, list string) ([]siaga.TPS, error) {
	fields := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	switch {
	case region != "" && len(fields) > 0:
		return nil, siaga.Errorf(siaga.EInvalid, "wilayah", "Pilih wilayah atau daftar TPS, bukan keduanya",
			"choose a region or a list of TPS, not both")
	case region != "":
		reg, ok := h.Regions.Region(region)
		if !ok || (reg.Level != siaga.LevelDesa && reg.Level != siaga.LevelKecamatan) {
			return nil, siaga.Errorf(siaga.EInvalid, "wilayah", "Wilayah %s bukan desa atau kecamatan yang terdaftar",
				"%s is not a desa or kecamatan in the registry", region)
		}
		if !siaga.InScope(u.Scope, region) {
			return nil, siaga.Errorf(siaga.EForbidden, "wilayah", "Wilayah %s di luar wilayah Anda", "region %s is outside your region", region)
		}
		return h.Regions.TPSOf(region), nil
	case len(fields) == 0:
		return nil, siaga.Errorf(siaga.EInvalid, "tps", "Pilih desa atau kecamatan, atau tempel daftar kode TPS",
			"choose a desa or kecamatan, or paste a list of TPS codes")
	case len(fields) > maxEnrolTPS:
		return nil, siaga.Errorf(siaga.EInvalid, "tps", "Paling banyak %d TPS per lembar", "at most %d TPS per sheet", maxEnrolTPS)
	}
	out := make([]siaga.TPS, 0, len(fields))
	for i, code := range fields {
		t, ok := h.Regions.TPS(code)
		if !ok {
			return nil, siaga.Errorf(siaga.EInvalid, "tps", "Baris %d: TPS %s tidak terdaftar", "row %d: TPS %s is not in the registry", i+1, code)
		}
		out = append(out, t)
	}
	// One page per PPS: the TPS of a desa together, in code order.
	slices.SortStableFunc(out, func(a, b siaga.TPS) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// enrolDocument lays the issued codes out as sheets, one per desa.
func (h *Pages) enrolDocument(r *http.Request, u *siaga.User, tps []siaga.TPS, issued *siaga.EnrolmentIssue) enrolsheet.Document {
	base := h.publicURL(r)
	text := roleTexts[issued.Role]
	d := enrolsheet.Document{Role: string(issued.Role), RoleText: text.ID + " / " + text.EN,
		IssuedBy: cmpOr(u.Name, u.Username) + " (" + u.Username + ")", IssuedAt: h.Now(), ExpiresAt: issued.ExpiresAt,
		FieldApp: base + "/lapangan/", Replaced: issued.Replaced}
	for i, t := range tps {
		if i == 0 || t.Desa != tps[i-1].Desa {
			d.Sheets = append(d.Sheets, h.enrolSheetOf(t.Desa))
		}
		sh := &d.Sheets[len(d.Sheets)-1]
		code := issued.Codes[i]
		sh.Cards = append(sh.Cards, enrolsheet.Card{TPS: t.Code, Number: t.Number, Code: code, URL: enrolURL(base, code)})
	}
	return d
}

// enrolURL is what a sheet's QR code opens: the field app, which reads the
// code from the fragment (never sent to the server, nor kept in its logs)
// and goes straight to enrolment.
func enrolURL(base, code string) string {
	return base + "/lapangan/#daftar=" + strings.ReplaceAll(code, "-", "")
}

// enrolSheetOf names a desa's sheet: the PPS and where it is.
func (h *Pages) enrolSheetOf(desa string) enrolsheet.Sheet {
	sh := enrolsheet.Sheet{Desa: h.regionName(desa) + " (" + desa + ")"}
	var up []string
	for _, reg := range slices.Backward(h.Regions.Path(desa)) {
		if reg.Code == desa {
			continue
		}
		name := reg.Name
		if reg.Level == siaga.LevelKecamatan {
			name = "Kec. " + name
		}
		up = append(up, name)
	}
	sh.Kecamatan = strings.Join(up, ", ")
	return sh
}

// publicURL is the address phones reach this server at: the configured
// public URL, else the one this request came to.
func (h *Pages) publicURL(r *http.Request) string {
	if h.PublicURL != "" {
		return strings.TrimSuffix(h.PublicURL, "/")
	}
	u := url.URL{Scheme: "http", Host: r.Host}
	if h.viaTLS(r) {
		u.Scheme = "https"
	}
	return u.String()
}
