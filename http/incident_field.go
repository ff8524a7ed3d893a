package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
)

// Bounds of the field app's incident requests. A report is a category, a
// time and a few paragraphs; a photo is shrunk on the phone (photos.js,
// about 250 KB) and refused here above incident.MaxEvidence (1 MiB).
const (
	fieldIncidentBody  = 16 << 10
	fieldEvidenceBody  = incident.MaxEvidence
	fieldIncidentsMax  = 100 // a TPS's reports a phone reads at once
	fieldIncidentPhoto = 3   // photos a phone sends with one report
)

// hdrSHA256 names the SHA-256 of an evidence upload's bytes, which the
// phone signs with the request line.
const hdrSHA256 = "X-Siaga-SHA256"

// fieldIncidentIn is the report a KPPS or PTPS phone signs: its own id
// (the outbox item's, so that a resend is the same report), its device and
// TPS, and what happened.
type fieldIncidentIn struct {
	ID         string                 `json:"id"`
	Device     string                 `json:"device"`
	TPS        string                 `json:"tps"`
	Category   siaga.IncidentCategory `json:"category"`
	Severity   siaga.Severity         `json:"severity"`
	OccurredAt time.Time              `json:"occurred_at"`
	Title      string                 `json:"title,omitempty"`
	Text       string                 `json:"text"`
	Lat        float64                `json:"lat,omitempty"`
	Lon        float64                `json:"lon,omitempty"`
	Photos     int                    `json:"photos,omitempty"` // how many photos follow the report
}

// fieldIncident is a report as its phone sees it: where it stands and
// which agency has it, without the desk's notes and names.
type fieldIncident struct {
	ID         int64                  `json:"id"`
	ClientID   string                 `json:"client_id"`
	Category   siaga.IncidentCategory `json:"category"`
	Severity   siaga.Severity         `json:"severity"`
	OccurredAt time.Time              `json:"occurred_at"`
	Title      string                 `json:"title"`
	Status     siaga.IncidentStatus   `json:"status"`
	Agency     siaga.Agency           `json:"agency,omitempty"`
	Evidence   int                    `json:"evidence"`
	UpdatedAt  time.Time              `json:"updated_at"`
}

func toFieldIncident(in *siaga.Incident) fieldIncident {
	return fieldIncident{ID: in.ID, ClientID: in.ClientID, Category: in.Category, Severity: in.Severity, OccurredAt: in.OccurredAt,
		Title: in.Title, Status: in.Status, Agency: in.Agency, Evidence: len(in.Evidence), UpdatedAt: in.UpdatedAt}
}

// fieldIncidentsOff answers the field routes of a node without the
// incident workflow or its store 404.
func (s *Server) fieldIncidentsOff(w http.ResponseWriter, r *http.Request) bool {
	if s.incidentsOff(w, r) {
		return true
	}
	if s.IncidentStore == nil {
		s.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Laporan insiden tidak tersedia di server ini", "incident reports are not available on this server"))
		return true
	}
	return false
}

// handleFieldIncident serves POST /api/v1/field/incidents: a report from
// a KPPS or PTPS phone about its own TPS, {"incident": <JSON text>,
// "signature": …}, signed over "siaga-incident\n" + the text as sent. It
// comes through the outbox, so the same report may come twice: its id is
// the ClientID, and a resend answers with the stored report (200).
func (s *Server) handleFieldIncident(w http.ResponseWriter, r *http.Request) {
	if s.fieldIncidentsOff(w, r) {
		return
	}
	var env struct {
		Incident  json.RawMessage `json:"incident"`
		Signature string          `json:"signature"`
	}
	if err := decodeOne(r.Body, &env); err != nil {
		s.writeError(w, r, err)
		return
	}
	var in fieldIncidentIn
	if len(env.Incident) == 0 || string(env.Incident) == "null" {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "incident", "isian incident wajib", "the incident field is required"))
		return
	}
	if err := decodeOne(bytes.NewReader(env.Incident), &in); err != nil {
		if e, ok := err.(*siaga.Error); ok && e.Field != "" {
			e.Field = "incident." + e.Field
		}
		s.writeError(w, r, err)
		return
	}
	// Authentication before anything else is looked at: the signature of
	// the text as sent, by a phone of the TPS it names.
	d, err := s.Auth.VerifyIncident(r.Context(), in.Device, in.TPS, env.Incident, env.Signature)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	switch {
	case in.ID == "" || len(in.ID) > 64:
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "incident.id", "id laporan wajib, paling panjang 64", "the report's id is required, at most 64 characters"))
		return
	case in.Photos < 0 || in.Photos > fieldIncidentPhoto:
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "incident.photos", "Paling banyak %d foto per laporan", "at most %d photos per report", fieldIncidentPhoto))
		return
	}
	// A device's ClientID is its own: two phones choosing the same id
	// stay two reports.
	clientID := "field:" + d.ID + ":" + in.ID
	status := http.StatusCreated
	if _, err := s.IncidentStore.IncidentByClientID(r.Context(), clientID); err == nil {
		status = http.StatusOK // stored before: the phone's earlier send got through
	} else if siaga.ErrorCode(err) != siaga.ENotFound {
		s.writeError(w, r, err)
		return
	}
	got, err := s.Incidents.Report(r.Context(), &siaga.Incident{
		ClientID: clientID, Channel: siaga.ChannelField, Category: in.Category, Severity: in.Severity,
		OccurredAt: in.OccurredAt, Region: d.TPS[:min(10, len(d.TPS))], TPS: d.TPS, Lat: in.Lat, Lon: in.Lon,
		Title: in.Title, Text: in.Text,
	}, incident.Actor{Device: d.ID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, struct {
		fieldIncident
		Message string `json:"message"`
		EN      string `json:"en"`
	}{toFieldIncident(got),
		"Laporan #" + strconv.FormatInt(got.ID, 10) + " diterima; desk akan memverifikasi",
		"Report #" + strconv.FormatInt(got.ID, 10) + " received; the desk will verify it"})
}

