package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

// TestExportSlots: no more than maxExports downloads are built at once;
// the next waits, then gets 503 with Retry-After, and goes through once a
// slot is free.
func TestExportSlots(t *testing.T) {
	// writeError answers as package http's does, as far as this test looks:
	// the status and Retry-After.
	writeError := func(w http.ResponseWriter, _ *http.Request, err error) {
		var e *siaga.Error
		if errors.As(err, &e) {
			SetRetryAfter(w, e.RetryAfter)
		}
		w.WriteHeader(siaga.HTTPStatus(siaga.ErrorCode(err)))
	}
	h := &Pages{Config: Config{WriteError: writeError}, exports: make(chan struct{}, maxExports), exportWait: 20 * time.Millisecond}
	tbl := table{Name: "t", Columns: []column{{Name: "a"}}, Rows: func(row func([]string) error) error { return row([]string{"x"}) }}
	for range maxExports {
		h.exports <- struct{}{} // downloads under way
	}
	rec := httptest.NewRecorder()
	h.writeTable(rec, httptest.NewRequest("GET", "/t.csv", nil), tbl, FormatCSV)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("with every slot taken: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	<-h.exports
	rec = httptest.NewRecorder()
	h.writeTable(rec, httptest.NewRequest("GET", "/t.csv", nil), tbl, FormatCSV)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "x") {
		t.Errorf("with a slot free: %d %q", rec.Code, rec.Body.String())
	}
	if len(h.exports) != maxExports-1 {
		t.Errorf("%d slots held after the download, want %d: the slot was not given back", len(h.exports), maxExports-1)
	}
}
