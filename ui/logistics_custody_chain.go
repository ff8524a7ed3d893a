package ui

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The chain of one TPS's sealed boxes (/tps/{code}/kotak): every handover
// from → to with its seals, counts, the names of who gave and received,
// the time and the photos; and, for the officers who record logistics in
// the TPS's scope, the form of the next handover. Staff only: names are
// staff data. Package logistics checks the handover; its errors name the
// field, shown beside the form with what was typed.

// MaxHandoverUpload bounds the handover form: three photos of 1 MiB and
// the fields around them.
const MaxHandoverUpload = maxHandoverPhotos*maxHandoverPhoto + 64<<10

const (
	maxHandoverPhotos = 3
	maxHandoverPhoto  = 1 << 20
)

// handoverForm is a handover as typed, kept when it is refused.
type handoverForm struct {
	ID, From, To                  string
	Boxes, Envelopes              string
	Seals, Broken                 string
	GivenBy, ReceivedBy, At, Note string
	Field                         string // the form field at fault
	Error, ErrorEN                string
}

// handoverFields maps a handover's JSON field names to the form's.
var handoverFields = map[string]string{"id": "id", "from": "dari", "to": "ke", "boxes": "kotak", "envelopes": "sampul",
	"seals": "segel", "broken_seals": "segel_rusak", "given_by": "diserahkan", "received_by": "diterima", "at": "waktu",
	"note": "catatan", "photos": "foto"}

type chainStep struct {
	siaga.Handover
	FromName, ToName string
	At               string
	Problem          bool // this handover raised a seal alert
}

type place struct{ Code, Name string }

type chainPage struct {
	basePage
	TPS     siaga.TPS
	Number  string
	Desa    siaga.Region
	Kec     siaga.Region
	Steps   []chainStep
	Where   place   // where the boxes are now
	Next    []place // where they may go next; none at the PPK
	CanPost bool
	Form    handoverForm
	Now     string
	Photos  bool // the form takes photos
}

// ChainPage serves GET /tps/{code}/kotak.
func (h *Pages) ChainPage(w http.ResponseWriter, r *http.Request) {
	h.chainPage(w, r, http.StatusOK, handoverForm{})
}

func (h *Pages) chainPage(w http.ResponseWriter, r *http.Request, status int, form handoverForm) {
	if h.custodyOff(w, r) {
		return
	}
	t, ok := h.Regions.TPS(r.PathValue("code"))
	if !ok {
		h.pageNotFound(w, r)
		return
	}
	chain, err := h.Custody.Chain(r.Context(), t.Code)
	if err != nil {
		h.dashLog().Error("custody chain", "tps", t.Code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Rantai serah terima tidak dapat dimuat.", "The handover chain could not be loaded.")
		return
	}
	p := chainPage{basePage: h.base(r, "Serah terima kotak suara TPS "+tpsNumber(t.Number)), TPS: t, Number: tpsNumber(t.Number),
		Form: form, Now: h.nowLocal(), Photos: h.HandoverPhotos != nil}
	p.Nav, p.Path = "logistik", h.Regions.Path(t.Desa)
	p.Desa, _ = h.Regions.Region(t.Desa)
	p.Kec, _ = h.Regions.Region(t.Code[:6])
	names := map[string]string{t.Code: "TPS " + p.Number, t.Desa: "PPS " + p.Desa.Name, p.Kec.Code: "PPK " + p.Kec.Name}
	p.Where = place{t.Code, names[t.Code]}
	var prev *siaga.Handover
	for i, c := range chain {
		st := chainStep{Handover: c, FromName: names[c.From], ToName: names[c.To], At: c.At.In(siaga.WIB).Format(custodyTimeLayout)}
		st.Problem = len(c.BrokenSeals) > 0 || prev != nil && (c.Boxes != prev.Boxes || c.Envelopes != prev.Envelopes ||
			!sameSet(c.Seals, prev.Seals))
		p.Steps = append(p.Steps, st)
		p.Where = place{c.To, names[c.To]}
		prev = &chain[i]
	}
	switch p.Where.Code {
	case t.Code:
		p.Next = []place{{t.Desa, names[t.Desa]}, {p.Kec.Code, names[p.Kec.Code]}}
	case t.Desa:
		p.Next = []place{{p.Kec.Code, names[p.Kec.Code]}}
	}
	u := h.account(r) // a session's, or an API token's
	p.CanPost = len(p.Next) > 0 && u != nil && slices.Contains(h.Roles.Log, u.Role) && siaga.InScope(u.Scope, t.Code)
	if p.Form.ID == "" {
		p.Form.ID = newHandoverID()
		if prev != nil { // what the previous receiver counted: the usual case is the same
			p.Form.Boxes, p.Form.Envelopes = strconv.Itoa(prev.Boxes), strconv.Itoa(prev.Envelopes)
			p.Form.Seals = strings.Join(prev.Seals, "\n")
		}
	}
	h.renderStatus(w, r, status, "logistics_custody_tps", p)
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && len(missingFrom(a, b)) == 0
}

func missingFrom(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// newHandoverID is the form's handover ID, made when the form is shown:
// a form sent twice (a double click, a retry over a slow link) is then
// the same handover, stored once.
func newHandoverID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "web-" + hex.EncodeToString(b)
}

// RecordHandover serves POST /tps/{code}/kotak (multipart when it carries
// photos).
func (h *Pages) RecordHandover(w http.ResponseWriter, r *http.Request) {
	if h.custodyOff(w, r) {
		return
	}
	code := r.PathValue("code")
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if r.MultipartForm == nil {
			if err := r.ParseMultipartForm(maxHandoverPhoto); err != nil {
				h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
				return
			}
		}
	} else if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	form, ho, err := h.readHandoverForm(r, code)
	if err == nil {
		ho.Photos, err = h.saveHandoverPhotos(r)
	}
	if err == nil {
		_, _, err = h.Custody.Handover(r.Context(), ho)
	}
	if err != nil {
		if siaga.HTTPStatus(siaga.ErrorCode(err)) >= 500 {
			h.dashLog().Error("handover", "tps", code, "err", err)
		}
		h.chainPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), form.withError(err))
		return
	}
	http.Redirect(w, r, "/tps/"+code+"/kotak#rantai", http.StatusSeeOther)
}

