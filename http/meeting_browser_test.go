package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserMeeting: the desk records the meeting of two days ago with
// its participants and gives two action items, to Polri (due today) and
// to BPBD (due yesterday); Polda's account marks its item done with a
// note; the BPBD item stays open, overdue and red. The node runs on the
// real clock: a browser drops a session cookie that expired in 2024.
func TestBrowserMeeting(t *testing.T) {
	now := time.Now().In(siaga.WIB)
	day := func(d int) string { return now.AddDate(0, 0, d).Format(siaga.DueDate) }
	n := nodetest.Open(t, nil)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	bg := context.Background()
	for _, u := range []struct {
		name string
		role siaga.Role
	}{{"desk", siaga.RoleDesk}, {"polda", siaga.RoleAparat}} {
		if _, err := n.Auth.CreateUser(bg, u.name, "Akun "+u.name, "rahasia-panjang-123", u.role, "36"); err != nil {
			t.Fatal(err)
		}
	}
	login := func(user, next string) {
		do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape(next)),
			chromedp.SetValue(`input[name=username]`, user), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
			chromedp.Submit(`input[name=password]`), chromedp.WaitVisible(chromedp.CSS(`#tindak-lanjut`)))
	}
	submit := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](js))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	login("desk", "/rapat/36")
	do(t, ctx, chromedp.SetValue(`#rapat-baru [name=judul]`, "Rapat Koordinasi Desk Pemilu Banten"),
		chromedp.SetValue(`#rapat-baru [name=waktu]`, day(-2)+"T09:00"),
		chromedp.SetValue(`#rapat-baru [name=tempat]`, "Pendopo Gubernur Banten"),
		chromedp.SetValue(`#rapat-baru [name=pimpinan]`, "Pj. Gubernur Banten"),
		chromedp.SetValue(`#rapat-baru [name=peserta]`, "polri; Irjen Pol. Abdul Karim; Kapolda Banten\ntni; Brigjen TNI Rido Hermawan; Danrem 064/MY\nbpbd; Nana Suryana; Kalaksa BPBD Banten"),
		chromedp.SetValue(`#rapat-baru [name=agenda]`, "Pengamanan hari pemungutan suara"),
		chromedp.SetValue(`#rapat-baru [name=keputusan]`, "Patroli gabungan di TPS sangat rawan\nPerahu karet siaga di TPS rawan banjir"))
	submit("saving the meeting", `document.querySelector("#rapat-baru").requestSubmit(), true`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#notulen`)))
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#peserta h3")).map(h => h.textContent).join(",")`); got != "Polri,TNI,BPBD" {
		t.Errorf("participants grouped by %q, want Polri,TNI,BPBD", got)
	}
	for _, it := range []struct{ dec, text, agency, due string }{
		{"1", "Patroli gabungan Polda", "polri", day(0)},
		{"2", "Siagakan 20 perahu karet", "bpbd", day(-1)},
	} {
		do(t, ctx, chromedp.SetValue(`#tl-baru [name=keputusan]`, it.dec), chromedp.SetValue(`#tl-baru [name=uraian]`, it.text),
			chromedp.SetValue(`#tl-baru [name=instansi]`, it.agency), chromedp.SetValue(`#tl-baru [name=tenggat]`, it.due))
		submit("adding "+it.text, `document.querySelector("#tl-baru").requestSubmit(), true`)
	}
	if rows := eval[int](t, ctx, `document.querySelectorAll("#tl-rows tbody tr").length`); rows != 2 {
		t.Fatalf("the minutes list %d action items, want 2", rows)
	}
	meetingURL := eval[string](t, ctx, `location.pathname`)

	// Polda: out, and in as Polda, who marks its own item done.
	submit("logging out", `document.querySelector('form[action="/keluar"]').requestSubmit(), true`)
	login("polda", "/rapat/36")
	if n := eval[int](t, ctx, `document.querySelectorAll('#tl-rows tr[data-agency="bpbd"] form').length`); n != 0 {
		t.Error("Polda is offered a form on BPBD's item")
	}
	do(t, ctx, chromedp.SetValue(`#tl-rows tr[data-agency="polri"] input[name=catatan]`, "Patroli digelar di 12 TPS sangat rawan"))
	submit("marking done", `document.querySelector('#tl-rows tr[data-agency="polri"] button[value=selesai]').click(), true`)
	do(t, ctx, chromedp.Navigate(base+meetingURL), chromedp.WaitVisible(chromedp.CSS(`#tl-rows`)))
	if got := text(t, ctx, `#tl-rows tr[data-agency="polri"] .status`); got != "selesai" {
		t.Errorf("Polri's item is %q, want selesai", got)
	}
	if got := text(t, ctx, `#tl-rows tr[data-agency="polri"]`); !strings.Contains(got, "Patroli digelar di 12 TPS sangat rawan") || !strings.Contains(got, "Akun polda") {
		t.Errorf("Polri's item shows %q: want the note and who", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#tl-rows tr[data-agency="polri"]').className`); got != "" {
		t.Errorf("Polri's item (due today, done) is highlighted %q", got)
	}
	if got := text(t, ctx, `#tl-rows tr[data-agency="bpbd"] .badge.late`); got != "lewat 1 hari" {
		t.Errorf("BPBD's overdue badge %q, want lewat 1 hari", got)
	}
	bg2 := eval[string](t, ctx, `getComputedStyle(document.querySelector('#tl-rows tr[data-agency="bpbd"] td')).backgroundColor`)
	if bg2 == "" || bg2 == "rgba(0, 0, 0, 0)" || bg2 == "rgb(255, 255, 255)" {
		t.Errorf("BPBD's overdue row has background %q, want red", bg2)
	}
	// The region's list shows the overdue item too, and only it is open.
	do(t, ctx, chromedp.Navigate(base+"/rapat/36"), chromedp.WaitVisible(chromedp.CSS(`#tl-count`)))
	if got := eval[string](t, ctx, `document.querySelector("#tl-count b").dataset.total`); got != "1" {
		t.Errorf("open items of Banten: %s, want 1", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#tl-rows tr.late[data-agency="bpbd"]').length`); n != 1 {
		t.Error("the meetings page does not highlight BPBD's overdue item")
	}
}
