package fieldapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/simulate"
)

const tpsCode = "3601012001001"

// phone is the field app open in Chromium, enrolled against s.
type phone struct {
	t   *testing.T
	ctx context.Context
	s   *server

	mu        sync.Mutex
	pageBytes float64 // Chromium's encodedDataLength of every response
}

// enrolPhone opens the enrolment link the operator's QR holds, measures
// the first load and enrols.
func enrolPhone(t *testing.T, s *server) *phone {
	p := &phone{t: t, ctx: browser(t), s: s}
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(p.ctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			p.mu.Lock()
			p.pageBytes += e.EncodedDataLength
			p.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	code := s.enrolmentCode(tpsCode)
	link := auth.EnrolmentURI(code, s.url+"/lapangan")
	do(t, p.ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	// Installed: the service worker controls the page and holds the shell.
	waitFor(t, p.ctx, "the service worker", `navigator.serviceWorker.controller !== null`, 15*time.Second)
	if got := p.value(`#code`); got != auth.FormatCode(code) {
		t.Errorf("code field = %q, want %q from the link", got, auth.FormatCode(code))
	}
	p.reportFirstLoad()
	p.eval(`localStorage.setItem("lapangan.retryMaxMs", "1500")`)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#enrol-send`)))
	waitFor(t, p.ctx, "the contest list", `document.querySelectorAll("a.contest").length === 5`, 15*time.Second)
	for _, e := range s.exchanges() {
		if strings.HasPrefix(e.Path, "/api/v1/ballot/") {
			t.Logf("the TPS's ballot: %d bytes", e.RespBytes)
		}
	}
	return p
}

func (p *phone) reportFirstLoad() {
	shell := 0
	for _, e := range p.s.exchanges() {
		if strings.HasPrefix(e.Path, "/lapangan/") {
			shell += e.RespBytes
		}
	}
	p.mu.Lock()
	page := p.pageBytes
	p.mu.Unlock()
	p.t.Logf("first load: %d bytes sent by the server for /lapangan/ (page and service worker install), %.0f bytes in the page's network events", shell, page)
	if shell > 300<<10 || page > 300<<10 {
		p.t.Errorf("first load is over 300 KB")
	}
}

func (p *phone) eval(js string) {
	p.t.Helper()
	var v any
	evalAwait(p.t, p.ctx, js, &v)
}

func (p *phone) value(css string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS(css)))
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// fill sets inputs by their JSON path and fires the input event, as typing
// does.
func (p *phone) fill(values map[string]int) {
	p.t.Helper()
	b, _ := json.Marshal(values)
	p.eval(`(() => {
		const form = document.getElementById("chasil");
		for (const [path, v] of Object.entries(` + string(b) + `)) {
			const input = form.querySelector('input[data-f="' + path + '"]');
			if (!input) throw new Error("no input " + path);
			input.value = String(v);
		}
		form.dispatchEvent(new Event("input", {bubbles: true}));
	})()`)
}

// typeInto empties an input and types text into it key by key.
func (p *phone) typeInto(css, text string) {
	p.t.Helper()
	p.eval(`document.querySelector(` + "`" + css + "`" + `).value = ""`)
	do(p.t, p.ctx, chromedp.SendKeys(chromedp.CSS(css), text))
}

func (p *phone) openForm(contest string) {
	p.t.Helper()
	// Clicked from script: the outbox list redraws while syncing, and a
	// click by coordinates may land on a node being replaced.
	p.eval(`document.querySelector('a.contest[data-contest="` + contest + `"]').click()`)
	waitFor(p.t, p.ctx, contest+" form", `document.querySelector('#chasil[data-contest="`+contest+`"]') !== null`, 10*time.Second)
}

func (p *phone) addPhotos(files ...string) {
	p.t.Helper()
	for i, f := range files {
		do(p.t, p.ctx, chromedp.SetUploadFiles(chromedp.CSS(`#photo-input`), []string{f}, chromedp.NodeReady))
		waitFor(p.t, p.ctx, "photo compressed", fmt.Sprintf(`document.querySelectorAll("#photo-list li").length === %d`, i+1), 20*time.Second)
	}
}

// send sends the open form, confirming when it breaks a rule.
func (p *phone) send(confirm bool) {
	p.t.Helper()
	do(p.t, p.ctx, chromedp.Click(chromedp.CSS(`#send`)))
	if confirm {
		do(p.t, p.ctx, chromedp.WaitVisible(chromedp.CSS(`#confirm-send`)), chromedp.Click(chromedp.CSS(`#confirm-send`)))
	}
	waitFor(p.t, p.ctx, "the outbox", `document.getElementById("outbox") !== null`, 10*time.Second)
}

// adminFor is simulate.CleanAdmin as the form's field names.
func adminFor(dpt, sah int) map[string]int {
	out := map[string]int{}
	for k, v := range simulate.CleanAdmin(dpt, sah) {
		out["form.administrasi."+k] = v
	}
	return out
}

// photoFile writes a camera-sized JPEG: noise keeps it from compressing
// well, so the phone has to shrink it.
func photoFile(t testing.TB, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := uint8(rng.IntN(40))
			img.Set(x, y, color.RGBA{uint8(x*255/w) ^ n, uint8(y*255/h) ^ n, 200 ^ n, 255})
		}
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return path
}

