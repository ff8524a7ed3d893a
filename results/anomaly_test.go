package results_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/results"
)

func TestLists(t *testing.T) {
	for _, sk := range stores() {
		t.Run(sk.name, func(t *testing.T) {
			t.Run("anomalies filtered, counted and paged", func(t *testing.T) { testAnomalyPage(t, sk) })
			t.Run("anomaly reviews", func(t *testing.T) { testAnomalyReviews(t, sk) })
			t.Run("missing vs incomplete", func(t *testing.T) { testMissingPage(t, sk) })
		})
	}
}

// key names an anomaly in expectations.
func key(a siaga.Anomaly) string { return fmt.Sprintf("%s/%s/%s", a.TPS, a.Contest, a.Source) }

func keys(as []siaga.Anomaly) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, key(a))
	}
	return out
}

// anomalyNight submits forms that break rules in several TPS, contests
// and sources:
//
//	3601012001001 ppwp kpps R1 (sum slip), saksi agrees → both R1
//	3601012002003 ppwp kpps ok, saksi disagrees → both R11
//	3601022001001 ppwp kpps R12 (no votes)
//	3602012001003 dpr  kpps R12 (no votes)
func anomalyNight(t testing.TB, e *results.Engine) {
	t.Helper()
	slip := ppwpForm(10, 20, 30)
	slip.Votes.Options["01"] = 44
	for _, s := range []siaga.Submission{
		{TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: slip},
		{TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceSaksi, Form: slip},
		{TPS: "3601012001002", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(1, 2, 3)},
		{TPS: "3601012002003", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: ppwpForm(70, 80, 9)},
		{TPS: "3601012002003", Contest: siaga.PPWP, Source: siaga.SourceSaksi, Form: ppwpForm(70, 81, 9)},
		{TPS: "3601022001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: siaga.Form{Admin: ppwpForm(1, 2, 3).Admin}},
		{TPS: "3602012001003", Contest: siaga.DPR, Source: siaga.SourceKPPS, Form: siaga.Form{Admin: ppwpForm(1, 2, 3).Admin}},
	} {
		s.ID = newID()
		mustSubmit(t, e, s)
	}
}

func testAnomalyPage(t *testing.T, sk storeKind) {
	reg, el := world()
	e := startEngine(t, sk.open(t), reg, el, time.Now)
	anomalyNight(t, e)
	all := []string{
		"3601012001001/ppwp/kpps", "3601012001001/ppwp/saksi",
		"3601012002003/ppwp/kpps", "3601012002003/ppwp/saksi",
		"3601022001001/ppwp/kpps", "3602012001003/dpr/kpps",
	}
	for _, tt := range []struct {
		name string
		q    siaga.AnomalyQuery
		want []string
	}{
		{"everything", siaga.AnomalyQuery{}, all},
		{"region", siaga.AnomalyQuery{Region: "3601"}, all[:5]},
		{"one TPS", siaga.AnomalyQuery{Region: "3601012002003"}, all[2:4]},
		{"contest", siaga.AnomalyQuery{Contest: siaga.DPR}, all[5:]},
		{"rule", siaga.AnomalyQuery{Rule: "R12"}, all[4:]},
		{"rule R11", siaga.AnomalyQuery{Rule: "R11"}, all[2:4]},
		{"source", siaga.AnomalyQuery{Source: siaga.SourceSaksi}, []string{all[1], all[3]}},
		{"status", siaga.AnomalyQuery{Status: siaga.AnomalyNew, Region: "3602"}, all[5:]},
		{"nothing", siaga.AnomalyQuery{Contest: siaga.DPD}, []string{}},
		{"together", siaga.AnomalyQuery{Region: "36", Contest: siaga.PPWP, Rule: "R1", Source: siaga.SourceKPPS}, all[:1]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := e.AnomalyPage(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, keys(whole.Items)); diff != "" || whole.Total != len(tt.want) || whole.Next != "" {
				t.Errorf("total %d next %q, items (-want +got):\n%s", whole.Total, whole.Next, diff)
			}
			// Pages of one and of two collect the same rows once each,
			// every page telling the whole total.
			for _, limit := range []int{1, 2} {
				q, got, pages := tt.q, []string{}, 0
				q.Limit = limit
				for {
					page, err := e.AnomalyPage(q)
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != len(tt.want) {
						t.Fatalf("page %d of %d: total %d, want %d", pages, limit, page.Total, len(tt.want))
					}
					got = append(got, keys(page.Items)...)
					pages++
					if page.Next == "" {
						break
					}
					if pages > len(tt.want) {
						t.Fatalf("paging by %d does not end", limit)
					}
					q.After = page.Next
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("paged by %d (-want +got):\n%s", limit, diff)
				}
			}
		})
	}
	for _, tt := range []struct {
		q     siaga.AnomalyQuery
		field string
	}{
		{siaga.AnomalyQuery{Region: "99"}, "region"},
		{siaga.AnomalyQuery{Contest: "dprd"}, "contest"},
		{siaga.AnomalyQuery{Source: "kpu"}, "source"},
		{siaga.AnomalyQuery{Rule: "R13"}, "rule"},
		{siaga.AnomalyQuery{Rule: "1"}, "rule"},
		{siaga.AnomalyQuery{Status: "selesai"}, "status"},
		{siaga.AnomalyQuery{After: "!!"}, "cursor"},
		{siaga.AnomalyQuery{After: "eA"}, "cursor"},
	} {
		_, err := e.AnomalyPage(tt.q)
		var se *siaga.Error
		if siaga.ErrorCode(err) != siaga.EInvalid || !errors.As(err, &se) || se.Field != tt.field {
			t.Errorf("AnomalyPage(%+v) = %v, want EInvalid on %s", tt.q, err, tt.field)
		}
	}
}

