package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
)

// The web survey form: a desk or KPU operator types in a measurement
// taken in the field (source "web"); connectivity.Service.AddSurveys
// checks and stores it. An error shows the form again with every value
// kept and the field named; success goes to the TPS's signal block. The
// intervention status form reuses the fields for the test after
// installation.

// surveyFields are the form's fields, named as connectivity's checks name
// them so that an error points at the field it is about.
var surveyFields = []string{"tps", "operator", "tech", "rsrp", "rssi", "data_ok", "down_kbps", "up_kbps", "rtt_ms",
	"lat", "lon", "surveyor", "at"}

// surveyInput is what was typed, kept as typed.
type surveyInput map[string]string

func readSurveyInput(f url.Values) surveyInput {
	in := surveyInput{}
	for _, k := range surveyFields {
		in[k] = strings.TrimSpace(f.Get(k))
	}
	return in
}

// formError is an error to show beside a form: the field it names and
// the message in both languages.
type formError struct {
	Field     string
	Message   string
	MessageEN string
}

func fieldError(field, msg, msgEN string) *formError {
	return &formError{Field: field, Message: msg, MessageEN: msgEN}
}

// asFormError turns a service error into one the form shows; other
// errors (the store failing) are not the form's.
func asFormError(err error) (*formError, bool) {
	var e *siaga.Error
	if !errors.As(err, &e) || siaga.HTTPStatus(e.Code) >= 500 {
		return nil, false
	}
	field := e.Field
	if i := strings.LastIndexByte(field, '.'); i >= 0 { // surveys[0].rsrp
		field = field[i+1:]
	}
	return fieldError(field, e.Message, e.MessageEN), true
}

// refusal turns a service's error into the form's, its field named
// ("kolom X: …"). Any other error (the store failing) is logged with
// attrs and answered with an error page saying id / en, and ok is false:
// the caller stops.
func (h *Pages) refusal(w http.ResponseWriter, r *http.Request, err error, id, en string, attrs ...any) (fe *formError, ok bool) {
	fe, ok = asFormError(err)
	if !ok {
		h.dashLog().Error(en, append(attrs, "err", err)...)
		h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), id, en)
		return nil, false
	}
	if fe.Field != "" {
		fe.Message, fe.MessageEN = "kolom "+fe.Field+": "+fe.Message, "field "+fe.Field+": "+fe.MessageEN
	}
	return fe, true
}

// dataTimeLayout is how an <input type="datetime-local"> sends its value.
const dataTimeLayout = "2006-01-02T15:04"

// survey parses the input into a survey from source, or names the field
// that does not parse. Empty measurements are ones not taken.
func (in surveyInput) survey(source string) (siaga.Survey, *formError) {
	s := siaga.Survey{TPS: in["tps"], Operator: in["operator"], Tech: in["tech"], Surveyor: in["surveyor"], Source: source}
	num := func(field string) (*float64, *formError) {
		v := strings.Replace(in[field], ",", ".", 1) // a decimal comma, as Indonesians write it
		if v == "" {
			return nil, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fieldError(field, "kolom "+field+": bukan angka", "field "+field+": not a number")
		}
		return &f, nil
	}
	var fe *formError
	for _, m := range []struct {
		field string
		dst   **float64
	}{{"rsrp", &s.RSRP}, {"rssi", &s.RSSI}, {"down_kbps", &s.DownKbps}, {"up_kbps", &s.UpKbps}, {"rtt_ms", &s.RTTms}} {
		if *m.dst, fe = num(m.field); fe != nil {
			return s, fe
		}
	}
	switch in["data_ok"] {
	case "":
	case "ya":
		s.DataOK = new(bool)
		*s.DataOK = true
	case "tidak":
		s.DataOK = new(bool)
	default:
		return s, fieldError("data_ok", "kolom data_ok: pilih ya atau tidak", "field data_ok: yes (ya) or no (tidak)")
	}
	for _, m := range []struct {
		field string
		dst   *float64
	}{{"lat", &s.Lat}, {"lon", &s.Lon}} {
		v, fe := num(m.field)
		if fe != nil {
			return s, fe
		}
		if v != nil {
			*m.dst = *v
		}
	}
	if (in["lat"] == "") != (in["lon"] == "") {
		return s, fieldError("lon", "kolom lon: isi lintang dan bujur, atau kosongkan keduanya", "field lon: give both latitude and longitude, or neither")
	}
	if in["at"] != "" {
		at, err := time.ParseInLocation(dataTimeLayout, in["at"], siaga.WIB)
		if err != nil {
			return s, fieldError("at", "kolom at: waktu tidak terbaca (YYYY-MM-DDTHH:MM, WIB)", "field at: unreadable time (YYYY-MM-DDTHH:MM, WIB)")
		}
		s.At = at
	}
	return s, nil
}

type surveyFormPage struct {
	basePage
	Region    siaga.Region
	In        surveyInput
	Err       *formError
	Operators []string
	Techs     []string
}

// SurveyForm serves GET /sinyal/{code}/survei/baru?tps= (desk and KPU
// operators in scope): an empty form, the TPS filled in when given.
func (h *Pages) SurveyForm(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	in := surveyInput{"tps": r.URL.Query().Get("tps"), "at": h.now().In(siaga.WIB).Format(dataTimeLayout)}
	h.renderSurveyForm(w, r, http.StatusOK, reg, in, nil)
}

func (h *Pages) renderSurveyForm(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, in surveyInput, fe *formError) {
	p := surveyFormPage{basePage: h.base(r, "Survei sinyal baru — "+reg.Name), Region: reg, In: in, Err: fe,
		Operators: connectivity.Operators, Techs: connectivity.Techs}
	p.Nav, p.Path = "sinyal", h.Regions.Path(reg.Code)
	h.renderStatus(w, r, status, "connectivity_survey", p)
}

// AddSurvey serves POST /sinyal/{code}/survei: one survey typed in from
// the web, of a TPS in the region of the path (which the guard checked
// against the account's scope).
func (h *Pages) AddSurvey(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.connRegion(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formBody)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	in := readSurveyInput(r.PostForm)
	s, fe := in.survey(siaga.SurveyWeb)
	if fe == nil && !siaga.InScope(reg.Code, s.TPS) {
		fe = fieldError("tps", "kolom tps: TPS "+s.TPS+" tidak ada di "+reg.Name, "field tps: TPS "+s.TPS+" is not in "+reg.Name)
	}
	if fe == nil {
		err := h.Connectivity.AddSurveys(r.Context(), []siaga.Survey{s}, auth.Actor(h.account(r)))
		if err != nil {
			var ok bool
			if fe, ok = h.refusal(w, r, err, "Survei tidak dapat disimpan; coba lagi.", "The survey could not be saved; try again.", "tps", s.TPS); !ok {
				return
			}
		}
	}
	if fe != nil {
		h.renderSurveyForm(w, r, http.StatusUnprocessableEntity, reg, in, fe)
		return
	}
	http.Redirect(w, r, "/tps/"+s.TPS+"#sinyal", http.StatusSeeOther)
}
