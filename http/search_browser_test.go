package http_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserSearch: from a page's header, a desa typed with a letter
// missing is suggested with its kecamatan and kab/kota, and picked with the
// keyboard; without the suggestions, the same box lists it at /cari.
func TestBrowserSearch(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)

	do(t, ctx, chromedp.Navigate(base+"/wilayah/3602?kontes=dpr"), chromedp.WaitVisible(chromedp.CSS(`#cari-q`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#cari-q`), "sukamju"),
		chromedp.WaitVisible(chromedp.CSS(`#cari-saran li[role=option]`)))
	first := text(t, ctx, `#cari-saran li[role=option]`)
	if !strings.Contains(first, "Sukamaju") || !strings.Contains(first, "Kec. ") || !strings.Contains(first, "Kab. Pandeglang") {
		t.Errorf("first suggestion %q, want Sukamaju with its kecamatan and kab/kota", first)
	}
	count := text(t, ctx, `#cari-saran li.count`)
	if !strings.Contains(count, " dari ") {
		t.Errorf("suggestions say %q, want \"N dari M\"", count)
	}
	// The second Sukamaju, in Kab. Lebak, by the keyboard.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#cari-q`), kb.ArrowDown+kb.ArrowDown))
	if sel := text(t, ctx, `#cari-saran li[aria-selected=true]`); !strings.Contains(sel, "Kab. Lebak") {
		t.Errorf("second suggestion %q, want the Sukamaju of Kab. Lebak", sel)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.SendKeys(chromedp.CSS(`#cari-q`), kb.Enter))); err != nil {
		t.Fatalf("Enter on a suggestion: %v", err)
	}
	if loc := eval[string](t, ctx, `location.pathname + location.search`); loc != "/wilayah/3602222005?kontes=dpr" {
		t.Fatalf("Enter on the suggestion went to %s, want the desa's page with the ballot kept", loc)
	}
	if h1 := text(t, ctx, `h1`); !strings.Contains(h1, "Sukamaju") {
		t.Errorf("landed on %q", h1)
	}

	// Without a suggestion picked, the form itself: the list at /cari.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#cari-q`), "sukamju"),
		chromedp.WaitVisible(chromedp.CSS(`#cari-saran li[role=option]`)),
		chromedp.Submit(chromedp.CSS(`#cari-q`)),
		chromedp.WaitVisible(chromedp.CSS(`#search-count`)))
	if c := text(t, ctx, `#search-count`); !strings.Contains(c, "dari") {
		t.Errorf("/cari says %q", c)
	}
	if rows := eval[int](t, ctx, `document.querySelectorAll("table.search-results tbody tr").length`); rows < 4 {
		t.Errorf("/cari lists %d hits, want Banten's four Sukamaju at least", rows)
	}
}

// TestBrowserTPSComparison: two sources side by side above the fold, the
// witness's differing number highlighted, the KPPS flag explained next to
// its number.
func TestBrowserTPSComparison(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	tps := n.Regions.TPSOf("3601")[0]
	f := ppwpForm(tps.DPT, [3]int{100, 50, 20}, 3)
	f.Admin["suara_sah"] = 169 // R1: the tickets add up to 170
	submit(t, n, tps.Code, siaga.SourceKPPS, f)
	submit(t, n, tps.Code, siaga.SourceSaksi, ppwpForm(tps.DPT, [3]int{90, 60, 20}, 3))

	do(t, ctx, chromedp.Navigate(base+"/tps/"+tps.Code), chromedp.WaitVisible(chromedp.CSS(`table.compare`)))
	heads := text(t, ctx, `table.compare thead`)
	for _, want := range []string{"KPPS", "dihitung", "Saksi"} {
		if !strings.Contains(heads, want) {
			t.Errorf("table head %q lacks %q", heads, want)
		}
	}
	// Above the fold: the table's first vote row is within the window.
	if top := eval[float64](t, ctx, `document.querySelector('table.compare tr.votes').getBoundingClientRect().bottom`); top > 1000 {
		t.Errorf("the first vote row ends %.0f px down, below the 1000 px window", top)
	}
	// The highlighted cells are the witness's 90 and 60, drawn in another
	// colour than the cells beside them.
	got := eval[[]string](t, ctx, `[...document.querySelectorAll("table.compare td.cell-differs")].map(td => td.textContent.trim())`)
	if strings.Join(got, " ") != "90 60 170" {
		t.Errorf("highlighted cells %q, want the witness's 90, 60 and its 170 valid votes", got)
	}
	if same := eval[bool](t, ctx, `(() => {
		const d = document.querySelector("table.compare td.cell-differs");
		const plain = d.parentElement.querySelector("td:not(.cell-differs)");
		return getComputedStyle(d).backgroundColor === getComputedStyle(plain).backgroundColor;
	})()`); same {
		t.Error("a differing cell looks like the one beside it")
	}
	row := text(t, ctx, `tr[data-key="suara_sah"]`)
	for _, want := range []string{"R1", "KPPS", "Suara sah 169, tetapi jumlah suara paslon 170", "169"} {
		if !strings.Contains(row, want) {
			t.Errorf("the suara sah row %q lacks %q", row, want)
		}
	}
}
