package http_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserRegion: a legislative tab charts its own contest in the
// parties' colours with its dapil projection; the map's regions show a
// tooltip with their numbers and the "unggul" layer a legend of colour and
// strength; the page's downloads answer; print hides what paper cannot use.
func TestBrowserRegion(t *testing.T) {
	n := newNode(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)

	tpsA := n.Regions.TPSOf("3601")[0]
	tpsB := n.Regions.TPSOf("3602")[0]
	submit(t, n, tpsA.Code, siaga.SourceKPPS, ppwpForm(tpsA.DPT, [3]int{100, 50, 20}, 3))
	submit(t, n, tpsB.Code, siaga.SourceKPPS, ppwpForm(tpsB.DPT, [3]int{10, 120, 30}, 2))
	submitContest(t, n, tpsA.Code, siaga.DPR, partyForm(tpsA.DPT, map[string]int{"3": 60, "4": 30, "14": 10}))

	t.Run("legislative tab", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/wilayah/36?kontes=dpr"), chromedp.WaitVisible(chromedp.CSS(`#dapil`)))
		if h := eval[string](t, ctx, `document.querySelector("#chart svg title").textContent`); !strings.HasPrefix(h, "1 dari 33.324 TPS") {
			t.Errorf("DPR chart caption %q, want the DPR count (1 TPS)", h)
		}
		if h := eval[string](t, ctx, `document.querySelector("#chart").closest(".card").querySelector("h2").textContent`); !strings.Contains(h, "DPR RI") {
			t.Errorf("chart heading %q, want DPR RI", h)
		}
		for party, rgb := range map[string]string{"3": "rgb(226, 35, 26)", "4": "rgb(242, 197, 0)", "14": "rgb(47, 95, 208)"} {
			got := eval[string](t, ctx, `getComputedStyle(document.querySelector('#votes tr[data-option="`+party+`"] .swatch')).backgroundColor`)
			if got != rgb {
				t.Errorf("party %s drawn in %s, want %s", party, got, rgb)
			}
		}
		if note := text(t, ctx, `#dapil .projection-note`); !strings.Contains(note, "Proyeksi kursi, bukan hasil resmi") {
			t.Errorf("projection note %q", note)
		}
		if seats := text(t, ctx, `#dapil [data-dapil="BANTEN I"] tr[data-party="3"] [data-seats]`); seats == "" || seats == "0" {
			t.Errorf("PDIP's projected seats in BANTEN I: %q", seats)
		}
	})

	t.Run("map tooltip and legend", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/wilayah/36"), chromedp.WaitVisible(chromedp.CSS(`path.leaflet-interactive`)))
		// Hover every kab/kota until Pandeglang's tooltip shows.
		tip, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			for (const p of document.querySelectorAll("path.leaflet-interactive")) {
				const b = p.getBoundingClientRect();
				const at = {bubbles: true, clientX: b.x + b.width / 2, clientY: b.y + b.height / 2};
				p.dispatchEvent(new MouseEvent("mouseover", at));
				p.dispatchEvent(new MouseEvent("mousemove", at));
				await new Promise(r => setTimeout(r, 50));
				const t = document.querySelector(".leaflet-tooltip");
				if (t && t.textContent.includes("Pandeglang")) return t.textContent;
				p.dispatchEvent(new MouseEvent("mouseout", at));
			}
			return "";
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Kabupaten Pandeglang", "1 dari", "TPS melapor", "Unggul: 01 Anies–Muhaimin", "58,8%"} {
			if !strings.Contains(tip, want) {
				t.Errorf("tooltip %q lacks %q", tip, want)
			}
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="mapmode"][value="leader"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#legend .legend-table`)))
		rows := eval[[]string](t, ctx, `[...document.querySelectorAll("#legend .legend-table tbody tr")].map(tr => tr.querySelector("th").textContent + " " + tr.querySelectorAll(".swatch").length)`)
		if strings.Join(rows, "|") != "01 Anies–Muhaimin 4|02 Prabowo–Gibran 4|03 Ganjar–Mahfud 4" {
			t.Errorf("legend rows %q, want each ticket with 4 strengths", rows)
		}
		ops := eval[[]string](t, ctx, `[...document.querySelectorAll('#legend tr[data-option="02"] .swatch')].map(s => s.style.opacity)`)
		if len(ops) != 4 || ops[0] >= ops[3] {
			t.Errorf("strength shades %q, want 4 growing opacities", ops)
		}
	})

	t.Run("downloads", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/wilayah/3601"), chromedp.WaitVisible(chromedp.CSS(`.downloads`)))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Promise.all([...document.querySelectorAll(".downloads a")].map(a =>
			fetch(a.href).then(r => a.textContent + " " + new URL(a.href).pathname + " " + r.status + " " + r.headers.get("content-type").split(";")[0])))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"CSV /wilayah/3601/hasil.csv 200 text/csv",
			"XLSX /wilayah/3601/hasil.xlsx 200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"CSV /wilayah/3601/tps.csv 200 text/csv",
			"XLSX /wilayah/3601/tps.xlsx 200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("download links:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("print", func(t *testing.T) {
		printMedia := func(on bool) chromedp.Action[chromedp.Void] {
			return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				media := ""
				if on {
					media = "print"
				}
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
				return chromedp.Void{}, err
			}
		}
		do(t, ctx, chromedp.Navigate(base+"/wilayah/3601?kontes=dpr"), chromedp.WaitVisible(chromedp.CSS(`#children`)), printMedia(true))
		defer do(t, ctx, printMedia(false))
		shown := eval[map[string]string](t, ctx, `Object.fromEntries(["header.top", "nav.contests", ".downloads", "#peta", ".print-head", "#children thead", ".scroll"].map(s =>
			[s, getComputedStyle(document.querySelector(s)).display + (s === ".scroll" ? " " + getComputedStyle(document.querySelector(s)).overflow : "")]))`)
		want := map[string]string{"header.top": "none", "nav.contests": "none", ".downloads": "none", "#peta": "none",
			".print-head": "block", "#children thead": "table-header-group", ".scroll": "block visible"}
		for sel, d := range want {
			if shown[sel] != d {
				t.Errorf("printed %s: display %q, want %q", sel, shown[sel], d)
			}
		}
		head := text(t, ctx, `.print-head`)
		for _, w := range []string{"Kabupaten Pandeglang", "DPR RI", "Data per", "WIB", base + "/wilayah/3601?kontes=dpr"} {
			if !strings.Contains(head, w) {
				t.Errorf("printed header %q lacks %q", head, w)
			}
		}
		// Another official page: the anomaly list prints without its filters.
		do(t, ctx, chromedp.Navigate(base+"/anomali"), chromedp.WaitReady(chromedp.CSS(`main`)))
		if d := eval[string](t, ctx, `getComputedStyle(document.querySelector("header.top")).display`); d != "none" {
			t.Errorf("printed anomaly list shows its navigation (%s)", d)
		}
		if d := eval[string](t, ctx, `(f => f ? getComputedStyle(f).display : "none")(document.querySelector("form"))`); d != "none" {
			t.Errorf("printed anomaly list shows its filter form (%s)", d)
		}
	})
}
