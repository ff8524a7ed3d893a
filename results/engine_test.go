package results_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/results"
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func submit(t testing.TB, e *results.Engine, sub siaga.Submission) (siaga.Receipt, bool, error) {
	t.Helper()
	return submitAs(context.Background(), e, &sub, "test")
}

func mustSubmit(t testing.TB, e *results.Engine, sub siaga.Submission) siaga.Receipt {
	t.Helper()
	r, _, err := submit(t, e, sub)
	if err != nil {
		t.Fatalf("submit %s %s %s: %v", sub.TPS, sub.Contest, sub.Source, err)
	}
	return r
}

func TestEngine(t *testing.T) {
	for _, sk := range stores() {
		t.Run(sk.name, func(t *testing.T) {
			t.Run("receipts, replays and conflicts", func(t *testing.T) { testReceipts(t, sk) })
			t.Run("corrections", func(t *testing.T) { testCorrections(t, sk) })
			t.Run("incomplete and disagreeing forms", func(t *testing.T) { testFlags(t, sk) })
			t.Run("votes count without the admin section", func(t *testing.T) { testVotesWithoutAdmin(t, sk) })
			t.Run("random histories rebuild identically", func(t *testing.T) { testRebuild(t, sk) })
			t.Run("progress over time per contest", func(t *testing.T) { testSeriesPerContest(t, sk) })
		})
	}
}

func testReceipts(t *testing.T, sk storeKind) {
	reg, el := world()
	e := startEngine(t, sk.open(t), reg, el, time.Now)
	sub := siaga.Submission{ID: newID(), TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(50, 100, 20)}
	first, replay, err := submit(t, e, sub)
	if err != nil || replay {
		t.Fatalf("first submission: replay=%v err=%v", replay, err)
	}
	if first.Version != 1 || first.Hash == "" || len(first.Rules) != 0 {
		t.Errorf("first receipt = %+v, want version 1 with a hash and no rules", first)
	}
	again, replay, err := submit(t, e, sub)
	if err != nil || !replay {
		t.Fatalf("replay: replay=%v err=%v", replay, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("replay receipt differs (-first +again):\n%s", diff)
	}
	other := sub
	other.Form = ppwpForm(51, 100, 20)
	if _, _, err := submit(t, e, other); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("same id, other content: err = %v, want conflict", err)
	}
	fresh := other
	fresh.ID = newID()
	if _, _, err := submit(t, e, fresh); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("new id without naming the version it replaces: err = %v, want conflict", err)
	}
	tally, ok := e.Tally(siaga.PPWP, "36")
	if !ok {
		t.Fatal("no province tally")
	}
	want := map[string]int64{"01": 50, "02": 100, "03": 20}
	if diff := cmp.Diff(want, tally.Votes); diff != "" || tally.TPSReported != 1 || tally.TPSTotal != 12 || tally.SuaraSah != 170 {
		t.Errorf("tally = %+v; votes diff:\n%s", tally, diff)
	}
}

func testCorrections(t *testing.T, sk storeKind) {
	reg, el := world()
	store := sk.open(t)
	e := startEngine(t, store, reg, el, time.Now)
	base := siaga.Submission{TPS: "3602012001002", Contest: siaga.PPWP, Source: siaga.SourceKPPS}
	v1 := base
	v1.ID, v1.Form = newID(), ppwpForm(11, 20, 5)
	v1.Form.Votes.Options["01"] = 44 // Sirekap's famous misreading: R1 breaks
	r1 := mustSubmit(t, e, v1)
	if diff := cmp.Diff([]string{"R1"}, r1.Rules); diff != "" {
		t.Errorf("rules of the misread form (-want +got):\n%s", diff)
	}
	noReason := base
	noReason.ID, noReason.Form, noReason.Replaces = newID(), ppwpForm(11, 20, 5), 1
	if _, _, err := submit(t, e, noReason); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("correction without a reason: err = %v, want invalid", err)
	}
	blank := noReason
	blank.ID, blank.Reason = newID(), " \t\n "
	if _, _, err := submit(t, e, blank); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("correction whose reason is only white space: err = %v, want invalid", err)
	}
	// 2^32+1 narrowed to 32 bits is 1: it must not pass for version 1.
	wrapped := noReason
	wrapped.ID, wrapped.Reason, wrapped.Replaces = newID(), "angka besar", 1<<32+1
	if _, _, err := submit(t, e, wrapped); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("correction of version 2^32+1: err = %v, want conflict", err)
	}
	v2 := noReason
	v2.Reason = "Salah baca: 44 seharusnya 11"
	r2 := mustSubmit(t, e, v2)
	if r2.Version != 2 {
		t.Errorf("correction is version %d, want 2", r2.Version)
	}
	stale := v2
	stale.ID, stale.Form = newID(), ppwpForm(12, 20, 5)
	if _, _, err := submit(t, e, stale); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("correction of an old version: err = %v, want conflict", err)
	}
	tally, _ := e.Tally(siaga.PPWP, "3602")
	if tally.Votes["01"] != 11 || tally.TPSReported != 1 || tally.Flagged["R1"] != 0 {
		t.Errorf("after the correction the tally is %+v, want 01=11, one TPS, no R1 flag", tally)
	}
	testCorrectionAudit(t, e, store, v2, r2)
	history, err := e.History(context.Background(), base.TPS)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 || history[1].PrevHash != history[0].Hash || history[1].Reason != v2.Reason {
		t.Fatalf("history = %+v, want three chained versions with the reason", history)
	}
	if bad := results.VerifyChain(history); bad != 0 {
		t.Errorf("hash chain broken at version %d", bad)
	}
	history[0].Form.Votes.Options["01"] = 12
	if bad := results.VerifyChain(history); bad != 1 {
		t.Errorf("a tampered version 1 was not detected (VerifyChain = %d)", bad)
	}
}