// fillForms fills and sends ppwp (two pages, live rule shown then fixed),
// dpd, and dpr (breaking R10, sent after confirming).
func fillForms(p *phone, photo string) {
	t := p.t
	tps, _ := p.s.regions().TPS(tpsCode)
	p.openForm("ppwp")
	p.fill(adminFor(tps.DPT, 208))
	p.fill(map[string]int{"form.suara.pilihan.01": 50, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 38})
	// The officer types a wrong number: R2 is explained next to the field.
	p.typeInto(`input[data-f="form.administrasi.suara_tidak_sah"]`, "5")
	waitFor(t, p.ctx, "R2 explained", `(document.querySelector('.finding[data-rule="R2"]') || {}).textContent?.includes("Suara sah 208 + suara tidak sah 5 = 213, tetapi jumlah suara 212")`, 5*time.Second)
	p.screenshot("field-form-rule.png")
	p.typeInto(`input[data-f="form.administrasi.suara_tidak_sah"]`, "4")
	waitFor(t, p.ctx, "rules satisfied", `document.querySelectorAll(".finding").length === 0`, 5*time.Second)
	p.addPhotos(photo, photo)
	p.send(false)

	p.openForm("dpd")
	dpd := p.s.dapil(siaga.DPD)
	p.fill(adminFor(tps.DPT, 200))
	p.fill(map[string]int{"form.suara.pilihan." + dpd.Candidates[0].ID: 150, "form.suara.pilihan." + dpd.Candidates[1].ID: 50})
	p.addPhotos(photo)
	p.send(false)

	p.openForm("dpr")
	dpr := p.s.dapil(siaga.DPR)
	c := dpr.Candidates[0]
	key := fmt.Sprint(c.Party)
	p.fill(adminFor(tps.DPT, 100))
	p.fill(map[string]int{
		"form.suara.partai." + key + ".suara_partai": 60, "form.suara.partai." + key + ".caleg." + c.ID: 40,
		"form.suara.partai." + key + ".jumlah": 99, // the paper says 99: R10
	})
	waitFor(t, p.ctx, "R10 explained", `document.querySelector('.finding[data-rule="R10"]') !== null`, 5*time.Second)
	p.addPhotos(photo)
	p.send(true)
}

func (s *server) regions() interface {
	TPS(string) (siaga.TPS, bool)
} {
	return s.n.Regions
}

func (s *server) dapil(c siaga.Contest) *siaga.Dapil {
	d, ok := s.n.Ballot.Dapil(c, tpsCode)
	if !ok {
		s.t.Fatalf("no %s dapil for %s", c, tpsCode)
	}
	return d
}

