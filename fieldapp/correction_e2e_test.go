package fieldapp_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// TestRefusedThenCorrected: two phones of one TPS report the presidential
// count; phone B's arrives second and is refused as already recorded.
// Reopened (after a reload: the draft lives in IndexedDB) it shows B's
// numbers, the recorded version 1 beside them with every difference
// marked, and requires a reason; sent as a correction, the server holds
// version 2 with B's numbers and the reason.
func TestRefusedThenCorrected(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	tps, _ := s.regions().TPS(tpsCode)
	a := enrolPhone(t, s)
	b := enrolPhone(t, s)
	b.readmeSize()

	a.openForm("ppwp")
	a.fill(adminFor(tps.DPT, 208))
	a.fill(map[string]int{"form.suara.pilihan.01": 50, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 38})
	a.send(false)
	waitFor(t, a.ctx, "phone A's receipt", `document.querySelectorAll('#outbox li[data-state="diterima"]').length === 1`, 15*time.Second)

	// Phone B read 01 and 03 differently, and filled the L/P columns.
	typed := map[string]int{"form.suara.pilihan.01": 52, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 36,
		"form.administrasi.pemilih_dpt_l": 100, "form.administrasi.pemilih_dpt_p": tps.DPT - 100}
	b.openForm("ppwp")
	b.fill(adminFor(tps.DPT, 208))
	b.fill(typed)
	b.send(false)
	waitFor(t, b.ctx, "phone B refused", `(document.querySelector('#outbox li[data-state="ditolak"] .error') || {}).textContent?.includes("sudah tercatat (versi 1)")`, 15*time.Second)
	waitFor(t, b.ctx, "Kirim sebagai koreksi offered", `document.querySelector('#outbox li[data-state="ditolak"] a.correct') !== null`, 5*time.Second)
	b.eval(`document.getElementById("outbox").scrollIntoView()`)
	b.readmeShot("field-refused.png")

	// The phone restarts; the numbers are still there.
	do(t, b.ctx, chromedp.Reload())
	waitFor(t, b.ctx, "the outbox after a reload", `document.querySelector('#outbox li[data-state="ditolak"]') !== null`, 15*time.Second)
	b.openForm("ppwp")
	waitFor(t, b.ctx, "the version it would replace", `(document.getElementById("replaced") || {}).textContent?.includes("versi 1")`, 10*time.Second)
	for path, n := range typed {
		if got := b.value(`input[data-f="` + path + `"]`); got != strconv.Itoa(n) {
			t.Errorf("%s = %q, want %d as typed", path, got, n)
		}
	}
	var differs []string
	evalAwait(t, b.ctx, `Promise.resolve([...document.querySelectorAll("input.differs")].map((i) => i.dataset.f))`, &differs)
	slices.Sort(differs)
	want := []string{"form.administrasi.pemilih_dpt_l", "form.administrasi.pemilih_dpt_p", "form.suara.pilihan.01", "form.suara.pilihan.03"}
	if diff := cmp.Diff(want, differs); diff != "" {
		t.Errorf("inputs marked as differing from version 1 (-want +got):\n%s", diff)
	}
	if got := b.text(`#differences`); !strings.Contains(got, "4 angka berbeda dari versi 1") {
		t.Errorf("differences summary %q", got)
	}
	if got := b.text(`input[data-f="form.suara.pilihan.01"] ~ .recorded`); got != "v1: 50" {
		t.Errorf("recorded number beside 01: %q, want v1: 50", got)
	}
	b.eval(`scrollTo(0, 0)`)
	b.readmeShot("field-correction-note.png")
	b.eval(`document.querySelector('input[data-f="form.suara.pilihan.01"]').scrollIntoView({block: "center"})`)
	b.readmeShot("field-correction.png")

	// No reason, no correction.
	do(t, b.ctx, chromedp.Click(chromedp.CSS(`#send`)))
	waitFor(t, b.ctx, "a reason asked for", `document.getElementById("form-status").textContent === "Tulis alasan koreksi."`, 5*time.Second)
	const reason = "Paslon 01 dan 03 salah baca di ponsel lain"
	do(t, b.ctx, chromedp.SendKeys(chromedp.CSS(`#reason`), reason))
	b.send(false)
	waitFor(t, b.ctx, "the correction's receipt", `(document.querySelector('#outbox li[data-state="diterima"] [data-v="version"]') || {}).textContent === "2"`, 15*time.Second)
	waitFor(t, b.ctx, "the refused item settled", `document.querySelector('#outbox a.correct') === null`, 5*time.Second)

	var v2 *siaga.Version
	for _, v := range s.stored() {
		if v.Contest == siaga.PPWP && v.Number == 2 {
			v2 = &v
		}
	}
	if v2 == nil {
		t.Fatal("no version 2 stored")
	}
	if v2.Reason != reason || !strings.HasPrefix(v2.Author, "device:") {
		t.Errorf("version 2: reason %q, author %s", v2.Reason, v2.Author)
	}
	for path, n := range typed {
		var got int
		if k, ok := strings.CutPrefix(path, "form.suara.pilihan."); ok {
			got = v2.Form.Votes.Options[k]
		} else {
			got = v2.Form.Admin[strings.TrimPrefix(path, "form.administrasi.")]
		}
		if got != n {
			t.Errorf("version 2 %s = %d, want B's %d", path, got, n)
		}
	}
	// The draft is gone once the server holds the form.
	var drafts int
	evalAwait(t, b.ctx, `new Promise((resolve) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const keys = req.result.transaction("kv").objectStore("kv").getAllKeys();
			keys.onsuccess = () => resolve(keys.result.filter((k) => String(k).startsWith("draft:")).length);
		};
	})`, &drafts)
	if drafts != 0 {
		t.Errorf("%d drafts left after the correction's receipt", drafts)
	}
}

func (p *phone) text(css string) string {
	p.t.Helper()
	var s string
	evalAwait(p.t, p.ctx, `Promise.resolve((document.querySelector(`+jsString(p.t, css)+`) || {}).textContent || "")`, &s)
	return s
}