func testFlags(t *testing.T, sk storeKind) {
	reg, el := world()
	e := startEngine(t, sk.open(t), reg, el, time.Now)
	incomplete := siaga.Submission{ID: newID(), TPS: "3601022001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: siaga.Form{Admin: ppwpForm(1, 2, 3).Admin}}
	if r := mustSubmit(t, e, incomplete); !cmp.Equal(r.Rules, []string{"R12"}) {
		t.Errorf("incomplete form rules = %v, want [R12]", r.Rules)
	}
	kpps := siaga.Submission{ID: newID(), TPS: "3601012002003", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(70, 80, 9)}
	mustSubmit(t, e, kpps)
	saksi := kpps
	saksi.ID, saksi.Source, saksi.Form = newID(), siaga.SourceSaksi, ppwpForm(70, 81, 9)
	if r := mustSubmit(t, e, saksi); !cmp.Equal(r.Rules, []string{"R11"}) {
		t.Errorf("disagreeing witness copy rules = %v, want [R11]", r.Rules)
	}
	tally, _ := e.Tally(siaga.PPWP, "36")
	if tally.TPSReported != 1 || tally.TPSIncomplete != 1 || tally.Flagged["R12"] != 1 || tally.Flagged["R11"] != 1 || tally.Votes["02"] != 80 {
		t.Errorf("tally = %+v, want 1 reported and 1 incomplete (the form without votes adds nothing), R11 and R12 flagged once, kpps numbers", tally)
	}
	fix := saksi
	fix.ID, fix.Replaces, fix.Reason, fix.Form = newID(), 1, "salah tulis", ppwpForm(70, 80, 9)
	mustSubmit(t, e, fix)
	if tally, _ := e.Tally(siaga.PPWP, "36"); tally.Flagged["R11"] != 0 {
		t.Errorf("after the witness corrected its copy R11 is still flagged: %+v", tally.Flagged)
	}
	page, err := e.MissingPage(siaga.MissingQuery{Region: "36"})
	if err != nil {
		t.Fatal(err)
	}
	missing := page.Items
	if len(missing) != 12 || missing[0].Connectivity != "blank" {
		t.Errorf("missing list has %d TPS (first %+v), want 12 with the blank spot first", len(missing), missing[0])
	}
	for _, m := range missing {
		if m.TPS == incomplete.TPS && (slices.Contains(m.Contests, siaga.PPWP) || !cmp.Equal(m.Incomplete, []siaga.Contest{siaga.PPWP})) {
			t.Errorf("the TPS whose ppwp form came without votes is listed as %+v, want ppwp received, incomplete, not missing", m)
		}
	}
}

// testVotesWithoutAdmin: a form whose vote section was read but whose
// administrative section was not (Sirekap's status_adm false) counts its
// votes, is reported and flagged R12; an empty vote section counts as none
// (SPEC §6).
func testVotesWithoutAdmin(t *testing.T, sk storeKind) {
	reg, el := world()
	e := startEngine(t, sk.open(t), reg, el, time.Now)
	complete := siaga.Submission{ID: newID(), TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(10, 20, 30)}
	noAdmin := siaga.Submission{ID: newID(), TPS: "3601012001002", Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: siaga.Form{Votes: ppwpForm(1, 2, 3).Votes}}
	emptyVotes := siaga.Submission{ID: newID(), TPS: "3601012001003", Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: siaga.Form{Admin: ppwpForm(4, 5, 6).Admin, Votes: &siaga.Votes{Options: map[string]int{}}}}
	mustSubmit(t, e, complete)
	if r := mustSubmit(t, e, noAdmin); !cmp.Equal(r.Rules, []string{"R12"}) {
		t.Errorf("form without admin section: rules %v, want [R12]", r.Rules)
	}
	if r := mustSubmit(t, e, emptyVotes); !cmp.Equal(r.Rules, []string{"R12"}) {
		t.Errorf("form with an empty vote section: rules %v, want [R12]", r.Rules)
	}
	// Turnout's voter list is the complete form's TPS only: the form
	// without an admin section says nothing of how many voted.
	var votersDPT int64
	for _, tp := range reg.TPS {
		if tp.Code == complete.TPS {
			votersDPT = int64(tp.DPT)
		}
	}
	for _, region := range []string{"3601012001", "36"} {
		got, _ := e.Tally(siaga.PPWP, region)
		want := siaga.Tally{Region: region, Contest: siaga.PPWP, TPSTotal: got.TPSTotal, TPSReported: 2, TPSIncomplete: 1,
			Votes: map[string]int64{"01": 11, "02": 22, "03": 33}, SuaraSah: 60, SuaraTidakSah: 2, Voters: 62,
			VotersDPT: votersDPT, DPT: got.DPT, Flagged: map[string]int{"R12": 2}, Seq: got.Seq}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: tally (-want +got):\n%s", region, diff)
		}
	}
	p, _ := e.Progress("36")
	if p.Reported[siaga.PPWP] != 2 || p.Incomplete[siaga.PPWP] != 1 {
		t.Errorf("progress = %+v, want ppwp 2 reported, 1 incomplete", p)
	}
}