func (p *phone) screenshot(name string) {
	if os.Getenv("SIAGA_SCREENSHOTS") != "1" {
		return
	}
	shot, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "screenshots", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// stored returns the versions of the TPS and the photo summary of each.
func (s *server) stored() []siaga.Version {
	s.t.Helper()
	vs, err := s.n.Results.History(context.Background(), tpsCode)
	if err != nil {
		s.t.Fatal(err)
	}
	return vs
}

func (s *server) photos(submission string) (received, expected int) {
	s.t.Helper()
	resp, err := http.Get(s.url + "/api/v1/submissions/" + submission + "/photos")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Received, Expected int }
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&v) != nil {
		s.t.Fatalf("photos of %s: status %d", submission, resp.StatusCode)
	}
	return v.Received, v.Expected
}

// TestOfflineSync is the blank spot: enrol with signal, lose it, fill three
// forms with photos, reload the app with no server, get the signal back,
// and everything arrives exactly once with its photos and receipts.
func TestOfflineSync(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	p.screenshot("field-home.png")
	photo := photoFile(t, "halaman.jpg", 2400, 1800)

	s.stop()
	fillForms(p, photo)
	waitFor(t, p.ctx, "three waiting items", `document.querySelectorAll('#outbox li[data-state="menunggu"]').length === 3`, 15*time.Second)
	p.screenshot("field-outbox-waiting.png")

	// Reload with the server down: the service worker serves the app.
	do(t, p.ctx, chromedp.Reload())
	waitFor(t, p.ctx, "the outbox after an offline reload", `document.querySelectorAll('#outbox li').length === 3 && navigator.serviceWorker.controller !== null`, 15*time.Second)
	var stored []struct {
		Size, Width, Height int
	}
	evalAwait(t, p.ctx, `new Promise((resolve, reject) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const get = req.result.transaction("photos").objectStore("photos").getAll();
			get.onsuccess = async () => resolve(await Promise.all(get.result.map(async (b) => {
				const bmp = await createImageBitmap(b);
				return {size: b.size, width: bmp.width, height: bmp.height};
			})));
			get.onerror = () => reject(get.error);
		};
	})`, &stored)
	if len(stored) != 4 {
		t.Fatalf("%d photos in IndexedDB, want 4", len(stored))
	}
	for _, ph := range stored {
		if ph.Size > 250<<10 || max(ph.Width, ph.Height) > 1600 || max(ph.Width, ph.Height) < 800 {
			t.Errorf("stored photo %+v: want at most 250 KB and a long edge of about 1600 px", ph)
		}
	}

	// One chunk is damaged on its way, as a bad link or proxy might do:
	// the server refuses the page at its last byte, and the app, finding
	// its own copy intact, sends the page again from the start.
	p.eval(damageOneChunk)
	before := len(s.exchanges())
	restart := time.Now()
	s.start()
	waitFor(t, p.ctx, "three receipts", `document.querySelectorAll('#outbox li[data-state="diterima"]').length === 3`, 30*time.Second)
	waitFor(t, p.ctx, "every photo sent", `[...document.querySelectorAll('.photos-state')].every((e) => e.dataset.done === e.dataset.total)`, 40*time.Second)
	var damaged string
	evalAwait(t, p.ctx, `Promise.resolve(window.damagedChunk || "")`, &damaged)
	if damaged == "" || !slices.ContainsFunc(s.exchanges()[before:], func(e exchange) bool { return e.Method == "PATCH" && e.Status == 400 }) {
		t.Errorf("no chunk was damaged and refused (damaged %q): the retry path was not exercised", damaged)
	}
	t.Logf("sync after the server came back: %v", time.Since(restart).Round(10*time.Millisecond))
	p.screenshot("field-outbox-received.png")
	checkUploadTokens(t, p, s.exchanges()[before:], 4)

	versions := s.stored()
	if len(versions) != 3 {
		t.Fatalf("server holds %d versions, want 3", len(versions))
	}
	pages := map[siaga.Contest]int{siaga.PPWP: 2, siaga.DPD: 1, siaga.DPR: 1}
	for _, v := range versions {
		if v.Number != 1 || v.Source != siaga.SourceKPPS {
			t.Errorf("%s: version %d source %s", v.Contest, v.Number, v.Source)
		}
		// Read in one script, polled: the outbox list is redrawn while it
		// syncs, so a node found by one call may be gone by the next.
		waitFor(t, p.ctx, string(v.Contest)+" receipt hash "+v.Hash[:12]+" on screen",
			`(document.querySelector('#outbox li[data-id="`+v.Submission+`"] [data-v="hash"]') || {}).textContent === "`+v.Hash[:12]+`"`,
			10*time.Second)
		if rec, exp := s.photos(v.Submission); rec != pages[v.Contest] || exp != pages[v.Contest] {
			t.Errorf("%s: server has %d of %d photos, want %d", v.Contest, rec, exp, pages[v.Contest])
		}
		if wantR10 := v.Contest == siaga.DPR; wantR10 != strings.Contains(strings.Join(v.Rules, ","), "R10") {
			t.Errorf("%s: rules %v", v.Contest, v.Rules)
		}
	}
	reportSubmissionBytes(t, s.exchanges()[before:])

	// A correction: a new version naming the one in the receipt.
	p.openForm("ppwp")
	p.fill(map[string]int{"form.suara.pilihan.01": 51, "form.suara.pilihan.03": 37})
	do(t, p.ctx, chromedp.SendKeys(chromedp.CSS(`#reason`), "Salah baca angka paslon 01 dan 03"))
	p.send(false)
	waitFor(t, p.ctx, "the correction's receipt", `document.querySelectorAll('#outbox li[data-state="diterima"]').length === 4`, 20*time.Second)
	var v2 *siaga.Version
	for _, v := range s.stored() {
		if v.Contest == siaga.PPWP && v.Number == 2 {
			v2 = &v
		}
	}
	if v2 == nil || v2.Reason != "Salah baca angka paslon 01 dan 03" || v2.Form.Votes.Options["01"] != 51 {
		t.Errorf("correction stored as %+v", v2)
	}
}

