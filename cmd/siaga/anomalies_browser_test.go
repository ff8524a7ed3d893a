package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/chromium/chromiumtest"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/simulate"
)

// nightKecamatan is where the simulated night of the anomaly test happens:
// one kecamatan of Pandeglang, a few hundred TPS, enough for several pages.
const nightKecamatan = "360101"

// TestAnomalyListMatchesCLI: after a simulated night, for every filter the
// desk can set (each rule, each contest, each source, each status, a
// region), the /anomali page's "dari M" in Chromium equals the number of
// lines `siaga anomalies` prints with the same filter, and paging through
// the page collects exactly those rows, once each, in the same order.
func TestAnomalyListMatchesCLI(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	cfg := node.Config{DataDir: data, Addr: "127.0.0.1:0"}
	if err := node.Init(ctx, cfg, nodetest.Province, 1); err != nil {
		t.Fatal(err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reviewed := simulateNight(t, n)
	n.Close()

	type filter struct{ cli, page []string }
	filters := []filter{{}, {[]string{"--region", "3601012001"}, []string{"wilayah", "3601012001"}}}
	for i := 1; i <= 12; i++ {
		r := "R" + strconv.Itoa(i)
		filters = append(filters, filter{[]string{"--rule", r}, []string{"aturan", r}})
	}
	for _, c := range siaga.Contests {
		filters = append(filters, filter{[]string{"--contest", string(c)}, []string{"kontes", string(c)}})
	}
	for _, s := range siaga.Sources {
		filters = append(filters, filter{[]string{"--source", string(s)}, []string{"sumber", string(s)}})
	}
	for _, s := range siaga.AnomalyStatuses {
		filters = append(filters, filter{[]string{"--status", string(s)}, []string{"status", string(s)}})
	}
	filters = append(filters, filter{[]string{"--contest", "ppwp", "--source", "saksi", "--rule", "R11"},
		[]string{"kontes", "ppwp", "sumber", "saksi", "aturan", "R11"}})

	// The CLI first, on the closed data folder.
	want := make([][]string, len(filters))
	total := 0
	for i, f := range filters {
		args := append([]string{"anomalies", "--data", data, "--json", "--region", nightKecamatan}, f.cli...)
		for _, line := range strings.Split(strings.TrimSpace(runSiaga(t, args...)), "\n") {
			if line == "" {
				continue
			}
			var a struct {
				TPS, Contest, Source string
			}
			if err := json.Unmarshal([]byte(line), &a); err != nil {
				t.Fatalf("%v: %q: %v", args, line, err)
			}
			want[i] = append(want[i], a.TPS+"/"+a.Contest+"/"+a.Source)
		}
		if i == 0 {
			total = len(want[i])
		}
	}
	if total <= 100 {
		t.Fatalf("the night made %d anomalies; the test needs more than a page", total)
	}
	for i, f := range filters {
		if len(f.cli) == 2 && f.cli[0] == "--status" && f.cli[1] != string(siaga.AnomalyNew) {
			if len(want[i]) == 0 || len(want[i]) > reviewed {
				t.Errorf("--status %s printed %d lines; %d anomalies were reviewed", f.cli[1], len(want[i]), reviewed)
			}
		}
	}

	n, err = node.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	base := nodetest.Serve(t, n)
	bctx := chromiumtest.Start(t, 1280, 1000, 5*time.Minute)
	for i, f := range filters {
		t.Run(strings.Join(f.cli, " ")+"·", func(t *testing.T) {
			v := url.Values{"wilayah": {nightKecamatan}}
			for j := 0; j+1 < len(f.page); j += 2 {
				v.Set(f.page[j], f.page[j+1])
			}
			var got []string
			next := base + "/anomali?" + v.Encode()
			for pages := 0; next != ""; pages++ {
				if pages > total/100+2 {
					t.Fatal("paging does not end")
				}
				if _, err := chromedp.Run(bctx, chromedp.Navigate(next)); err != nil {
					t.Fatal(err)
				}
				st, err := chromedp.Run(bctx, chromedp.Evaluate[listState](`({
					total: document.querySelector("#anomali-count [data-total]").textContent,
					keys: Array.from(document.querySelectorAll("#anomali-rows tr")).map(r => r.dataset.key),
					next: (document.getElementById("anomali-next") || {}).href || ""})`))
				if err != nil {
					t.Fatal(err)
				}
				if m := strings.ReplaceAll(st.Total, ".", ""); m != strconv.Itoa(len(want[i])) {
					t.Fatalf("page %d says dari %s, siaga anomalies printed %d lines", pages, st.Total, len(want[i]))
				}
				keys, link := st.Keys, st.Next
				got = append(got, keys...)
				next = link
			}
			if diff := cmp.Diff(want[i], got); diff != "" {
				t.Errorf("rows paged through (-cli +page):\n%s", diff)
			}
		})
	}
}

// listState is what the test reads of a page of the list.
type listState struct {
	Total string   `json:"total"`
	Keys  []string `json:"keys"`
	Next  string   `json:"next"`
}

// simulateNight stores a night of the kecamatan with many slips, witness
// copies that disagree and forms without votes, and reviews a few of its
// anomalies; it returns how many.
func simulateNight(t *testing.T, n *node.Node) int {
	t.Helper()
	ctx := context.Background()
	reg := &siaga.Registry{Regions: n.Registry.Regions}
	for _, tps := range n.Registry.TPS {
		if strings.HasPrefix(tps.Code, nightKecamatan) {
			reg.TPS = append(reg.TPS, tps)
		}
	}
	night := simulate.New(reg, n.Election, simulate.Config{Seed: 11, ErrorRate: 0.5, IncompleteRate: 0.1,
		DisagreeRate: 0.5, CorrectionRate: 0.1})
	for _, it := range night.Schedule() {
		sub := night.Submission(it)
		flags, err := n.Rules.Inspect(&sub)
		if err != nil {
			t.Fatalf("inspect %s: %v", sub.TPS, err)
		}
		canonical, form := sub.Canonical()
		if _, _, err := n.Results.SubmitEncoded(ctx, &sub, canonical, form, "test", flags); err != nil {
			t.Fatalf("submit %s %s %s: %v", sub.TPS, sub.Contest, sub.Source, err)
		}
	}
	page, err := n.Results.AnomalyPage(siaga.AnomalyQuery{Region: nightKecamatan, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range page.Items {
		status := siaga.AnomalyChecked
		if i%2 == 1 {
			status = siaga.AnomalyNeedsCorrection
		}
		rv := siaga.AnomalyReview{TPS: a.TPS, Contest: a.Contest, Source: a.Source, Version: a.Version, Status: status,
			Actor: "user:desk", At: time.Now()}
		if err := n.Results.ReviewAnomaly(ctx, rv); err != nil {
			t.Fatal(err)
		}
	}
	return len(page.Items)
}
