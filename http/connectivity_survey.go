package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/connectivity"
)

// Surveys records signal surveys (connectivity.Service): the field app's
// survey mode sends them, signed by the phone, and staff type them.
type Surveys interface {
	// AddSurveys checks and stores surveys, all or none, recorded by by.
	AddSurveys(ctx context.Context, ss []siaga.Survey, by string) error
	// Surveys pages the stored surveys: a retry is answered with the
	// survey its first try stored.
	Surveys(ctx context.Context, f siaga.SurveyFilter) (siaga.SurveyPage, error)
	// Thresholds classify a survey for the answer.
	Thresholds() connectivity.Thresholds
}

// surveyBody bounds one survey: a dozen short fields, a name and the
// browser's description of the link, with the signature around them.
const surveyBody = 4 << 10

// surveyRequest is the body of POST /api/v1/surveys: one survey, and the
// device's signature of its exact text when a phone sends it. Staff send
// no signature: their session or API token vouches for them.
type surveyRequest struct {
	Survey    json.RawMessage `json:"survey"`
	Signature string          `json:"signature"`
}

// surveyIn is a survey as the API takes it: what was measured, where,
// when and by whom. Its source, its recorder and its ID are the server's.
type surveyIn struct {
	Device       string    `json:"device"` // a phone's survey: the device that signs it
	TPS          string    `json:"tps"`
	Operator     string    `json:"operator"`
	Tech         string    `json:"tech"`
	RSRP         *float64  `json:"rsrp"`
	RSSI         *float64  `json:"rssi"`
	DataOK       *bool     `json:"data_ok"`
	DownKbps     *float64  `json:"down_kbps"`
	UpKbps       *float64  `json:"up_kbps"`
	RTTms        *float64  `json:"rtt_ms"`
	Link         string    `json:"link"`
	Lat          float64   `json:"lat"`
	Lon          float64   `json:"lon"`
	Surveyor     string    `json:"surveyor"`
	At           time.Time `json:"at"`
	Intervention int64     `json:"intervention"`
}

// surveyReceipt answers a survey: as stored, and the class it implies by
// the server's thresholds (the phone shows its own estimate until then).
type surveyReceipt struct {
	Survey siaga.Survey       `json:"survey"`
	Class  siaga.Connectivity `json:"class"`
}

// handleAddSurvey serves POST /api/v1/surveys: a device's signed survey of
// its own TPS, or a survey typed by the desk or KPU's operators for a TPS
// in their scope. A retry of a survey already stored (same recorder, TPS,
// operator and time of measurement) is answered 200 with the stored one
// and stores nothing: the field app's outbox resends after a lost answer.
func (s *Server) handleAddSurvey(w http.ResponseWriter, r *http.Request) {
	if s.Surveys == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "survei sinyal tidak tersedia di server ini", "signal surveys are not available on this server"))
		return
	}
	req, in, err := decodeSurvey(r.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	source, by, err := s.surveyRecorder(r, req, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sv := siaga.Survey{TPS: in.TPS, Operator: in.Operator, Tech: in.Tech, RSRP: in.RSRP, RSSI: in.RSSI, DataOK: in.DataOK,
		DownKbps: in.DownKbps, UpKbps: in.UpKbps, RTTms: in.RTTms, Link: in.Link, Lat: in.Lat, Lon: in.Lon,
		Surveyor: in.Surveyor, Source: source, At: in.At, By: by, Intervention: in.Intervention}
	s.surveying.Lock()
	defer s.surveying.Unlock()
	stored, found, err := s.storedSurvey(r.Context(), sv)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if !found {
		ss := []siaga.Survey{sv}
		if err := s.Surveys.AddSurveys(r.Context(), ss, by); err != nil {
			s.writeError(w, r, err)
			return
		}
		stored, status = ss[0], http.StatusCreated // with its ID
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, surveyReceipt{Survey: stored, Class: s.Surveys.Thresholds().Classify(&stored)})
}

// decodeSurvey reads the body strictly: unknown fields, wrong types and
// trailing data are refused with the field named.
func decodeSurvey(body io.Reader) (surveyRequest, surveyIn, error) {
	var req surveyRequest
	var in surveyIn
	if err := decodeOne(body, &req); err != nil {
		return req, in, err
	}
	if len(req.Survey) == 0 || string(req.Survey) == "null" {
		return req, in, siaga.Errorf(siaga.EInvalid, "survey", "isian survey wajib", "the survey field is required")
	}
	if err := decodeOne(bytes.NewReader(req.Survey), &in); err != nil {
		if e, ok := err.(*siaga.Error); ok && e.Field != "" {
			e.Field = "survey." + e.Field
		}
		return req, in, err
	}
	if in.TPS == "" {
		// Checked here too: the retry check reads the TPS's surveys.
		return req, in, siaga.Errorf(siaga.EInvalid, "survey.tps", "kode TPS wajib", "the TPS code is required")
	}
	return req, in, nil
}

// decodeOne decodes exactly one JSON value into v, refusing unknown fields.
func decodeOne(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return siaga.Errorf(siaga.EInvalid, "", "Ada data lain setelah survei", "unexpected data after the survey")
	}
	return nil
}