// testCorrectionAudit: a form a user corrected is in the audit log, with
// its reason, stored with the version; one from any other author is not.
func testCorrectionAudit(t *testing.T, e *results.Engine, store siaga.Store, v2 siaga.Submission, r2 siaga.Receipt) {
	t.Helper()
	ctx := context.Background()
	v3 := v2
	v3.ID, v3.Replaces, v3.Reason, v3.Form = newID(), r2.Version, "Dikoreksi PPK", ppwpForm(11, 21, 5)
	r3, _, err := submitAs(ctx, e, &v3, "user:ppk.sumur")
	if err != nil {
		t.Fatal(err)
	}
	page, err := store.Audit(ctx, siaga.AuditFilter{Action: siaga.AuditCorrection})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 {
		t.Fatalf("%d correction entries, want 1 (user:ppk.sumur's, not test's)", page.Total)
	}
	got := page.Items[0]
	var detail struct {
		Version, Replaces int
		Reason, Hash      string
	}
	if err := json.Unmarshal(got.Detail, &detail); err != nil {
		t.Fatal(err)
	}
	if got.Actor != "user:ppk.sumur" || got.Subject != v3.ID || got.Scope != v3.TPS ||
		detail.Version != 3 || detail.Replaces != 2 || detail.Reason != v3.Reason || detail.Hash != r3.Hash {
		t.Errorf("correction entry %+v, detail %+v", got, detail)
	}
}

// testSeriesPerContest: a DPR form moves the DPR chart of its kab/kota and
// province, not the presidential one; kecamatan keep the presidential
// chart only.
func testSeriesPerContest(t *testing.T, sk storeKind) {
	reg, el := world()
	now := time.Date(2024, 2, 14, 13, 0, 0, 0, time.UTC)
	e := startEngine(t, sk.open(t), reg, el, func() time.Time { now = now.Add(time.Hour); return now })
	dpr := siaga.Form{Admin: ppwpForm(10).Admin, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{"1": {Party: 10}}}}
	mustSubmit(t, e, siaga.Submission{ID: newID(), TPS: "3601012001001", Contest: siaga.DPR, Source: siaga.SourceKPPS, Form: dpr})
	last := func(c siaga.Contest, region string) int {
		pts := e.Series(c, region)
		if len(pts) == 0 {
			return -1
		}
		return pts[len(pts)-1].Reported
	}
	for _, tt := range []struct {
		contest siaga.Contest
		region  string
		want    int // -1: no series kept
	}{
		{siaga.DPR, "36", 1}, {siaga.DPR, "3601", 1}, {siaga.DPR, "3602", 0},
		{siaga.PPWP, "36", 0}, {siaga.PPWP, "360101", 0},
		{siaga.DPR, "360101", -1}, {"nonsense", "36", -1},
	} {
		if got := last(tt.contest, tt.region); got != tt.want {
			t.Errorf("%s %s: last point %d TPS, want %d", tt.contest, tt.region, got, tt.want)
		}
	}
}