// checkUploadTokens checks the photo uploads in log: the first
// declaration of each of the pages photos issued a token, every later one
// (after a retry or a restart) came with it and needed no new one, every
// chunk carried one and none was refused for it, and the phone keeps each
// token with its outbox item.
func checkUploadTokens(t *testing.T, p *phone, log []exchange, pages int) {
	t.Helper()
	issued, declared, patched := 0, 0, 0
	for _, e := range log {
		if e.Path == "/api/v1/photos" {
			declared++
		} else if e.Method == "PATCH" {
			patched++
		}
		switch {
		case e.Method == "POST" && e.Path == "/api/v1/photos" && e.TokenIssued:
			issued++
			if e.TokenSent {
				t.Errorf("a declaration that carried a token was issued a new one")
			}
		case e.Method == "POST" && e.Path == "/api/v1/photos" && e.Status < 300 && !e.TokenSent:
			t.Errorf("a photo was declared again without its token")
		case e.Method == "PATCH" && (!e.TokenSent || e.Status == 401 || e.Status == 403):
			t.Errorf("PATCH %s: token sent %v, status %d", e.Path, e.TokenSent, e.Status)
		}
	}
	t.Logf("%d photo pages: %d declarations, %d chunks", pages, declared, patched)
	if issued != pages {
		t.Errorf("%d upload tokens issued, want one per page (%d)", issued, pages)
	}
	var kept []string
	evalAwait(t, p.ctx, `new Promise((resolve, reject) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const get = req.result.transaction("outbox").objectStore("outbox").getAll();
			get.onsuccess = () => resolve(get.result.flatMap((it) => it.photos.map((p) => p.token || "")));
			get.onerror = () => reject(get.error);
		};
	})`, &kept)
	if len(kept) != pages || slices.Contains(kept, "") {
		t.Errorf("tokens kept in the outbox: %q, want one for each of %d pages", kept, pages)
	}
}

