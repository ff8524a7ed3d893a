package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func ptr[T any](v T) *T { return &v }

func testSurveys(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	ss := []siaga.Survey{
		// Every optional field set, and every one absent: absent stays
		// nil (no RSRP is not an RSRP of 0 dBm).
		{TPS: "3602012003014", Operator: "telkomsel", Tech: "4g", RSRP: ptr(-112.5), DataOK: ptr(true), DownKbps: ptr(850.0),
			UpKbps: ptr(300.0), RTTms: ptr(420.0), Link: "3g/0.7/300", Lat: -6.61, Lon: 106.2, Surveyor: "Asep",
			Source: siaga.SurveyImport, At: t0, By: "cli"},
		{TPS: "3602012003014", Operator: "xl", Tech: "none", Surveyor: "Asep", Source: siaga.SurveyImport, At: t0, By: "cli"},
		{TPS: "3601012001001", Operator: "indosat", Tech: "2g", RSSI: ptr(-101.0), DataOK: ptr(false), Surveyor: "Dedi",
			Source: siaga.SurveyField, At: t0.Add(time.Hour), By: "device:ab12", Intervention: 7},
	}
	must(t, s.AddSurveys(ctx, ss))
	for i, sv := range ss {
		if sv.ID == 0 {
			t.Fatalf("survey %d has no ID after AddSurveys", i)
		}
	}
	more := []siaga.Survey{{TPS: "3602012003015", Operator: "telkomsel", Tech: "4g", RSRP: ptr(-95.0), Source: siaga.SurveyWeb, At: t0, By: "user:desk"}}
	must(t, s.AddSurveys(ctx, more))
	all := append(append([]siaga.Survey{}, ss...), more...)

	// The same recorder, TPS, operator and instant is the same survey
	// sent again (a retry that reached another node, a file imported
	// twice): refused as a conflict, and the new one beside it is not
	// stored either.
	again := []siaga.Survey{{TPS: "3601012001002", Operator: "xl", Tech: "4g", RSRP: ptr(-90.0), Source: siaga.SurveyWeb, At: t0, By: "user:desk"},
		{TPS: "3602012003015", Operator: "telkomsel", Tech: "4g", RSRP: ptr(-99.0), Source: siaga.SurveyWeb, At: t0, By: "user:desk"}}
	wantCode(t, s.AddSurveys(ctx, again), siaga.EConflict)

	for _, tc := range []struct {
		name string
		f    siaga.SurveyFilter
		want []siaga.Survey
		tot  int
	}{
		{"all", siaga.SurveyFilter{}, all, 4},
		{"kab/kota", siaga.SurveyFilter{Region: "3602"}, []siaga.Survey{all[0], all[1], all[3]}, 3},
		{"source", siaga.SurveyFilter{Source: siaga.SurveyImport}, all[:2], 2},
		{"first page", siaga.SurveyFilter{Region: "3602", Limit: 2}, all[:2], 3},
		{"next page", siaga.SurveyFilter{Region: "3602", After: all[1].ID, Limit: 2}, all[3:], 3},
		{"none", siaga.SurveyFilter{Region: "3603"}, []siaga.Survey{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Surveys(ctx, tc.f)
			must(t, err)
			if diff := cmp.Diff(siaga.SurveyPage{Items: tc.want, Total: tc.tot}, page); diff != "" {
				t.Errorf("Surveys(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}
}

func testInterventions(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	booster := siaga.Intervention{Kind: siaga.InterventionBooster, Region: "3604012005", Lat: -5.95, Lon: 106.05, RadiusM: 500,
		Cost: 15_000_000, Owner: "Diskominfosatik Kab. Serang", Status: siaga.InterventionPlanned,
		Due: time.Date(2024, 2, 12, 0, 0, 0, 0, time.UTC), UpdatedAt: t0, By: "user:desk"}
	vsat := siaga.Intervention{Kind: siaga.InterventionVSAT, TPS: "3602012003014", Site: "S-17", Region: "3602012003",
		Lat: -6.61, Lon: 106.2, Owner: "BAKTI", Status: siaga.InterventionPlanned, UpdatedAt: t0, By: "user:desk"}
	audit := func(iv siaga.Intervention, action string) siaga.AuditEvent {
		return siaga.AuditEvent{At: iv.UpdatedAt, Actor: iv.By, Action: action, Subject: "intervensi", Scope: iv.Region,
			Detail: siaga.AuditDetail(iv)}
	}
	must(t, s.SaveIntervention(ctx, &booster, audit(booster, siaga.AuditInterventionCreate)))
	must(t, s.SaveIntervention(ctx, &vsat, audit(vsat, siaga.AuditInterventionCreate)))
	if booster.ID == 0 || vsat.ID == 0 || booster.ID == vsat.ID {
		t.Fatalf("IDs after SaveIntervention: %d, %d", booster.ID, vsat.ID)
	}
	booster.Status, booster.Note, booster.UpdatedAt = siaga.InterventionInstalled, "terpasang di menara masjid", t0.Add(time.Hour)
	booster.InstalledAt = t0.Add(time.Hour)
	must(t, s.SaveIntervention(ctx, &booster, audit(booster, siaga.AuditInterventionStatus)))

	for _, tc := range []struct {
		region string
		want   []siaga.Intervention
	}{
		{"", []siaga.Intervention{booster, vsat}},
		{"3604", []siaga.Intervention{booster}},
		{"3602012003", []siaga.Intervention{vsat}},
		{"3603", nil},
	} {
		got, err := s.Interventions(ctx, tc.region)
		must(t, err)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Interventions(%q) (-want +got):\n%s", tc.region, diff)
		}
	}

	unknown := siaga.Intervention{ID: 999, Kind: siaga.InterventionCOW, Region: "36", Status: siaga.InterventionPlanned}
	wantCode(t, s.SaveIntervention(ctx, &unknown, audit(unknown, siaga.AuditInterventionStatus)), siaga.ENotFound)

	page, err := s.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditInterventionStatus, Limit: 10})
	must(t, err)
	if page.Total != 1 {
		t.Errorf("%d status entries in the audit log, want 1 (the failed update must append none)", page.Total)
	}
	page, err = s.Audit(ctx, siaga.AuditFilter{Scope: "3604", Limit: 10})
	must(t, err)
	if page.Total != 2 {
		t.Errorf("%d audit entries in 3604, want 2", page.Total)
	}

	// A plan recorded in one step: every intervention or none.
	planned := []*siaga.Intervention{
		{Kind: siaga.InterventionCOW, Site: "C-1", Region: "3603", Lat: -6.2, Lon: 106.5, RadiusM: 3000, Owner: "BAKTI",
			Status: siaga.InterventionPlanned, UpdatedAt: t0, By: "user:desk"},
		{ID: 777, Kind: siaga.InterventionCOW, Site: "C-2", Region: "3603", Lat: -6.3, Lon: 106.5, RadiusM: 3000, Owner: "BAKTI",
			Status: siaga.InterventionPlanned, UpdatedAt: t0, By: "user:desk"},
	}
	wantCode(t, s.AddInterventions(ctx, planned, audit(*planned[0], siaga.AuditInterventionCreate)), siaga.EInvalid)
	got, err := s.Interventions(ctx, "3603")
	must(t, err)
	if len(got) != 0 {
		t.Errorf("a refused plan stored %d interventions", len(got))
	}
	planned[0].ID, planned[1].ID = 0, 0
	must(t, s.AddInterventions(ctx, planned, audit(*planned[0], siaga.AuditInterventionCreate), audit(*planned[1], siaga.AuditInterventionCreate)))
	if planned[0].ID == 0 || planned[1].ID <= planned[0].ID {
		t.Errorf("IDs after AddInterventions: %d, %d", planned[0].ID, planned[1].ID)
	}
	got, err = s.Interventions(ctx, "3603")
	must(t, err)
	if diff := cmp.Diff([]siaga.Intervention{*planned[0], *planned[1]}, got); diff != "" {
		t.Errorf("Interventions after the plan (-want +got):\n%s", diff)
	}
}
