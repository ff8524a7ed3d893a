package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/deskpemilu/siaga"
)

// TestAuditAccess: the audit log is Bawaslu's and admin's; a KPU operator
// gets 403, Bawaslu its own region only, and the public nothing.
func TestAuditAccess(t *testing.T) {
	w := newStaffNight(t)
	ctx := context.Background()
	// An entry outside Bawaslu Pandeglang's region, and one with a
	// formula for a spreadsheet to run.
	must(t, w.n.Store.AppendAudit(ctx,
		siaga.AuditEvent{At: time.Now(), Actor: "user:ppk.lebak", Action: siaga.AuditDeviceRevoke, Subject: "dev-lebak", Scope: "3602012001001"},
		siaga.AuditEvent{At: time.Now(), Actor: "=HYPERLINK(\"http://x\")", Action: siaga.AuditEnrolIssue, Subject: "+1", Scope: "3601012001002"}))
	kpu := w.kpu.Token
	pandeglang := w.token(t, "bawaslu.pandeglang", siaga.RoleBawaslu, "3601")
	admin := w.token(t, "admin", siaga.RoleAdmin, "")

	for _, tt := range []struct {
		name, path, token string
		status            int
	}{
		{"public JSON", "/api/v1/audit", "", http.StatusUnauthorized},
		{"public CSV", "/audit.csv", "", http.StatusUnauthorized},
		{"public page", "/audit", "", http.StatusSeeOther},
		{"kpu_prov JSON", "/api/v1/audit", kpu, http.StatusForbidden},
		{"kpu_prov CSV", "/audit.csv", kpu, http.StatusForbidden},
		{"kpu_prov XLSX", "/audit.xlsx", kpu, http.StatusForbidden},
		{"bawaslu other region", "/api/v1/audit?region=3602", pandeglang, http.StatusForbidden},
		{"bawaslu whole province", "/api/v1/audit?region=36", pandeglang, http.StatusForbidden},
		{"bawaslu bad date", "/api/v1/audit?from=14-02-2024", pandeglang, http.StatusBadRequest},
		{"bawaslu own region", "/api/v1/audit", pandeglang, http.StatusOK},
		{"admin", "/api/v1/audit", admin, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := fetch(t, nil, w.url, tt.path, tt.token); status != tt.status {
				t.Errorf("GET %s: %d, want %d\n%s", tt.path, status, tt.status, body)
			}
		})
	}
	if status, _ := fetch(t, w.login(t, "kpu.operator"), w.url, "/audit", ""); status != http.StatusForbidden {
		t.Errorf("GET /audit as kpu_prov: %d, want 403", status)
	}

	all := auditJSON(t, w, "/api/v1/audit", admin)
	own := auditJSON(t, w, "/api/v1/audit", pandeglang)
	if own.Total == 0 || own.Total >= all.Total {
		t.Fatalf("bawaslu sees %d of %d entries, want some but not all", own.Total, all.Total)
	}
	for _, e := range own.Items {
		if !strings.HasPrefix(e.Scope, "3601") {
			t.Errorf("bawaslu 3601 sees entry %d of %q", e.Seq, e.Scope)
		}
	}
	for _, e := range all.Items {
		if e.Subject == "dev-lebak" {
			break
		}
		if e.Seq == all.Items[len(all.Items)-1].Seq {
			t.Error("admin does not see the Lebak entry")
		}
	}
	corrections := auditJSON(t, w, "/api/v1/audit?action=correction", pandeglang)
	if corrections.Total != 1 || corrections.Items[0].Actor != "user:kpu.operator" {
		t.Errorf("corrections = %+v, want the operator's one", corrections.Items)
	}
	paged := auditJSON(t, w, "/api/v1/audit?limit=2", pandeglang)
	if len(paged.Items) != 2 || paged.Next == "" || paged.Total != own.Total {
		t.Errorf("first page of 2: %d items, next %q, total %d", len(paged.Items), paged.Next, paged.Total)
	}
	rest := auditJSON(t, w, "/api/v1/audit?limit=1000&before="+paged.Next, pandeglang)
	if len(rest.Items) != own.Total-2 {
		t.Errorf("second page has %d items, want %d", len(rest.Items), own.Total-2)
	}

	t.Run("CSV", func(t *testing.T) {
		status, body := fetch(t, nil, w.url, "/audit.csv", pandeglang)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if status != http.StatusOK || err != nil {
			t.Fatalf("%d %v\n%s", status, err, body)
		}
		if len(rows) != own.Total+1 || rows[0][0] != "seq" {
			t.Errorf("%d rows, want a header and %d", len(rows), own.Total)
		}
		formulas := 0
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					formulas++
				}
			}
		}
		if formulas != 0 || !strings.Contains(body, "'=HYPERLINK") {
			t.Errorf("%d cells start like a formula:\n%s", formulas, body)
		}
	})
	t.Run("XLSX", func(t *testing.T) {
		status, body := fetch(t, nil, w.url, "/audit.xlsx", pandeglang)
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != own.Total+1 || rows[0][2] != "actor" {
			t.Errorf("%d rows, want a header and %d", len(rows), own.Total)
		}
		formulas := 0
		for i := range rows {
			cell, _ := excelize.CoordinatesToCellName(3, i+1)
			if fm, _ := f.GetCellFormula(f.GetSheetName(0), cell); fm != "" {
				formulas++
			}
		}
		if formulas != 0 {
			t.Errorf("%d actor cells are formulas", formulas)
		}
	})
	t.Run("page", func(t *testing.T) {
		if _, err := w.n.Auth.CreateUser(ctx, "bawaslu.web", "Bawaslu", w.password, siaga.RoleBawaslu, "3601"); err != nil {
			t.Fatal(err)
		}
		status, body := fetch(t, w.login(t, "bawaslu.web"), w.url, "/audit?action=correction", "")
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		mustContain(t, "audit page", body, "Menampilkan 1 dari 1 entri", "user:kpu.operator", "salah baca", "/audit.csv?")
		if strings.Contains(body, "dev-lebak") {
			t.Error("the page shows another region's entry")
		}
	})
}

type auditAnswer struct {
	Items []siaga.AuditEvent `json:"items"`
	Total int                `json:"total"`
	Next  string             `json:"next"`
}

func auditJSON(t *testing.T, w *staffNight, path, token string) auditAnswer {
	t.Helper()
	status, body := fetch(t, nil, w.url, path, token)
	var a auditAnswer
	if err := json.Unmarshal([]byte(body), &a); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s: %d %v\n%s", path, status, err, body)
	}
	return a
}
