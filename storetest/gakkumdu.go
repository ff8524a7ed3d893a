package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// testGakkumduCases: a case is stored with its first stage, advanced only
// from the version it was read at, listed by scope, stage and deadline
// with a count that ignores the page; its documents come back byte for
// byte; an overdue alert is stored once per (case, stage).
func testGakkumduCases(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	day := 24 * time.Hour
	newCase := func(incident int64, region string, known time.Time) *siaga.Case {
		due := known.Add(7 * day)
		return &siaga.Case{Incident: incident, Region: region, Origin: siaga.OriginReport, Title: "Bagi-bagi uang di masa tenang",
			Suspect: "Tim sukses X", Article: "Pasal 523 ayat (2)", KnownAt: known, Stage: siaga.StageReview, StageAt: known, Due: due,
			By: "user:bawaslu.pandeglang", Created: known.Add(time.Hour),
			Stages: []siaga.CaseStep{{Stage: siaga.StageReview, At: known, Due: due, By: "user:bawaslu.pandeglang",
				Agency: siaga.AgencyBawaslu, RecordedAt: known.Add(time.Hour)}}}
	}
	a := newCase(11, "3601012001", t0)
	must(t, s.CreateCase(ctx, a, siaga.AuditEvent{At: t0, Actor: "user:bawaslu.pandeglang", Action: siaga.AuditCaseOpen,
		Subject: "gakkumdu:", Scope: a.Region}))
	b := newCase(12, "3601012002", t0.Add(day))
	must(t, s.CreateCase(ctx, b))
	c := newCase(13, "3604052001", t0.Add(2*day))
	must(t, s.CreateCase(ctx, c))
	if a.ID == 0 || b.ID <= a.ID || a.Version != 1 {
		t.Fatalf("ids %d %d version %d: want increasing ids, version 1", a.ID, b.ID, a.Version)
	}
	got, err := s.CaseByID(ctx, a.ID)
	must(t, err)
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("CaseByID (-want +got):\n%s", diff)
	}
	_, err = s.CaseByID(ctx, 9999)
	wantCode(t, err, siaga.ENotFound)

	// Advance a to penyidikan; a second writer still at version 1 conflicts.
	stale := *got
	adv := *got
	step := siaga.CaseStep{Stage: siaga.StageInvestigation, At: t0.Add(3 * day), Due: t0.Add(17 * day), Note: "diteruskan ke Polres",
		By: "user:bawaslu.pandeglang", Agency: siaga.AgencyBawaslu, RecordedAt: t0.Add(3 * day)}
	adv.Stage, adv.StageAt, adv.Due, adv.Version = step.Stage, step.At, step.Due, 2
	must(t, s.UpdateCase(ctx, &adv, step))
	stale.Version, stale.Stage = 2, siaga.StageStopped
	wantCode(t, s.UpdateCase(ctx, &stale, siaga.CaseStep{Stage: siaga.StageStopped, At: t0}), siaga.EConflict)
	got, err = s.CaseByID(ctx, a.ID)
	must(t, err)
	adv.Stages = append(adv.Stages, step)
	if diff := cmp.Diff(&adv, got); diff != "" {
		t.Errorf("advanced case (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name string
		f    siaga.CaseFilter
		want []int64
	}{
		{"all", siaga.CaseFilter{}, []int64{c.ID, b.ID, a.ID}},
		{"scope", siaga.CaseFilter{Scope: "3601"}, []int64{b.ID, a.ID}},
		{"other scope", siaga.CaseFilter{Scope: "3604"}, []int64{c.ID}},
		{"stage", siaga.CaseFilter{Stage: siaga.StageReview}, []int64{c.ID, b.ID}},
		{"incident", siaga.CaseFilter{Incident: 11}, []int64{a.ID}},
		// b's review ends t0+8d, c's t0+9d, a's investigation t0+17d.
		{"overdue", siaga.CaseFilter{OverdueAt: t0.Add(8 * day)}, []int64{b.ID}},
		{"not yet overdue", siaga.CaseFilter{OverdueAt: t0.Add(8*day - time.Nanosecond)}, nil},
		{"page", siaga.CaseFilter{Limit: 2}, []int64{c.ID, b.ID}},
		{"next page", siaga.CaseFilter{Before: b.ID, Limit: 2}, []int64{a.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cases, err := s.Cases(ctx, tc.f)
			must(t, err)
			var ids []int64
			for _, k := range cases {
				ids = append(ids, k.ID)
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Errorf("Cases (-want +got):\n%s", diff)
			}
			n, err := s.CountCases(ctx, tc.f)
			must(t, err)
			if tc.f.Limit == 0 && tc.f.Before == 0 && n != len(tc.want) {
				t.Errorf("CountCases = %d, want %d", n, len(tc.want))
			}
			if tc.f.Limit != 0 && n != 3 {
				t.Errorf("CountCases of a page = %d, want 3 (the page ignored)", n)
			}
		})
	}

	doc := &siaga.CaseDocument{Case: a.ID, Stage: siaga.StageInvestigation, Name: "surat-penerusan.pdf", Type: "application/pdf",
		SHA256: "ab12", Data: []byte("%PDF-1.4 ..."), By: "user:bawaslu.pandeglang", At: t0.Add(3 * day)}
	must(t, s.AddCaseDocument(ctx, doc))
	docs, err := s.CaseDocuments(ctx, a.ID)
	must(t, err)
	if len(docs) != 1 || docs[0].ID != doc.ID || docs[0].Size != len(doc.Data) || docs[0].Data != nil {
		t.Errorf("CaseDocuments = %+v, want the one without its bytes", docs)
	}
	one, err := s.CaseDocument(ctx, a.ID, doc.ID)
	must(t, err)
	if diff := cmp.Diff(doc, one); diff != "" {
		t.Errorf("CaseDocument (-want +got):\n%s", diff)
	}
	_, err = s.CaseDocument(ctx, b.ID, doc.ID)
	wantCode(t, err, siaga.ENotFound)

	alert := siaga.CaseAlert{Case: b.ID, Stage: siaga.StageReview, Region: b.Region, Title: b.Title, Due: b.Due, At: b.Due.Add(time.Minute)}
	for i, want := range []bool{true, false} {
		added, err := s.AddCaseAlert(ctx, alert)
		must(t, err)
		if added != want {
			t.Errorf("AddCaseAlert #%d = %v, want %v", i+1, added, want)
		}
	}
	alerts, err := s.CaseAlerts(ctx, "3601", 10)
	must(t, err)
	if diff := cmp.Diff([]siaga.CaseAlert{alert}, alerts); diff != "" {
		t.Errorf("CaseAlerts (-want +got):\n%s", diff)
	}
	alerts, err = s.CaseAlerts(ctx, "3604", 10)
	must(t, err)
	if len(alerts) != 0 {
		t.Errorf("CaseAlerts(3604) = %v, want none", alerts)
	}
}