// handleFieldIncidentEvidence serves POST
// /api/v1/field/incidents/{id}/evidence: one photo of a report, sent by
// the phone that made the report after the report itself. The phone
// signs "POST <path>\n<sha256 of the bytes>"; the bytes must hash to it.
// A photo the report holds already is answered as stored (a resend after
// a lost answer), not added twice.
func (s *Server) handleFieldIncidentEvidence(w http.ResponseWriter, r *http.Request) {
	if s.fieldIncidentsOff(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "id", "Nomor laporan tidak sah", "invalid report number"))
		return
	}
	want := r.Header.Get(hdrSHA256)
	d, err := s.Auth.VerifyIncident(r.Context(), r.Header.Get(hdrDevice), "", []byte(r.Method+" "+r.URL.Path+"\n"+want), r.Header.Get(hdrSignature))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "sha256", "Isi foto tidak cocok dengan SHA-256-nya; kirim ulang",
			"the photo's bytes do not match its SHA-256; send it again"))
		return
	}
	in, err := s.IncidentStore.IncidentByID(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.ReporterDevice != d.ID {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "id", "Laporan #%d bukan laporan perangkat ini", "report #%d is not this device's", id))
		return
	}
	if slices.Contains(in.Evidence, want) {
		writeJSON(w, http.StatusOK, map[string]string{"sha256": want})
		return
	}
	if len(in.Evidence) >= fieldIncidentPhoto {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "bukti", "Laporan sudah berisi %d foto", "the report holds %d photos already", fieldIncidentPhoto))
		return
	}
	e, err := s.Incidents.AddEvidence(r.Context(), id, data, incident.Actor{Device: d.ID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"sha256": e.SHA256, "type": e.Type})
}

// handleFieldIncidents serves GET /api/v1/field/incidents: the phone's own
// reports and where they stand, newest first. The phone signs
// "GET <path>\n<time>"; a read more than fieldReadSkew off the server's
// time is refused, as for logistics, so a captured read is soon worthless.
func (s *Server) handleFieldIncidents(w http.ResponseWriter, r *http.Request) {
	if s.fieldIncidentsOff(w, r) {
		return
	}
	at := r.Header.Get(hdrAt)
	d, err := s.Auth.VerifyIncident(r.Context(), r.Header.Get(hdrDevice), "", []byte(r.Method+" "+r.URL.Path+"\n"+at), r.Header.Get(hdrSignature))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	when, err := time.Parse(time.RFC3339, at)
	if now := s.now(); err != nil || when.Before(now.Add(-fieldReadSkew)) || when.After(now.Add(fieldReadSkew)) {
		w.Header().Set("X-Siaga-Server-Time", now.UTC().Format(time.RFC3339))
		s.writeError(w, r, siaga.Errorf(siaga.EUnauthorized, "at", "Jam ponsel berbeda lebih dari %d menit dari server; periksa tanggal dan jam ponsel",
			"the phone's clock is more than %d minutes off the server's; check the phone's date and time", int(fieldReadSkew/time.Minute)))
		return
	}
	// The store selects the TPS's field reports; of those (a TPS has one
	// or two phones), the phone sees its own.
	f := siaga.IncidentFilter{TPS: d.TPS, Channel: siaga.ChannelField, Limit: fieldIncidentsMax}
	list, err := s.IncidentStore.Incidents(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := []fieldIncident{}
	for i := range list {
		if list[i].ReporterDevice == d.ID {
			items = append(items, toFieldIncident(&list[i]))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Items      []fieldIncident `json:"items"`
		ServerTime time.Time       `json:"server_time"`
	}{items, s.now().UTC()})
}
