package http_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserIncidents runs the incident pages in Chromium on one node (on
// the real clock: the sessions must not expire in 2024, and a report's
// time defaults to now): (a) a citizen's report from /lapor reaches the
// desk's moderation queue, is rejected there as a hoax with a reason, and
// is never shown to the public; (b) a staff report is verified, assigned
// to the police, started and closed by a police officer, and its history
// shows every step with who took it.
func TestBrowserIncidents(t *testing.T) {
	n := nodetest.Open(t, nil)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	bg := context.Background()
	for _, u := range []struct {
		name  string
		role  siaga.Role
		scope string
	}{{"desk", siaga.RoleDesk, "36"}, {"polisi", siaga.RoleAparat, "3601"}} {
		if _, err := n.Auth.CreateUser(bg, u.name, u.name, staffPassword, u.role, u.scope); err != nil {
			t.Fatal(err)
		}
	}
	desa := n.Regions.Children(n.Regions.Children("3601")[0].Code)[0]
	tps := n.Regions.TPSOf(desa.Code)[0]

	logout := func(t *testing.T) {
		t.Helper()
		if eval[bool](t, ctx, `!!document.querySelector('form[action="/keluar"]')`) {
			if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
				chromedp.Evaluate[bool](`document.querySelector('form[action="/keluar"]').submit(), true`))); err != nil {
				t.Fatalf("logging out: %v", err)
			}
		}
	}
	login := func(t *testing.T, who, next string, ready string) {
		t.Helper()
		logout(t)
		do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape(next)),
			chromedp.SetValue(`input[name=username]`, who), chromedp.SetValue(`input[name=password]`, staffPassword),
			chromedp.Submit(`input[name=password]`))
		waitFor(t, ctx, ready, "after "+who+" logged in")
	}
	// submitForm submits the form css and waits for the page after it.
	submitForm := func(t *testing.T, css string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(css)+`).requestSubmit(), true`))); err != nil {
			t.Fatalf("submitting %s: %v", css, err)
		}
	}

	t.Run("moderation", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/lapor"), chromedp.WaitVisible(chromedp.CSS(`#form-lapor`)),
			chromedp.SetValue(`#form-lapor select[name=kategori]`, "hoaks"), chromedp.SetValue(`#form-lapor select[name=kabkota]`, "3601"),
			chromedp.SetValue(`#form-lapor input[name=tempat]`, desa.Code),
			chromedp.SetValue(`#form-lapor textarea[name=teks]`, "Beredar pesan surat suara sudah dicoblos "+script),
			chromedp.SetValue(`#form-lapor input[name=nama]`, "Warga "+script))
		submitForm(t, "#form-lapor")
		waitFor(t, ctx, `!!document.querySelector("#nomor-terima")`, "the receipt")
		receipt := text(t, ctx, `#nomor-terima`)
		id := strings.TrimLeft(strings.TrimPrefix(receipt, "INS-"), "0")
		if main := text(t, ctx, `main`); strings.Contains(main, "dicoblos") {
			t.Error("the receipt page shows the report back")
		}

		login(t, "desk", "/insiden/3601/moderasi", `!!document.querySelector("#m-`+id+`")`)
		if sender := text(t, ctx, `#m-`+id+` .sender`); sender == "" {
			t.Error("the queue does not show the sender")
		}
		if got := text(t, ctx, `#m-`+id+` .text`); !strings.Contains(got, script) {
			t.Errorf("the report's text %q: want the script shown as text", got)
		}
		if eval[bool](t, ctx, `!!window.__xss`) || eval[int](t, ctx, `document.querySelectorAll("main script").length`) != 0 {
			t.Error("the typed script became a script element")
		}
		do(t, ctx, chromedp.SetValue(`#m-`+id+` form.reject input[name=teks]`, "hoaks: gambar lama dari 2019"))
		submitForm(t, "#m-"+id+" form.reject")
		waitFor(t, ctx, `location.pathname === "/insiden/3601/moderasi" && !document.querySelector("#m-`+id+`")`, "the report leaving the queue")

		num, _ := strconv.ParseInt(id, 10, 64)
		in, err := n.Store.IncidentByID(bg, num)
		if err != nil || in.Status != siaga.IncidentRejected || in.Reason != "hoaks: gambar lama dari 2019" {
			t.Fatalf("stored %+v, %v: want rejected with the reason", in, err)
		}
		// The public sees none of it: not on its pages, and the list asks for a login.
		logout(t)
		for _, path := range []string{"/lapor", "/wilayah/3601", "/insiden/3601"} {
			do(t, ctx, chromedp.Navigate(base+path))
			if body := text(t, ctx, `body`); strings.Contains(body, "dicoblos") {
				t.Errorf("%s shows the rejected public report", path)
			}
		}
		if got := eval[string](t, ctx, `location.pathname`); got != "/masuk" {
			t.Errorf("the public reached %s, want the login", got)
		}
	})

	t.Run("workflow", func(t *testing.T) {
		login(t, "desk", "/insiden/3601/baru?tps="+tps.Code, `!!document.querySelector("#form-insiden")`)
		if got := eval[string](t, ctx, `document.querySelector('#form-insiden input[name=tempat]').value`); got != tps.Code {
			t.Errorf("the form's place %q, want the TPS of the link", got)
		}
		do(t, ctx, chromedp.SetValue(`#form-insiden select[name=kategori]`, "kekerasan"),
			chromedp.SetValue(`#form-insiden select[name=tingkat]`, "tinggi"),
			chromedp.SetValue(`#form-insiden input[name=judul]`, "Keributan di TPS "+script),
			chromedp.SetValue(`#form-insiden textarea[name=teks]`, "Dua kelompok saling dorong di depan TPS."))
		submitForm(t, "#form-insiden")
		status := func(want string) {
			t.Helper()
			waitFor(t, ctx, `document.querySelector("#insiden-status") && document.querySelector("#insiden-status").dataset.status === "`+want+`"`, "status "+want)
		}
		status("baru")
		incidentURL := eval[string](t, ctx, `location.pathname`)
		submitForm(t, "#form-verifikasi")
		status("terverifikasi")
		do(t, ctx, chromedp.SetValue(`#form-tugaskan select[name=instansi]`, "polri"))
		submitForm(t, "#form-tugaskan")
		status("ditugaskan")

		login(t, "polisi", incidentURL, `!!document.querySelector("#form-tangani")`)
		submitForm(t, "#form-tangani")
		status("ditangani")
		do(t, ctx, chromedp.SetValue(`#form-selesai input[name=teks]`, "Massa dibubarkan, dua orang diamankan"))
		submitForm(t, "#form-selesai")
		status("selesai")
		got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#riwayat-langkah li")).map(li => li.dataset.kind + ":" + li.querySelector(".who").textContent).join(" ")`)
		if want := "lapor:desk verifikasi:desk tugaskan:desk tangani:polisi selesai:polisi"; got != want {
			t.Errorf("history %q, want %q", got, want)
		}
		if got := text(t, ctx, `#insiden-hasil`); got != "Massa dibubarkan, dua orang diamankan" {
			t.Errorf("outcome %q", got)
		}
		if title := text(t, ctx, `h1 small`); !strings.Contains(title, script) {
			t.Errorf("title %q: want the script shown as text", title)
		}
	})
}

// waitFor polls js until it is true, or fails saying what did not come.
func waitFor(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		// A navigation between two pages loses the poll: try again.
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(5*time.Second))); err == nil {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("no %s: %v at %s: %.500s", what, err, eval[string](t, ctx, `location.href`),
				eval[string](t, ctx, `document.querySelector("main") ? document.querySelector("main").innerText : ""`))
		}
	}
}
