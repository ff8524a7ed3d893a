package fieldapp_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/sms/kanneltest"
)

// deskNumber is the desk's SMS number in these tests.
const deskNumber = "+6281100112233"

// offline cuts the phone's network (requests fail, navigator.onLine is
// false) or gives it back, which fires the online event.
func (p *phone) offline(off bool) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: off, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		p.t.Fatal(err)
	}
}

// readmeShot writes a screenshot for the README at a 390×844 phone's
// screen (docs/img/NAME) when SIAGA_SCREENSHOTS=1.
func (p *phone) readmeShot(name string) {
	if os.Getenv("SIAGA_SCREENSHOTS") != "1" {
		return
	}
	shot, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "img", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// readmeSize gives the phone the README screenshots' screen.
func (p *phone) readmeSize() {
	do(p.t, p.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// composed opens the SMS screen of the only waiting item of contest and
// returns the texts the app composed, read from the page, after checking
// that each part's link opens the SMS app with that text for the desk's
// number. The links are tapped.
func (p *phone) composed(contest string) (id string, texts []string) {
	t := p.t
	sel := `#outbox li[data-contest="` + contest + `"][data-state="menunggu"] a.sms-send`
	waitFor(t, p.ctx, contest+": Kirim lewat SMS offered", `document.querySelector('`+sel+`') !== null`, 15*time.Second)
	p.eval(`document.querySelector('` + sel + `').click()`)
	waitFor(t, p.ctx, "the composed SMS", `document.querySelectorAll("#sms-screen .sms-text").length > 0`, 10*time.Second)
	var page struct {
		Texts, Links []string
		ID           string
	}
	evalAwait(t, p.ctx, `Promise.resolve({
		texts: [...document.querySelectorAll("#sms-screen .sms-text")].map((e) => e.textContent),
		links: [...document.querySelectorAll("#sms-screen a.sms-open")].map((e) => e.getAttribute("href")),
		id: location.hash.split("/")[2],
	})`, &page)
	if len(page.Links) != len(page.Texts) {
		t.Fatalf("%d texts and %d SMS links", len(page.Texts), len(page.Links))
	}
	for i, link := range page.Links {
		body, ok := strings.CutPrefix(link, "sms:"+deskNumber+"?body=")
		text, err := url.QueryUnescape(body)
		if !ok || err != nil || text != page.Texts[i] {
			t.Errorf("part %d: link %q does not open the SMS app on %s with the text %q", i+1, link, deskNumber, page.Texts[i])
		}
		if len(page.Texts[i]) > 160 {
			t.Errorf("part %d is %d characters", i+1, len(page.Texts[i]))
		}
	}
	// Tapping a link hands the text to the SMS app; headless Chromium has
	// none, and stays on the page.
	p.eval(`document.querySelectorAll("#sms-screen a.sms-open").forEach((a) => a.click())`)
	waitFor(t, p.ctx, "the taps recorded", `(async () => {
		const req = indexedDB.open("siaga-lapangan");
		const db = await new Promise((r) => (req.onsuccess = () => r(req.result)));
		const it = await new Promise((r) => { const g = db.transaction("outbox").objectStore("outbox").get(`+jsString(t, page.ID)+`); g.onsuccess = () => r(g.result); });
		return it && it.sms && it.sms.opened.length === `+fmt.Sprint(len(page.Texts))+`;
	})()`, 5*time.Second)
	return page.ID, page.Texts
}

// TestSMSFallback is a TPS with voice signal and no data: the officer
// sends two forms by SMS from the app — the texts composed and
// authenticated on the phone go through a real Kannel (fakesmsc) and are
// stored — then data comes back, the outbox sends the same forms over
// HTTP, gets the SMS's receipts, and the server holds each form once.
func TestSMSFallback(t *testing.T) {
	s := startServerWith(t, initData(t), "127.0.0.1:0", node.Config{SMSNumber: deskNumber})
	k := kanneltest.Start(t, s.url)
	p := enrolPhone(t, s)
	p.readmeSize()
	var stored struct{ Number, Secret, ID string }
	evalAwait(t, p.ctx, `new Promise((resolve) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const get = req.result.transaction("kv").objectStore("kv").get("device");
			get.onsuccess = () => resolve({number: get.result.smsNumber, secret: get.result.secret, id: get.result.id});
		};
	})`, &stored)
	if stored.Number != deskNumber || stored.Secret == "" {
		t.Fatalf("the phone keeps SMS number %q and secret %q from its enrolment, want %s and a secret", stored.Number, stored.Secret, deskNumber)
	}

	p.offline(true)
	tps, _ := s.regions().TPS(tpsCode)
	p.openForm("ppwp")
	p.fill(adminFor(tps.DPT, 208))
	// The L/P columns do not travel by SMS: the HTTP retry must not carry
	// them either, or it would not be the same submission.
	p.fill(map[string]int{"form.suara.pilihan.01": 50, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 38,
		"form.administrasi.pemilih_dpt_l": 100, "form.administrasi.pemilih_dpt_p": tps.DPT - 100})
	p.send(false)
	// DPR with votes on every candidate: several SMS.
	p.openForm("dpr")
	dpr := s.dapil(siaga.DPR)
	p.fill(adminFor(tps.DPT, 200))
	votes := map[string]int{}
	for i, c := range dpr.Candidates {
		key := fmt.Sprint(c.Party)
		votes["form.suara.partai."+key+".suara_partai"] = 2
		votes["form.suara.partai."+key+".caleg."+c.ID] = i % 7
	}
	p.fill(votes)
	p.send(true)

	ppwpID, ppwp := p.composed("ppwp")
	p.readmeShot("field-sms.png")
	if len(ppwp) != 1 || !strings.HasPrefix(ppwp[0], "SGA "+tpsCode+" P ") {
		t.Fatalf("ppwp composed as %q, want one SMS", ppwp)
	}
	p.eval(`location.hash = "#/"`)
	dprID, dprTexts := p.composed("dpr")
	if len(dprTexts) < 2 {
		t.Fatalf("dpr composed as %d SMS, want several", len(dprTexts))
	}
	p.eval(`location.hash = "#/"`)
	waitFor(t, p.ctx, "both items marked as sent by SMS",
		`[...document.querySelectorAll('#outbox li[data-sms="1"] .sms-state')].filter((e) => e.textContent.includes("Dikirim lewat SMS")).length === 2`, 10*time.Second)
	p.eval(`document.getElementById("outbox").scrollIntoView()`)
	p.readmeShot("field-sms-outbox.png")

	const from = "+6285712345678"
	if reply := k.Send(t, from, ppwp[0]); !strings.Contains(reply, "SIAGA OK tercatat") || !strings.Contains(reply, "PPWP v1 #") {
		t.Fatalf("reply to the app's ppwp SMS: %q", reply)
	}
	// Parts in any order: the last one in completes the report.
	for i := len(dprTexts) - 1; i >= 0; i-- {
		reply := k.Send(t, from, dprTexts[i])
		if done := i == 0; done != strings.Contains(reply, "SIAGA OK tercatat") {
			t.Fatalf("reply to part %d of %d: %q", i+1, len(dprTexts), reply)
		}
	}
	bySMS := map[siaga.Contest]siaga.Version{}
	for _, v := range s.stored() {
		if v.Author != "sms:"+stored.ID {
			t.Errorf("%s v%d by %s, want the phone's SMS", v.Contest, v.Number, v.Author)
		}
		bySMS[v.Contest] = v
	}
	if len(bySMS) != 2 || bySMS[siaga.PPWP].Submission != ppwpID || bySMS[siaga.DPR].Submission != dprID {
		t.Fatalf("stored after the SMS: %v; want ppwp %s and dpr %s", bySMS, ppwpID, dprID)
	}
	if _, lp := bySMS[siaga.PPWP].Form.Admin["pemilih_dpt_l"]; lp || bySMS[siaga.PPWP].Form.Votes.Options["02"] != 120 {
		t.Errorf("ppwp by SMS stored as %+v", bySMS[siaga.PPWP].Form)
	}

	// Data is back: the outbox sends both over HTTP and gets the receipts
	// of what the SMS stored.
	before := len(s.exchanges())
	p.offline(false)
	waitFor(t, p.ctx, "both receipts", `document.querySelectorAll('#outbox li[data-state="diterima"]').length === 2`, 30*time.Second)
	for _, v := range bySMS {
		waitFor(t, p.ctx, string(v.Contest)+" receipt of the SMS's version",
			`(document.querySelector('#outbox li[data-id="`+v.Submission+`"] [data-v="hash"]') || {}).textContent === "`+v.Hash[:12]+`"`, 10*time.Second)
	}
	posted := 0
	for _, e := range s.exchanges()[before:] {
		if e.Method == "POST" && e.Path == "/api/v1/submissions" {
			posted++
			if e.Status != 200 {
				t.Errorf("HTTP retry of a report sent by SMS answered %d, want 200 (the same submission)", e.Status)
			}
		}
	}
	if posted != 2 {
		t.Errorf("%d submissions posted after data came back, want 2", posted)
	}
	after := s.stored()
	if len(after) != 2 {
		t.Fatalf("server holds %d versions after SMS and HTTP, want 2 (each form once)", len(after))
	}
	for _, v := range after {
		if diff := cmp.Diff(bySMS[v.Contest].Hash, v.Hash); diff != "" {
			t.Errorf("%s changed after the HTTP retry:\n%s", v.Contest, diff)
		}
	}
}
