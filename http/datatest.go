package http

import (
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
)

// maxDataTestKiB bounds the data test's payload either way: enough to time
// a link against the 70 kbit/s that separates weak from good
// (connectivity.DefaultThresholds) within a few seconds, and no more than
// one of the field app's own assets, which anyone may download.
const maxDataTestKiB = 64

// dataTestRate limits the data test per client address. A survey takes
// four or five requests (two round trips, one or two downloads, an
// upload), so a burst of 30 is several surveyors behind one carrier
// address at once; after it, one request every 2 s caps what one address
// can draw at 32 KiB/s.
var dataTestRate = rate{Burst: 30, PerSecond: 0.5}

// handleDataTestDown serves GET /api/v1/datatest?kb=N: N KiB (0 to 64,
// default 16) of random bytes, which no proxy can compress or cache, for
// the field app to time a download. kb=0 times a bare round trip.
func (s *Server) handleDataTestDown(w http.ResponseWriter, r *http.Request) {
	kb := int64(16)
	if v := r.URL.Query().Get("kb"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > maxDataTestKiB {
			s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "kb", "kb harus bilangan bulat antara 0 dan %d", "kb must be a whole number between 0 and %d", maxDataTestKiB))
			return
		}
		kb = n
	}
	body := make([]byte, kb<<10)
	_, _ = rand.Read(body) // crypto/rand never fails on a supported system
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// dataTestAnswer is the answer to an upload: what arrived, and when, so
// the phone can tell a short upload from a slow one.
type dataTestAnswer struct {
	Bytes      int64     `json:"bytes"`
	ServerTime time.Time `json:"server_time"`
}

// handleDataTestUp serves POST /api/v1/datatest: the field app uploads up
// to 64 KiB (the route's body limit; more is 413) and times the answer,
// which is the number of bytes read. The bytes are read and dropped.
func (s *Server) handleDataTestUp(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, dataTestAnswer{Bytes: n, ServerTime: s.now().UTC()})
}
