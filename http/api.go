package http

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// maxSubmissionBytes bounds a count form: the largest legislative form is
// a few KB; anything far beyond is not a form.
const maxSubmissionBytes = 64 << 10

// handleSubmit serves POST /api/v1/submissions: a device's signed form,
// or a form an operator enters with an API token. The intake decodes,
// authenticates, validates and stores it.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSubmissionBytes))
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	cred, err := s.credential(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.Intake.SubmitBytes(r.Context(), body, parseSubmission, cred)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.noteRelay(r, res) // X-Siaga-Relay: relay.go
	status := http.StatusCreated
	if res.Replay {
		status = http.StatusOK
	}
	writeJSON(w, status, res.Receipt)
}

// credential is what vouches for a submission on the API: an operator's
// API token, which only this handler reads (the route is signed(), not
// staff(): devices carry no account), else the device signature the
// submission carries, which the intake verifies.
func (s *Server) credential(r *http.Request) (siaga.Credential, error) {
	token, ok := bearer(r)
	if !ok {
		return siaga.Credential{Kind: siaga.CredentialSigned}, nil
	}
	u, err := s.Auth.TokenUser(r.Context(), token)
	if err != nil {
		return siaga.Credential{}, err
	}
	return siaga.Credential{Kind: siaga.CredentialOperator, User: u}, nil
}

// decodeSubmission reads one submission strictly: unknown fields, wrong
// types, trailing data and oversize bodies are refused with the field named.
func decodeSubmission(w http.ResponseWriter, r *http.Request) (*siaga.Submission, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSubmissionBytes))
	if err != nil {
		return nil, decodeError(err)
	}
	return parseSubmission(body)
}

// parseSubmission decodes one submission strictly: unknown or duplicated
// names, wrong types, invalid UTF-8 and trailing data are refused with the
// field named. It uses the JSON v2 decoder, which is strict by default,
// names the failing field as a JSON pointer into maps too, and decodes a
// legislative form in well under half the time of encoding/json.
func parseSubmission(body []byte) (*siaga.Submission, error) {
	var sub siaga.Submission
	if err := jsonv2.Unmarshal(body, &sub, jsonv2.RejectUnknownMembers(true)); err != nil {
		return nil, strictDecodeError(err)
	}
	return &sub, nil
}

// strictDecodeError turns a JSON v2 decoding error into a user-facing one.
func strictDecodeError(err error) error {
	var (
		semErr *jsonv2.SemanticError
		synErr *jsontext.SyntacticError
	)
	switch {
	case errors.As(err, &semErr):
		field := fieldOf(semErr.JSONPointer)
		if errors.Is(semErr.Err, jsonv2.ErrUnknownName) {
			return siaga.Errorf(siaga.EInvalid, field, "Isian %s tidak dikenal", "unknown field %s", field)
		}
		want := "nilai yang sah"
		if semErr.GoType != nil {
			want = jsonKind(semErr.GoType.String())
		}
		return siaga.Errorf(siaga.EInvalid, field, "Isian %s harus berupa %s", "field %s must be %s", field, want)
	case errors.As(err, &synErr):
		if errors.Is(synErr.Err, io.ErrUnexpectedEOF) {
			return siaga.Errorf(siaga.EInvalid, "", "Kiriman kosong atau terpotong", "empty or truncated body")
		}
		field := fieldOf(synErr.JSONPointer)
		return siaga.Errorf(siaga.EInvalid, field, "JSON tidak sah pada posisi %d (%s)", "malformed JSON at offset %d (%s)",
			synErr.ByteOffset, field)
	}
	return siaga.Errorf(siaga.EInvalid, "", "Kiriman tidak dapat dibaca", "cannot read the body")
}

// fieldOf turns a JSON pointer ("/form/administrasi/suara_sah") into the
// dotted field path the API's errors use.
func fieldOf(p jsontext.Pointer) string {
	var parts []string
	for tok := range p.Tokens() {
		parts = append(parts, tok)
	}
	return strings.Join(parts, ".")
}

