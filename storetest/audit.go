package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func auditEntry(i int, action, scope string) siaga.AuditEvent {
	return siaga.AuditEvent{
		At: t0.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("user:op%d", i%2), Action: action,
		Subject: fmt.Sprintf("subject-%d", i), Scope: scope, Detail: siaga.AuditDetail(map[string]int{"i": i}),
	}
}

func testAudit(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	var want []siaga.AuditEvent
	scopes := []string{"3601012001001", "3602", "", "36", "3601"}
	for i := range 10 {
		action := siaga.AuditEnrolIssue
		if i%3 == 0 {
			action = siaga.AuditDeviceRevoke
		}
		e := auditEntry(i, action, scopes[i%len(scopes)])
		must(t, s.AppendAudit(ctx, e))
		want = append(want, e)
	}
	// Several at once, in order.
	batch := []siaga.AuditEvent{auditEntry(10, siaga.AuditUserCreate, "3601"), auditEntry(11, siaga.AuditUserRole, "3601")}
	must(t, s.AppendAudit(ctx, batch...))
	want = append(want, batch...)

	var all []siaga.AuditEvent
	must(t, s.EachAudit(ctx, func(e *siaga.AuditEvent) error { all = append(all, *e); return nil }))
	if len(all) != len(want) {
		t.Fatalf("%d entries stored, want %d", len(all), len(want))
	}
	for i := range all {
		w := want[i]
		w.Seq, w.PrevHash, w.Hash = all[i].Seq, all[i].PrevHash, all[i].Hash
		if diff := cmp.Diff(w, all[i]); diff != "" {
			t.Errorf("entry %d (-appended +stored):\n%s", i, diff)
		}
		if i > 0 && all[i].Seq <= all[i-1].Seq {
			t.Errorf("seq %d after %d", all[i].Seq, all[i-1].Seq)
		}
	}
	if _, bad := siaga.VerifyAuditChain("", all); bad != 0 {
		t.Errorf("chain broken at seq %d", bad)
	}
	tampered := append([]siaga.AuditEvent(nil), all...)
	tampered[4].Actor = "user:someone-else"
	if _, bad := siaga.VerifyAuditChain("", tampered); bad != tampered[4].Seq {
		t.Errorf("a changed actor was not caught: bad = %d, want %d", bad, tampered[4].Seq)
	}
	dropped := append(append([]siaga.AuditEvent(nil), all[:3]...), all[4:]...)
	if _, bad := siaga.VerifyAuditChain("", dropped); bad != all[4].Seq {
		t.Errorf("a dropped entry was not caught: bad = %d, want %d", bad, all[4].Seq)
	}

	t.Run("Filter", func(t *testing.T) { testAuditFilter(t, s, all) })
	t.Run("AppendOnly", func(t *testing.T) { testAuditAppendOnly(t, s) })
}

func testAuditFilter(t *testing.T, s siaga.Store, all []siaga.AuditEvent) {
	ctx := context.Background()
	seqs := func(es []siaga.AuditEvent) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	// want selects from all, newest first.
	want := func(keep func(e siaga.AuditEvent) bool) []int64 {
		var out []int64
		for i := len(all) - 1; i >= 0; i-- {
			if keep(all[i]) {
				out = append(out, all[i].Seq)
			}
		}
		return out
	}
	tests := []struct {
		name string
		f    siaga.AuditFilter
		keep func(e siaga.AuditEvent) bool
	}{
		{"all", siaga.AuditFilter{}, func(siaga.AuditEvent) bool { return true }},
		{"scope 3601", siaga.AuditFilter{Scope: "3601"}, func(e siaga.AuditEvent) bool { return siaga.InScope("3601", e.Scope) }},
		{"scope 36", siaga.AuditFilter{Scope: "36"}, func(e siaga.AuditEvent) bool { return e.Scope != "" }},
		{"scope 360", siaga.AuditFilter{Scope: "360"}, func(e siaga.AuditEvent) bool { return siaga.InScope("360", e.Scope) }},
		{"action", siaga.AuditFilter{Action: siaga.AuditDeviceRevoke}, func(e siaga.AuditEvent) bool { return e.Action == siaga.AuditDeviceRevoke }},
		{"actor", siaga.AuditFilter{Actor: "user:op1"}, func(e siaga.AuditEvent) bool { return e.Actor == "user:op1" }},
		{"dates", siaga.AuditFilter{From: t0.Add(2 * time.Minute), To: t0.Add(5 * time.Minute)}, func(e siaga.AuditEvent) bool {
			return !e.At.Before(t0.Add(2*time.Minute)) && e.At.Before(t0.Add(5*time.Minute))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.Audit(ctx, tt.f)
			must(t, err)
			w := want(tt.keep)
			if diff := cmp.Diff(w, seqs(page.Items)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if page.Total != len(w) {
				t.Errorf("total %d, want %d", page.Total, len(w))
			}
		})
	}
	t.Run("Pages", func(t *testing.T) {
		var got []int64
		f := siaga.AuditFilter{Limit: 5}
		for range 10 {
			page, err := s.Audit(ctx, f)
			must(t, err)
			if page.Total != len(all) {
				t.Fatalf("total %d on a later page, want %d", page.Total, len(all))
			}
			got = append(got, seqs(page.Items)...)
			if len(page.Items) < f.Limit {
				break
			}
			f.Before = page.Items[len(page.Items)-1].Seq
		}
		if diff := cmp.Diff(want(func(siaga.AuditEvent) bool { return true }), got); diff != "" {
			t.Errorf("paged (-want +got):\n%s", diff)
		}
	})
}

// testAuditAppendOnly: the database itself refuses changes to the log,
// whoever sends them.
func testAuditAppendOnly(t *testing.T, s siaga.Store) {
	raw, ok := s.(interface{ WriteDB() *sql.DB })
	if !ok {
		t.Skip("store offers no raw access")
	}
	ctx := context.Background()
	for _, stmt := range []string{
		"UPDATE audit SET actor = 'user:x'",
		"DELETE FROM audit",
	} {
		if _, err := raw.WriteDB().ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: the database allowed it", stmt)
		}
	}
	page, err := s.Audit(ctx, siaga.AuditFilter{Actor: "user:x"})
	must(t, err)
	if page.Total != 0 {
		t.Errorf("%d entries changed", page.Total)
	}
}