func testAnomalyReviews(t *testing.T, sk storeKind) {
	ctx := context.Background()
	reg, el := world()
	store := sk.open(t)
	e := startEngine(t, store, reg, el, time.Now)
	anomalyNight(t, e)
	review := func(tps string, c siaga.Contest, version int, status siaga.AnomalyStatus) siaga.AnomalyReview {
		return siaga.AnomalyReview{TPS: tps, Contest: c, Source: siaga.SourceKPPS, Version: version, Status: status,
			Note: "dibandingkan dengan foto C1", Actor: "user:desk", At: time.Now().UTC()}
	}
	statusKeys := func(e *results.Engine, s siaga.AnomalyStatus) []string {
		page, err := e.AnomalyPage(siaga.AnomalyQuery{Status: s})
		if err != nil {
			t.Fatal(err)
		}
		return keys(page.Items)
	}
	if err := e.ReviewAnomaly(ctx, review("3601012001001", siaga.PPWP, 1, siaga.AnomalyChecked)); err != nil {
		t.Fatal(err)
	}
	if err := e.ReviewAnomaly(ctx, review("3602012001003", siaga.DPR, 1, siaga.AnomalyNeedsCorrection)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		rv   siaga.AnomalyReview
		code string
	}{
		{review("3601012001001", siaga.PPWP, 2, siaga.AnomalyChecked), siaga.EConflict}, // not the latest version
		{review("3601012001002", siaga.PPWP, 1, siaga.AnomalyChecked), siaga.EInvalid},  // breaks no rule
		{review("3601012001003", siaga.PPWP, 1, siaga.AnomalyChecked), siaga.ENotFound}, // nothing arrived
		{review("3601012001001", siaga.PPWP, 1, "selesai"), siaga.EInvalid},
	} {
		if err := e.ReviewAnomaly(ctx, tt.rv); siaga.ErrorCode(err) != tt.code {
			t.Errorf("ReviewAnomaly(%+v) = %v, want %s", tt.rv, err, tt.code)
		}
	}
	want := map[siaga.AnomalyStatus][]string{
		siaga.AnomalyChecked:         {"3601012001001/ppwp/kpps"},
		siaga.AnomalyNeedsCorrection: {"3602012001003/dpr/kpps"},
		siaga.AnomalyNew:             {"3601012001001/ppwp/saksi", "3601012002003/ppwp/kpps", "3601012002003/ppwp/saksi", "3601022001001/ppwp/kpps"},
	}
	for s, w := range want {
		if diff := cmp.Diff(w, statusKeys(e, s)); diff != "" {
			t.Errorf("status %s (-want +got):\n%s", s, diff)
		}
	}
	page, _ := e.AnomalyPage(siaga.AnomalyQuery{Region: "3601012001001", Source: siaga.SourceKPPS})
	if rv := page.Items[0].Review; rv == nil || rv.Note != "dibandingkan dengan foto C1" || rv.Actor != "user:desk" {
		t.Errorf("the reviewed anomaly carries review %+v", rv)
	}

	// A restart reads the reviews back.
	again := startEngine(t, store, reg, el, time.Now)
	for s, w := range want {
		if diff := cmp.Diff(w, statusKeys(again, s)); diff != "" {
			t.Errorf("after a restart, status %s (-want +got):\n%s", s, diff)
		}
	}

	// A correction is a new version: the desk looks at it again.
	fix := siaga.Submission{ID: newID(), TPS: "3602012001003", Contest: siaga.DPR, Source: siaga.SourceKPPS, Replaces: 1,
		Reason: "salah tulis", Form: siaga.Form{Admin: ppwpForm(1, 2, 4).Admin}}
	mustSubmit(t, e, fix)
	if got := statusKeys(e, siaga.AnomalyNeedsCorrection); len(got) != 0 {
		t.Errorf("after a new version, still perlu_koreksi: %v", got)
	}
	page, _ = e.AnomalyPage(siaga.AnomalyQuery{Region: "3602"})
	if a := page.Items[0]; a.Version != 2 || a.Status != siaga.AnomalyNew || a.Review != nil {
		t.Errorf("the corrected history is %+v, want version 2, baru, no review", a)
	}
}

