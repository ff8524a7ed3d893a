package http

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/relay"
)

// relayHeader names the device that carried a submission for another.
const relayHeader = "X-Siaga-Relay"

// relayResult is the answer for one submission of a relay request: a
// phone keeps in its relay queue whatever did not get a 2xx.
type relayResult struct {
	Submission string         `json:"submission,omitempty"`
	TPS        string         `json:"tps,omitempty"`
	Status     int            `json:"status"`
	Receipt    *siaga.Receipt `json:"receipt,omitempty"`
	Error      *errorJSON     `json:"error,omitempty"`
}

// handleRelay serves POST /api/v1/relay: a phone with signal forwards
// submissions it scanned as QR codes ({"chunks":[…]}) or received as a
// relay file. Each goes through the same checks as POST
// /api/v1/submissions, authenticated by its own device signature only: a
// relay proves nothing and needs no credentials. The answer is 200 with
// one result per submission, in the order they were carried.
//
// The messages are inflated one at a time, each checked and stored before
// the next is inflated, within the limits of package relay: a message that
// breaks them ends the request with its error (413 or 400, naming the
// chunk), and those before it stay stored (sending again returns their
// receipts). The first submission that fails authentication (unknown
// device, bad signature) also ends the work: a carrier cannot check
// signatures, but a request that carries a forgery is not worth inflating
// further, and every unknown device costs a database lookup. The
// submissions after it are answered 503, not processed, to be sent again.
func (s *Server) handleRelay(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, relay.MaxBody))
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	carrier, ok := relayDevice(r)
	if !ok {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, relayHeader, "Kepala %s tidak sah", "invalid %s header", relayHeader))
		return
	}
	req, err := relay.ReadBody(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	results := make([]relayResult, 0, req.Len())
	for len(results) < req.Len() {
		msg, err := req.Next()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		res := s.relayOne(r, msg, req.Via, carrier)
		results = append(results, res)
		if res.Status == http.StatusUnauthorized {
			for len(results) < req.Len() {
				results = append(results, notTried())
			}
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Results []relayResult `json:"results"`
	}{results})
}

// notTried is the result of a submission left unread after an earlier one
// of the same request failed authentication.
func notTried() relayResult {
	e := siaga.Errorf(siaga.EUnavailable, "",
		"Belum diproses: kiriman sebelumnya dalam permintaan ini gagal autentikasi; kirim lagi tanpa kiriman itu",
		"not processed: an earlier submission of this request failed authentication; send this one again without it")
	return relayResult{Status: siaga.HTTPStatus(e.Code), Error: &errorJSON{Code: e.Code, Message: e.Message, MessageEN: e.MessageEN}}
}

// relayOne stores one carried submission through the intake, with its own
// device signature as its only credential, and records the sighting once
// that signature has proved it authentic.
func (s *Server) relayOne(r *http.Request, msg []byte, via, carrier string) relayResult {
	got, err := s.Intake.SubmitBytes(r.Context(), msg, parseSubmission, siaga.Credential{Kind: siaga.CredentialSigned})
	var res relayResult
	if sub := got.Submission; sub != nil {
		res.Submission, res.TPS = sub.ID, sub.TPS
	}
	if err != nil {
		e := s.userError(res.Submission, err)
		if got.Author != "" && e.Code != siaga.EInternal {
			s.recordSighting(r, got.Submission, via, carrier, siaga.RelayRefused, e.Message)
		}
		res.Status, res.Error = siaga.HTTPStatus(e.Code), &errorJSON{Code: e.Code, Message: e.Message, MessageEN: e.MessageEN, Field: e.Field}
		return res
	}
	outcome, status := siaga.RelayStored, http.StatusCreated
	if got.Replay {
		outcome, status = siaga.RelayReplay, http.StatusOK
	}
	s.recordSighting(r, got.Submission, via, carrier, outcome, "")
	res.Status, res.Receipt = status, &got.Receipt
	return res
}

// userError is err as the relay answers it for one submission: a
// user-facing error as it is, anything else logged and answered as
// internal.
func (s *Server) userError(submission string, err error) *siaga.Error {
	var e *siaga.Error
	if !errors.As(err, &e) {
		s.Logger.Error("relay failed", "submission", submission, "err", err)
		e = siaga.Errorf(siaga.EInternal, "", "Terjadi kesalahan di server; coba lagi", "internal server error; try again")
	}
	return e
}

// noteRelay is called by handleSubmit after a submission is stored: when
// another phone sent it on the signer's behalf (X-Siaga-Relay names a
// device other than the signer), the desk learns who carried it.
func (s *Server) noteRelay(r *http.Request, got siaga.IntakeResult) {
	sub := got.Submission
	carrier, ok := relayDevice(r)
	if !ok || carrier == "" || sub.Device == "" || carrier == sub.Device || got.Author != "device:"+sub.Device {
		return
	}
	outcome := siaga.RelayStored
	if got.Replay {
		outcome = siaga.RelayReplay
	}
	s.recordSighting(r, sub, siaga.ViaDirect, carrier, outcome, "")
}

// recordSighting keeps a sighting; the submission is already answered for,
// so a failure is logged and not passed on.
func (s *Server) recordSighting(r *http.Request, sub *siaga.Submission, via, carrier, outcome, reason string) {
	if s.Dispatch == nil {
		return
	}
	err := s.Dispatch.AddRelaySighting(r.Context(), &siaga.RelaySighting{
		Submission: sub.ID, TPS: sub.TPS, Contest: sub.Contest, Source: sub.Source, Device: sub.Device,
		Relay: carrier, Via: via, Outcome: outcome, Reason: reason, At: s.Now(),
	})
	if err != nil {
		s.Logger.Error("recording a relay sighting", "submission", sub.ID, "err", err)
	}
}

// relayDevice reads X-Siaga-Relay: a device id as the carrying phone states
// it. It is not authenticated (the signature of the carried form is what
// counts), so it is only kept as a hint for the desk, and must look like an
// id.
func relayDevice(r *http.Request) (string, bool) {
	v := strings.TrimSpace(r.Header.Get(relayHeader))
	if len(v) > 64 {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return "", false
		}
	}
	return v, true
}
