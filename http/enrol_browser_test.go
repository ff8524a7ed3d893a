package http_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/enrolsheet/sheettest"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserEnrolmentSheet is the whole path of a phone's enrolment: an
// operator logs in and prints a desa's sheet from /pendaftaran; the PDF
// has one page for the one PPS; each QR code on the page, read by zbarimg
// at a printer's 150 dpi, opens the field app; a second browser (the
// phone) opens one and enrols with the code already filled in; the
// operator then sees that phone on /perangkat under its TPS.
func TestBrowserEnrolmentSheet(t *testing.T) {
	sheettest.Need(t)
	n := newNode(t)
	base := nodetest.Serve(t, n)
	desa, kec := smallDesa(t, n)
	tps := n.Regions.TPSOf(desa.Code)
	ops := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "ppk", "Operator PPK", "rahasia-panjang-123", siaga.RolePPK, kec.Code); err != nil {
		t.Fatal(err)
	}
	do(t, ops, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/pendaftaran")),
		chromedp.SetValue(`input[name=username]`, "ppk"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#enrol-form`)),
		chromedp.SetValue(`#wilayah`, desa.Code))
	// The form as the browser would send it (its session, its CSRF
	// token), with the PDF kept rather than handed to a download prompt.
	pdf64 := evalAwait[string](t, ops, `(async () => {
		const f = document.getElementById("enrol-form");
		const res = await fetch(f.action, {method: "POST", body: new URLSearchParams(new FormData(f))});
		if (!res.ok || res.headers.get("Content-Type") !== "application/pdf") return "status " + res.status;
		const b = new Uint8Array(await res.arrayBuffer());
		let s = ""; for (const c of b) s += String.fromCharCode(c);
		return btoa(s);
	})()`)
	pdf, err := base64.StdEncoding.DecodeString(pdf64)
	if err != nil {
		t.Fatalf("no PDF from the page: %.100s", pdf64)
	}
	pages := sheettest.Pages(t, pdf, 150)
	if len(pages) != 1 {
		t.Fatalf("the sheet of one desa has %d pages, want 1 (one per PPS)", len(pages))
	}
	urls := sheettest.QR(t, pages[0])
	if len(urls) != len(tps) {
		t.Fatalf("zbarimg read %d QR codes, want one per TPS (%d): %q", len(urls), len(tps), urls)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, base+"/lapangan/#daftar=") {
			t.Fatalf("QR code %q does not open this server's field app", u)
		}
	}

	// The phone: another browser, with its own profile.
	phone := browser(t)
	do(t, phone, chromedp.Navigate(urls[0]), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	code := strings.TrimPrefix(urls[0], base+"/lapangan/#daftar=")
	if got := strings.ReplaceAll(eval[string](t, phone, `document.getElementById("code").value`), "-", ""); got != code {
		t.Errorf("the field app's code field holds %q, want %q from the QR code", got, code)
	}
	do(t, phone, chromedp.Click(chromedp.CSS(`#enrol-send`)))
	enrolled := evalAwait[string](t, phone, `(async () => {
		for (let i = 0; i < 150; i++) {
			if (document.querySelectorAll("a.contest").length > 0) return "ok";
			const s = document.getElementById("enrol-status");
			if (s && s.textContent && s.textContent !== "Mendaftarkan…") return s.textContent;
			await new Promise((r) => setTimeout(r, 100));
		}
		return "timed out";
	})()`)
	if enrolled != "ok" {
		t.Fatalf("the phone did not enrol: %s", enrolled)
	}

	// Which TPS? The one whose row on /perangkat now has a working device.
	do(t, ops, chromedp.Navigate(base+"/perangkat?status=aktif&wilayah="+desa.Code), chromedp.WaitVisible(chromedp.CSS(`#device-count`)))
	rows := eval[[]string](t, ops, `[...document.querySelectorAll("#devices tbody tr")].map((tr) => tr.dataset.tps + " " + tr.dataset.device)`)
	devices, err := n.Store.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 1 || len(rows) != 1 || rows[0] != devices[0].TPS+" "+devices[0].ID {
		t.Fatalf("/perangkat lists %q; the store holds %+v", rows, devices)
	}
	if siaga.ParentCode(devices[0].TPS) != desa.Code || devices[0].Role != siaga.RoleKPPS {
		t.Errorf("enrolled %+v, want a kpps phone of desa %s", devices[0], desa.Code)
	}
}

// evalAwait is eval of an expression whose value is a promise.
func evalAwait[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}
