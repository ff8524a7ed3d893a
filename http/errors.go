package http

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Field     string `json:"field,omitempty"`
}

// retryAfter is the Retry-After of a 503 that names no other wait: about
// the time a database restart or a dropped connection takes to mend.
const retryAfter = 5 * time.Second

// writeError answers with {"error":{…}}. Internal errors are logged and
// their details kept from the client; one that comes while the store does
// not answer is that, not a fault of the server: 503 unavailable. Every 503
// says when to come back (Retry-After), unless the handler already said.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *siaga.Error
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client left; nobody reads the answer.
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if !errors.As(err, &e) {
		if s.storeDown(r.Context()) != nil {
			s.Logger.Warn("request failed while the store does not answer", "method", r.Method, "path", r.URL.Path, "err", err)
			e = errNotReady()
		} else {
			s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			e = siaga.Errorf(siaga.EInternal, "", "Terjadi kesalahan di server; coba lagi", "internal server error; try again")
		}
	}
	if e.Code == siaga.EUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
	}
	ui.SetRetryAfter(w, e.RetryAfter)
	writeJSON(w, siaga.HTTPStatus(e.Code), errorBody{Error: errorJSON{Code: e.Code, Message: e.Message, MessageEN: e.MessageEN, Field: e.Field}})
}

// writeJSONCompressed is writeJSON gzipped for a client that accepts it:
// for the answers of tens of kilobytes a phone or the desk's 2G link waits
// for (a ballot, a kecamatan's readiness map), not for the small ones.
func writeJSONCompressed(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Add("Vary", "Accept-Encoding")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		writeJSON(w, status, v)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	_ = zw.Close()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
