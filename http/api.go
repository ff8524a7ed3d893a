package http

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// maxSubmissionBytes bounds a count form: the largest legislative form is
// a few KB; anything far beyond is not a form.
const maxSubmissionBytes = 64 << 10

func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	sub, err := decodeSubmission(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The form is encoded once, for the signature, the content hash and
	// the store.
	canonical, form := sub.Canonical()
	author, err := s.authorSubmission(r, sub, canonical)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.Validate != nil {
		if err := s.Validate(sub); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	receipt, replay, err := s.Results.SubmitEncoded(r.Context(), sub, canonical, form, author)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	writeJSON(w, status, receipt)
}

// decodeSubmission reads one submission strictly: unknown fields, wrong
// types, trailing data and oversize bodies are refused with the field named.
func decodeSubmission(w http.ResponseWriter, r *http.Request) (*siaga.Submission, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSubmissionBytes))
	if err != nil {
		return nil, decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var sub siaga.Submission
	if err := dec.Decode(&sub); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			typeErr.Field = refineField(body, typeErr.Field)
		}
		return nil, decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, siaga.Errorf(siaga.EInvalid, "", "Ada data lain setelah formulir", "unexpected data after the form")
	}
	return &sub, nil
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

// refineField extends the path of a type error into a map, which
// encoding/json leaves out ("form.administrasi" → "form.administrasi.suara_sah"),
// so the officer learns which number is wrong.
func refineField(body []byte, field string) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return field
	}
	node := doc
	for _, seg := range strings.Split(field, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			return field
		}
		node = m[seg]
	}
	m, ok := node.(map[string]any)
	if !ok {
		return field
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if n, ok := m[k].(float64); !ok || n != float64(int64(n)) {
			if _, nested := m[k].(map[string]any); !nested {
				return field + "." + k
			}
		}
	}
	return field
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

// authorSubmission authenticates a submission: a device signature, or a
// user's API token for operators entering or correcting forms.
func (s *Server) authorSubmission(r *http.Request, sub *siaga.Submission, canonical []byte) (string, error) {
	if token, ok := bearer(r); ok {
		u, err := s.Auth.TokenUser(r.Context(), token)
		if err != nil {
			return "", err
		}
		if !auth.CanSubmit(u, sub) {
			return "", siaga.Errorf(siaga.EForbidden, "tps", "Akun %s tidak berwenang mengirim formulir %s untuk TPS %s",
				"account %s may not send %s forms for TPS %s", u.Username, sub.Source, sub.TPS)
		}
		return "user:" + u.Username, nil
	}
	if sub.Device == "" {
		return "", siaga.Errorf(siaga.EUnauthorized, "device", "Kiriman harus ditandatangani perangkat terdaftar atau memakai token",
			"a submission must be signed by an enrolled device or carry a token")
	}
	d, err := s.Auth.VerifyCanonical(r.Context(), sub, canonical)
	if err != nil {
		return "", err
	}
	return "device:" + d.ID, nil
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
	writeJSON(w, http.StatusOK, struct {
		siaga.Progress
		Missing []siaga.MissingTPS `json:"missing"`
	}{p, s.Results.Missing(region, limit)})
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
	}{t, history})
}

func (s *Server) handleAnomaliesAPI(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 {
		limit = 1000
	}
	writeJSON(w, http.StatusOK, s.Results.Anomalies(region, limit))
}

func (s *Server) handleElectionAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Election)
}

// handleEnrolDevice enrols a phone: it sends the one-time code and its
// public key, and gets its device id and the enrolment secret.
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
	writeJSON(w, http.StatusCreated, struct {
		Device *siaga.Device `json:"device"`
		Secret string        `json:"secret"`
	}{d, base64.StdEncoding.EncodeToString(secret)})
}

// handleIssueEnrolment lets an operator (API token) issue one-time codes
// for the devices of one TPS ("tps") or of many at once ("tps_list"), in
// one transaction.
func (s *Server) handleIssueEnrolment(w http.ResponseWriter, r *http.Request) {
	token, ok := bearer(r)
	if !ok {
		s.writeError(w, r, siaga.Errorf(siaga.EUnauthorized, "", "Perlu token", "a token is required"))
		return
	}
	u, err := s.Auth.TokenUser(r.Context(), token)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
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

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
