package http

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestExportSlots: no more than maxExports downloads are built at once;
// the next waits, then gets 503 with Retry-After, and goes through once a
// slot is free.
func TestExportSlots(t *testing.T) {
	s := &Server{exports: make(chan struct{}, maxExports), exportWait: 20 * time.Millisecond}
	tbl := table{Name: "t", Columns: []column{{Name: "a"}}, Rows: func(row func([]string) error) error { return row([]string{"x"}) }}
	for range maxExports {
		s.exports <- struct{}{} // downloads under way
	}
	rec := httptest.NewRecorder()
	s.writeTable(rec, httptest.NewRequest("GET", "/t.csv", nil), tbl, formatCSV)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("with every slot taken: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	<-s.exports
	rec = httptest.NewRecorder()
	s.writeTable(rec, httptest.NewRequest("GET", "/t.csv", nil), tbl, formatCSV)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "x") {
		t.Errorf("with a slot free: %d %q", rec.Code, rec.Body.String())
	}
	if len(s.exports) != maxExports-1 {
		t.Errorf("%d slots held after the download, want %d: the slot was not given back", len(s.exports), maxExports-1)
	}
}
