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
)

// The audit log is Bawaslu's and admin's to read and export, each in its
// scope (auth.CanReadAudit): as a page, as paged JSON, and as CSV or XLSX
// for the spreadsheets oversight works in.

const (
	auditPageSize = 100
	maxAuditPage  = 1000
	// maxAuditExport bounds one export; a narrower filter gets the rest.
	maxAuditExport = 100000
)

// auditQuery is a request's filter of the log, with the region it asks
// about.
type auditQuery struct {
	Region, Action, Actor, From, To string
	filter                          siaga.AuditFilter
}

// parseAuditQuery reads the filter from the query string: region, action,
// actor, from and to (YYYY-MM-DD, WIB, to inclusive), before, limit. The
// region defaults to u's scope and must lie within it.
func parseAuditQuery(u *siaga.User, q url.Values) (auditQuery, error) {
	a := auditQuery{Region: q.Get("region"), Action: q.Get("action"), Actor: strings.TrimSpace(q.Get("actor")),
		From: q.Get("from"), To: q.Get("to")}
	if a.Region == "" {
		a.Region = u.Scope
	}
	if !auth.CanReadAudit(u, a.Region) {
		return a, siaga.Errorf(siaga.EForbidden, "region", "Log audit hanya untuk Bawaslu dan admin, dalam wilayahnya",
			"the audit log is for Bawaslu and admin, within their region")
	}
	f := siaga.AuditFilter{Scope: a.Region, Action: a.Action, Actor: a.Actor, Limit: auditPageSize}
	var err error
	if f.From, err = auditDate(q.Get("from"), "from"); err != nil {
		return a, err
	}
	if f.To, err = auditDate(q.Get("to"), "to"); err != nil {
		return a, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the whole last day
	}
	if v := q.Get("before"); v != "" {
		if f.Before, err = strconv.ParseInt(v, 10, 64); err != nil || f.Before < 1 {
			return a, siaga.Errorf(siaga.EInvalid, "before", "before harus bilangan bulat positif", "before must be a positive integer")
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > maxAuditPage {
			return a, siaga.Errorf(siaga.EInvalid, "limit", "limit harus antara 1 dan %d", "limit must be between 1 and %d", maxAuditPage)
		}
	}
	a.filter = f
	return a, nil
}

func auditDate(v, field string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, siaga.WIB)
	if err != nil {
		return t, siaga.Errorf(siaga.EInvalid, field, "Tanggal harus berbentuk YYYY-MM-DD", "dates must be YYYY-MM-DD")
	}
	return t, nil
}

// AuditFilter is the store's filter that the query q asks of u, read
// as the page reads it, for the JSON API (GET /api/v1/audit).
func AuditFilter(u *siaga.User, q url.Values) (siaga.AuditFilter, error) {
	a, err := parseAuditQuery(u, q)
	return a.filter, err
}

// values is the query string of a, for links to other pages and exports.
func (a auditQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"region": a.Region, "action": a.Action, "actor": a.Actor, "from": a.From, "to": a.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// auditReader is the account reading the log, by token or session.
func (h *Pages) auditReader(w http.ResponseWriter, r *http.Request) (auditQuery, bool) {
	if h.Audit == nil {
		h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Log audit tidak tersedia", "the audit log is not available"))
		return auditQuery{}, false
	}
	u := h.account(r)
	a, err := parseAuditQuery(u, r.URL.Query())
	if err != nil {
		h.writeError(w, r, err)
		return a, false
	}
	return a, true
}

// eachAuditEntry calls fn for every entry a selects, newest first, page
// by page, up to maxAuditExport.
func (h *Pages) eachAuditEntry(r *http.Request, a auditQuery, fn func(e *siaga.AuditEvent) error) error {
	fetch := func(before int64, size int) ([]siaga.AuditEvent, error) {
		f := a.filter
		f.Before, f.Limit = before, size
		page, err := h.Audit.Audit(r.Context(), f)
		return page.Items, err
	}
	return eachNewestFirst(a.filter.Before, maxAuditPage, maxAuditExport, fetch, func(e *siaga.AuditEvent) int64 { return e.Seq }, fn)
}

var auditColumns = []column{{Name: "seq", Number: true}, {Name: "at"}, {Name: "actor"}, {Name: "action"},
	{Name: "subject"}, {Name: "scope"}, {Name: "detail"}, {Name: "prev_hash"}, {Name: "hash"}}

func auditRow(e *siaga.AuditEvent) []string {
	return []string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Subject,
		e.Scope, string(e.Detail), e.PrevHash, e.Hash}
}

// auditTable is the log a selects, as an exported table.
func (h *Pages) auditTable(r *http.Request, a auditQuery) table {
	return table{Name: "siaga-audit", Columns: auditColumns, Rows: func(row func([]string) error) error {
		return h.eachAuditEntry(r, a, func(e *siaga.AuditEvent) error { return row(auditRow(e)) })
	}}
}

// AuditCSV serves GET /audit.csv.
func (h *Pages) AuditCSV(w http.ResponseWriter, r *http.Request) {
	if a, ok := h.auditReader(w, r); ok {
		h.writeTable(w, r, h.auditTable(r, a), FormatCSV)
	}
}

// AuditXLSX serves GET /audit.xlsx.
func (h *Pages) AuditXLSX(w http.ResponseWriter, r *http.Request) {
	if a, ok := h.auditReader(w, r); ok {
		h.writeTable(w, r, h.auditTable(r, a), FormatXLSX)
	}
}

type auditPageData struct {
	basePage
	Query    auditQuery
	Actions  []string
	Rows     []siaga.AuditEvent
	Total    int
	Next     string
	CSV      string
	XLSX     string
	FirstRow bool // this is the newest page
}

// AuditPage serves GET /audit: the log for Bawaslu and admin, filtered by
// action, actor and dates, newest first, "N of M" entries.
func (h *Pages) AuditPage(w http.ResponseWriter, r *http.Request) {
	u := h.account(r)
	if h.Audit == nil {
		h.pageNotFound(w, r)
		return
	}
	a, err := parseAuditQuery(u, r.URL.Query())
	if siaga.ErrorCode(err) == siaga.EForbidden {
		h.Error(w, r, http.StatusForbidden, "Log audit hanya untuk Bawaslu dan admin, dalam wilayahnya.",
			"The audit log is for Bawaslu and admin, within their region.")
		return
	}
	if err != nil {
		var e *siaga.Error
		errors.As(err, &e)
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+e.Message, "Invalid filter: "+e.MessageEN)
		return
	}
	page, err := h.Audit.Audit(r.Context(), a.filter)
	if err != nil {
		h.dashLog().Error("audit log", "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Log audit tidak dapat dibaca.", "The audit log could not be read.")
		return
	}
	p := auditPageData{basePage: h.base(r, "Log audit"), Query: a, Actions: siaga.AuditActions, Rows: page.Items,
		Total: page.Total, FirstRow: a.filter.Before == 0}
	p.Nav = "audit"
	v := a.values()
	p.CSV, p.XLSX = "/audit.csv?"+v.Encode(), "/audit.xlsx?"+v.Encode()
	if n := len(page.Items); n == a.filter.Limit {
		v.Set("before", strconv.FormatInt(page.Items[n-1].Seq, 10))
		p.Next = "/audit?" + v.Encode()
	}
	h.render(w, r, "audit", p)
}