// decodeError turns a JSON decoding error into a user-facing one.
func decodeError(err error) error {
	var (
		maxErr  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		synErr  *json.SyntaxError
	)
	switch {
	case errors.As(err, &maxErr):
		return siaga.Errorf(siaga.ETooLarge, "", "Kiriman terlalu besar (maksimal %d byte)", "body too large (at most %d bytes)", maxErr.Limit)
	case errors.As(err, &typeErr):
		return siaga.Errorf(siaga.EInvalid, typeErr.Field, "Isian %s harus berupa %s, bukan %s",
			"field %s must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type.String()), typeErr.Value)
	case errors.As(err, &synErr):
		return siaga.Errorf(siaga.EInvalid, "", "JSON tidak sah pada posisi %d", "malformed JSON at offset %d", synErr.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return siaga.Errorf(siaga.EInvalid, "", "Kiriman kosong atau terpotong", "empty or truncated body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return siaga.Errorf(siaga.EInvalid, field, "Isian %s tidak dikenal", "unknown field %s", field)
	}
	return siaga.Errorf(siaga.EInvalid, "", "Kiriman tidak dapat dibaca: %v", "cannot read the body: %v", err)
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"):
		return "bilangan bulat (integer)"
	case goType == "string" || strings.HasSuffix(goType, "Contest") || strings.HasSuffix(goType, "Source"):
		return "teks (string)"
	}
	return "objek (" + goType + ")"
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	return strings.TrimSpace(token), ok && token != ""
}

func (s *Server) handleResults(w http.ResponseWriter, r *http.Request) {
	contest, region := siaga.Contest(r.PathValue("contest")), r.PathValue("region")
	if !contest.Valid() {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "contest", "Jenis pemilihan %q tidak dikenal", "unknown contest %q", contest))
		return
	}
	t, ok := s.Results.Tally(contest, region)
	if !ok {
		s.writeError(w, r, errNoRegion(region))
		return
	}
	if notModified(w, r, fmt.Sprintf(`"%s-%s-%d"`, contest, region, t.Seq)) {
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	p, ok := s.Results.Progress(region)
	if !ok {
		s.writeError(w, r, errNoRegion(region))
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("missing"))
	if limit <= 0 {
		limit = 100
	}
	// The first limit TPS still owed a count, blank spots first, with how
	// many there are in all: the rest pages through /api/v1/dispatch.
	m, err := s.Results.MissingPage(siaga.MissingQuery{Region: region, Limit: min(limit, 1000)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		siaga.Progress
		Missing           []siaga.MissingTPS `json:"missing"`
		MissingTotal      int                `json:"missing_total"`
		MissingNothing    int                `json:"missing_nothing"`
		MissingIncomplete int                `json:"missing_incomplete"`
		MissingPostponed  int                `json:"missing_postponed"`
	}{p, m.Items, m.Total, m.Missing, m.Incomplete, m.Postponed})
}

// notModified sets the ETag and answers 304 when the client has it.
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

func errNoRegion(code string) error {
	return siaga.Errorf(siaga.ENotFound, "region", "Wilayah %s tidak ditemukan", "region %s not found", code)
}

func (s *Server) handleRegionAPI(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	region, ok := s.Regions.Region(code)
	if !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	out := struct {
		siaga.Region
		Children []siaga.Region `json:"children"`
		TPS      []siaga.TPS    `json:"tps,omitempty"`
	}{Region: region, Children: s.Regions.Children(code)}
	if region.Level == siaga.LevelDesa {
		out.TPS = s.Regions.TPSOf(code)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTPSAPI(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	t, ok := s.Regions.TPS(code)
	if !ok {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "tps", "TPS %s tidak ditemukan", "TPS %s not found", code))
		return
	}
	history, err := s.Results.History(r.Context(), code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		siaga.TPS
		Versions []siaga.Version `json:"versions"`
	}{t, ui.VersionsFor(s.account(r), code, history)})
}

// handleAnomaliesAPI serves GET /api/v1/anomalies?region=&contest=&rule=&source=&status=&cursor=&limit=:
// {"items","total","next"} (SPEC §9), every match page by page; next is
// the cursor of the following page, "" on the last. Items carry the
// review status but not who set it nor the note: this route is public.
func (s *Server) handleAnomaliesAPI(w http.ResponseWriter, r *http.Request) {
	q, err := ui.APIAnomalyQuery(r.URL.Query())
	if err == nil {
		var page siaga.AnomalyPage
		if page, err = s.Results.AnomalyPage(q); err == nil {
			writeJSON(w, http.StatusOK, page)
			return
		}
	}
	s.writeError(w, r, err)
}

func (s *Server) handleElectionAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Election)
}

// handleEnrolDevice enrols a phone: it sends the one-time code and its
// public key, and gets its device id, the enrolment secret (for SMS
// codes) and the desk's SMS number, all a phone needs to report by SMS.
func (s *Server) handleEnrolDevice(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code      string `json:"code"`
		PublicKey string `json:"public_key"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	pub, err := base64.StdEncoding.DecodeString(req.PublicKey)
	if err != nil {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "public_key", "Kunci publik harus base64", "public_key must be base64"))
		return
	}
	d, secret, err := s.Auth.Enrol(r.Context(), req.Code, pub)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var number string
	if s.SMS != nil {
		number = s.SMS.Number
	}
	writeJSON(w, http.StatusCreated, struct {
		Device    *siaga.Device `json:"device"`
		Secret    string        `json:"secret"`
		SMSNumber string        `json:"sms_number,omitempty"`
	}{d, base64.StdEncoding.EncodeToString(secret), number})
}

// handleIssueEnrolment lets an operator (session or API token) issue one-time codes
// for the devices of one TPS ("tps") or of many at once ("tps_list"), in
// one transaction.
func (s *Server) handleIssueEnrolment(w http.ResponseWriter, r *http.Request) {
	u := s.account(r)
	var req struct {
		TPS     string     `json:"tps"`
		TPSList []string   `json:"tps_list"`
		Role    siaga.Role `json:"role"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	list := req.TPSList
	if req.TPS != "" {
		list = append([]string{req.TPS}, list...)
	}
	if len(list) == 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "tps", "Sebutkan TPS (tps atau tps_list)", "name the TPS (tps or tps_list)"))
		return
	}
	for _, code := range list {
		if _, ok := s.Regions.TPS(code); !ok {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "tps", "TPS %s tidak terdaftar", "TPS %s is not in the registry", code))
			return
		}
	}
	codes, err := s.Auth.IssueEnrolments(r.Context(), u, list, req.Role, 7*24*time.Hour)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Role  siaga.Role        `json:"role"`
		Codes map[string]string `json:"codes"` // TPS → code
		Code  string            `json:"code,omitempty"`
	}{Role: req.Role, Codes: make(map[string]string, len(list))}
	for i, c := range codes {
		out.Codes[list[i]] = c
	}
	if len(codes) == 1 {
		out.Code = codes[0]
	}
	writeJSON(w, http.StatusCreated, out)
}