// surveyRecorder says where a survey comes from and who records it: the
// phone whose signature it carries (its own TPS only), else a staff
// account of the desk or KPU within whose scope the TPS lies.
func (s *Server) surveyRecorder(r *http.Request, req surveyRequest, in surveyIn) (source, by string, err error) {
	if req.Signature != "" || in.Device != "" {
		d, err := s.Auth.VerifySurvey(r.Context(), in.Device, in.TPS, req.Survey, req.Signature)
		if err != nil {
			return "", "", err
		}
		return siaga.SurveyField, "device:" + d.ID, nil
	}
	u, sess, viaCookie := s.requestUser(r)
	csrfOK := false
	if viaCookie {
		// The JSON body is read already: the token comes in X-CSRF-Token.
		csrfOK, _ = validCSRF(r, sess)
	}
	switch {
	case u == nil:
		return "", "", siaga.Errorf(siaga.EUnauthorized, "", "Survei harus ditandatangani perangkat terdaftar atau dikirim akun yang masuk",
			"a survey must be signed by an enrolled device or sent by a logged-in account")
	case !slices.Contains(connRoles, u.Role):
		return "", "", siaga.Errorf(siaga.EForbidden, "role", "Peran %s tidak boleh mencatat survei sinyal", "role %s may not record signal surveys", u.Role)
	case viaCookie && !csrfOK:
		return "", "", siaga.Errorf(siaga.EForbidden, "csrf", "Token formulir tidak sah; muat ulang halaman lalu coba lagi",
			"invalid form token; reload the page and try again")
	case !siaga.InScope(u.Scope, in.TPS):
		return "", "", siaga.Errorf(siaga.EForbidden, "survey.tps", "TPS %s di luar wilayah akun Anda", "TPS %s is outside your account's region", in.TPS)
	}
	return siaga.SurveyWeb, auth.Actor(u), nil
}

// storedSurvey finds a survey already stored with sv's recorder, TPS,
// operator and time of measurement: a phone cannot measure one operator
// twice in the same instant, so that survey is this one, sent again. One
// that differs in anything else is refused as a conflict rather than
// taken for a retry.
func (s *Server) storedSurvey(ctx context.Context, sv siaga.Survey) (siaga.Survey, bool, error) {
	page, err := s.Surveys.Surveys(ctx, siaga.SurveyFilter{Region: sv.TPS})
	if err != nil {
		return siaga.Survey{}, false, err
	}
	for _, old := range page.Items {
		if old.TPS != sv.TPS || old.By != sv.By || old.Operator != sv.Operator || !old.At.Equal(sv.At) {
			continue
		}
		cmp := old
		cmp.ID, cmp.At = 0, sv.At
		if !reflect.DeepEqual(cmp, sv) {
			return siaga.Survey{}, false, siaga.Errorf(siaga.EConflict, "survey.at",
				"survei %s pada %s sudah tercatat dengan isi lain", "a survey of %s at %s is already recorded with other values",
				sv.Operator, sv.At.In(siaga.WIB).Format(time.RFC3339))
		}
		return old, true, nil
	}
	return siaga.Survey{}, false, nil
}