// readHandoverForm reads the form; seal numbers are one a line (or
// separated by commas), as they are read off the boxes.
func (h *Pages) readHandoverForm(r *http.Request, tps string) (handoverForm, siaga.Handover, error) {
	f := r.PostForm
	form := handoverForm{ID: f.Get("id"), From: f.Get("dari"), To: f.Get("ke"), Boxes: strings.TrimSpace(f.Get("kotak")),
		Envelopes: strings.TrimSpace(f.Get("sampul")), Seals: f.Get("segel"), Broken: f.Get("segel_rusak"),
		GivenBy: strings.TrimSpace(f.Get("diserahkan")), ReceivedBy: strings.TrimSpace(f.Get("diterima")), At: f.Get("waktu"),
		Note: strings.TrimSpace(f.Get("catatan"))}
	ho := siaga.Handover{ID: form.ID, TPS: tps, From: form.From, To: form.To, Seals: splitSeals(form.Seals),
		BrokenSeals: splitSeals(form.Broken), GivenBy: form.GivenBy, ReceivedBy: form.ReceivedBy, Note: form.Note,
		Source: "web", By: auth.Actor(h.account(r)), At: h.Now()}
	var err error
	if ho.Boxes, err = formCount(form.Boxes, "boxes", "Jumlah kotak suara", "the number of ballot boxes"); err != nil {
		return form, ho, err
	}
	if ho.Envelopes, err = formCount(form.Envelopes, "envelopes", "Jumlah sampul C.Hasil", "the number of C.Hasil envelopes"); err != nil {
		return form, ho, err
	}
	if form.At != "" {
		at, err := time.ParseInLocation(stepLayout, form.At, siaga.WIB)
		if err != nil {
			return form, ho, siaga.Errorf(siaga.EInvalid, "at", "Waktu %q tidak terbaca (YYYY-MM-DDTHH:MM, WIB)", "time %q unreadable (YYYY-MM-DDTHH:MM, WIB)", form.At)
		}
		ho.At = at
	}
	return form, ho, nil
}

func formCount(s, field, id, en string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1000 {
		// Both messages take both names; each picks its own by index.
		return 0, siaga.Errorf(siaga.EInvalid, field, "%[1]s harus bilangan bulat 0–1000", "%[2]s must be a whole number 0–1000", id, en)
	}
	return n, nil
}

func splitSeals(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' })
}

// withError puts err in the form: its message and the field at fault.
func (f handoverForm) withError(err error) handoverForm {
	f.Error, f.ErrorEN = errorText(err, false), errorText(err, true)
	var e *siaga.Error
	if errors.As(err, &e) {
		f.Field = handoverFields[e.Field]
	}
	return f
}

// HandoverPhotos stores the photos of a handover (the logistics store's
// SaveLogisticsPhoto); nil: the form takes no photos, the API's handover
// names photos stored otherwise.
type HandoverPhotos interface {
	SaveLogisticsPhoto(ctx context.Context, p siaga.LogisticsPhoto) error
}

// saveHandoverPhotos stores the form's photos (field foto: at most three
// JPEG or PNG of 1 MiB each) and returns their SHA-256. They are stored
// before the handover: a refused handover leaves photos nobody names,
// which costs a few MiB and keeps one transaction per store call.
func (h *Pages) saveHandoverPhotos(r *http.Request) ([]string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["foto"]) == 0 {
		return nil, nil
	}
	files := r.MultipartForm.File["foto"]
	if h.HandoverPhotos == nil {
		return nil, siaga.Errorf(siaga.EInvalid, "photos", "Server ini tidak menyimpan foto serah terima", "this server stores no handover photos")
	}
	if len(files) > maxHandoverPhotos {
		return nil, siaga.Errorf(siaga.EInvalid, "photos", "Paling banyak %d foto", "at most %d photos", maxHandoverPhotos)
	}
	var out []string
	for _, fh := range files {
		if fh.Size == 0 {
			continue // an empty file input
		}
		if fh.Size > maxHandoverPhoto {
			return nil, siaga.Errorf(siaga.EInvalid, "photos", "Foto %s lebih dari 1 MiB", "photo %s is over 1 MiB", fh.Filename)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxHandoverPhoto+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		typ := http.DetectContentType(data)
		if typ != "image/jpeg" && typ != "image/png" {
			return nil, siaga.Errorf(siaga.EInvalid, "photos", "Foto %s bukan JPEG atau PNG", "photo %s is not a JPEG or PNG", fh.Filename)
		}
		sum := sha256.Sum256(data)
		p := siaga.LogisticsPhoto{SHA256: hex.EncodeToString(sum[:]), Type: typ, Data: data, By: auth.Actor(h.account(r)), At: h.Now()}
		if err := h.HandoverPhotos.SaveLogisticsPhoto(r.Context(), p); err != nil {
			return nil, err
		}
		out = append(out, p.SHA256)
	}
	return out, nil
}