// damageOneChunk wraps the page's fetch so that the first photo chunk it
// sends has one byte flipped.
const damageOneChunk = `(() => {
	const send = window.fetch;
	window.fetch = async (url, init) => {
		if (!window.damagedChunk && init && init.method === "PATCH") {
			const b = new Uint8Array(await init.body.arrayBuffer());
			b[b.length >> 1] ^= 0xff;
			window.damagedChunk = String(url);
			init = {...init, body: b};
		}
		return send(url, init);
	};
})()`

// reportSubmissionBytes logs the size on the wire of the ppwp submission
// and checks the 2 KB target.
func reportSubmissionBytes(t *testing.T, log []exchange) {
	t.Helper()
	for _, e := range log {
		if e.Method == "POST" && e.Path == "/api/v1/submissions" && e.Contest == "ppwp" && e.Status == 201 {
			t.Logf("ppwp submission on the wire: %d bytes up (request line, headers, body), %d bytes down", e.ReqBytes, e.RespBytes)
			if e.ReqBytes+e.RespBytes > 2<<10 {
				t.Errorf("a ppwp submission takes %d bytes, over 2 KB", e.ReqBytes+e.RespBytes)
			}
			return
		}
	}
	t.Error("no ppwp submission was stored")
}

// TestSync2G is the same journey over a 2G link (50 kbit/s each way,
// 300 ms latency), kept to one form and one small photo.
func TestSync2G(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	tps, _ := s.regions().TPS(tpsCode)
	photo := photoFile(t, "kecil.jpg", 480, 360)

	s.stop()
	p.openForm("ppwp")
	p.fill(adminFor(tps.DPT, 208))
	p.fill(map[string]int{"form.suara.pilihan.01": 50, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 38})
	p.addPhotos(photo)
	p.send(false)
	waitFor(t, p.ctx, "a waiting item", `document.querySelectorAll('#outbox li[data-state="menunggu"]').length === 1`, 10*time.Second)

	const rate = 50_000 / 8 // bytes per second
	if _, err := chromedp.Call(p.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: 300, DownloadThroughput: rate, UploadThroughput: rate}},
	}); err != nil {
		t.Fatal(err)
	}
	before := len(s.exchanges())
	restart := time.Now()
	s.start()
	waitFor(t, p.ctx, "the receipt over 2G", `document.querySelectorAll('#outbox li[data-state="diterima"]').length === 1`, 40*time.Second)
	// The phone restarts half-way through the photo: it resumes under the
	// upload token it kept with the outbox item.
	for deadline := time.Now().Add(40 * time.Second); !slices.ContainsFunc(s.exchanges()[before:], func(e exchange) bool {
		return e.Method == "PATCH" && e.Status == 204
	}); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no photo chunk arrived over 2G")
		}
	}
	do(t, p.ctx, chromedp.Reload())
	waitFor(t, p.ctx, "the outbox after the restart", `document.querySelectorAll('#outbox li').length === 1`, 20*time.Second)
	waitFor(t, p.ctx, "the photo over 2G", `[...document.querySelectorAll('.photos-state')].every((e) => e.dataset.done === e.dataset.total)`, 40*time.Second)
	t.Logf("2G: form and photo synced %v after the server came back", time.Since(restart).Round(10*time.Millisecond))
	checkUploadTokens(t, p, s.exchanges()[before:], 1)
	vs := s.stored()
	if len(vs) != 1 {
		t.Fatalf("server holds %d versions, want 1", len(vs))
	}
	if rec, exp := s.photos(vs[0].Submission); rec != 1 || exp != 1 {
		t.Errorf("server has %d of %d photos, want 1 of 1", rec, exp)
	}
	reportSubmissionBytes(t, s.exchanges()[before:])
}