func testMissingPage(t *testing.T, sk storeKind) {
	reg, el := world()
	e := startEngine(t, sk.open(t), reg, el, time.Now)
	anomalyNight(t, e)
	// 12 TPS, 5 contests. ppwp: 3 TPS reported with votes, 1 without
	// (3601022001001); dpr: 3602012001003 without votes.
	for _, tt := range []struct {
		name                      string
		q                         siaga.MissingQuery
		total, missing, incomplet int
		first                     string
	}{
		{"every contest", siaga.MissingQuery{Region: "36"}, 12, 12, 0, "3602012001003"},
		{"ppwp", siaga.MissingQuery{Contest: siaga.PPWP}, 9, 8, 1, "3602012001003"},
		{"ppwp missing", siaga.MissingQuery{Contest: siaga.PPWP, Kind: siaga.MissingNothing}, 8, 8, 1, "3602012001003"},
		{"ppwp incomplete", siaga.MissingQuery{Contest: siaga.PPWP, Kind: siaga.MissingIncomplete}, 1, 8, 1, "3601022001001"},
		{"dpr incomplete", siaga.MissingQuery{Contest: siaga.DPR, Kind: siaga.MissingIncomplete}, 1, 11, 1, "3602012001003"},
		{"dpr in Pandeglang", siaga.MissingQuery{Region: "3601", Contest: siaga.DPR}, 9, 9, 0, "3601012001001"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := e.MissingPage(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if whole.Total != tt.total || whole.Missing != tt.missing || whole.Incomplete != tt.incomplet || len(whole.Items) != tt.total {
				t.Fatalf("total %d (%d rows), missing %d, incomplete %d; want %d, %d, %d", whole.Total, len(whole.Items),
					whole.Missing, whole.Incomplete, tt.total, tt.missing, tt.incomplet)
			}
			if whole.Items[0].TPS != tt.first {
				t.Errorf("first row %s, want %s (blank spots first)", whole.Items[0].TPS, tt.first)
			}
			for _, m := range whole.Items {
				if (m.Kind == siaga.MissingNothing) != (len(m.Contests) > 0) || (tt.q.Kind != "" && m.Kind != tt.q.Kind) {
					t.Errorf("row %+v has the wrong kind", m)
				}
			}
			q, got := tt.q, []siaga.MissingTPS{}
			q.Limit = 2
			for pages := 0; ; pages++ {
				page, err := e.MissingPage(q)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page.Items...)
				if page.Next == "" || pages > tt.total {
					break
				}
				q.After = page.Next
			}
			if diff := cmp.Diff(whole.Items, got); diff != "" {
				t.Errorf("paged by 2 (-whole +paged):\n%s", diff)
			}
		})
	}
	if _, err := e.MissingPage(siaga.MissingQuery{Kind: "lost"}); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestReviewsAcrossEngines: a review set through one node reaches another
// node on the same database when it refreshes, and an older copy never
// replaces a newer review.
func TestReviewsAcrossEngines(t *testing.T) {
	for _, sk := range stores() {
		t.Run(sk.name, func(t *testing.T) {
			ctx := context.Background()
			reg, el := world()
			store := sk.open(t)
			a := startEngine(t, store, reg, el, time.Now)
			anomalyNight(t, a)
			b := startEngine(t, store, reg, el, time.Now)
			rv := siaga.AnomalyReview{TPS: "3601012001001", Contest: siaga.PPWP, Source: siaga.SourceKPPS, Version: 1,
				Status: siaga.AnomalyChecked, Note: "cocok C1", Actor: "user:desk", At: time.Now().UTC()}
			if err := a.ReviewAnomaly(ctx, rv); err != nil {
				t.Fatal(err)
			}
			checked := func(e *results.Engine) int {
				page, err := e.AnomalyPage(siaga.AnomalyQuery{Status: siaga.AnomalyChecked})
				if err != nil {
					t.Fatal(err)
				}
				return page.Total
			}
			if checked(b) != 0 {
				t.Fatal("the other node knew the review before reading it")
			}
			if err := b.RefreshReviews(ctx); err != nil {
				t.Fatal(err)
			}
			if checked(b) != 1 {
				t.Errorf("after a refresh the other node counts %d reviewed, want 1", checked(b))
			}
			// B sets a newer review of the same version; a refresh that
			// read the store before it must not undo it.
			newer := rv
			newer.Status, newer.At = siaga.AnomalyNeedsCorrection, rv.At.Add(time.Minute)
			if err := b.ReviewAnomaly(ctx, newer); err != nil {
				t.Fatal(err)
			}
			if err := a.RefreshReviews(ctx); err != nil {
				t.Fatal(err)
			}
			page, err := a.AnomalyPage(siaga.AnomalyQuery{Status: siaga.AnomalyNeedsCorrection})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 1 {
				t.Errorf("node A after refresh: %d needing correction, want the newer review", page.Total)
			}
		})
	}
}
