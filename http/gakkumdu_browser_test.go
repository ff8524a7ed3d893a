package http_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestBrowserGakkumdu is the flow in a browser: Bawaslu of
// Pandeglang opens a case from a money-politics incident of the quiet
// days, moves it to the police's investigation with the forwarding letter
// as PDF, and sees the new clock; in the list a case whose review ran out
// is highlighted as overdue.
func TestBrowserGakkumdu(t *testing.T) {
	// The real clock: the session cookie's expiry is read by the browser
	// against its own clock. The clocks expected are computed from it.
	n := nodetest.Open(t, nil)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	bg := context.Background()
	const password = "rahasia-panjang-123"
	u, err := n.Auth.CreateUser(bg, "bawaslu.pdg", "Bawaslu Pandeglang", password, siaga.RoleBawaslu, "3601")
	if err != nil {
		t.Fatal(err)
	}
	w := &gakkumduWorld{n: n}
	now := time.Now()
	inc := w.incident(t, "3601012001", "Bagi-bagi amplop di masa tenang", now.Add(-time.Minute))
	old := w.incident(t, "3601012002", "Kepala desa mengarahkan pemilih", now.AddDate(0, 0, -11))
	late, err := n.Gakkumdu.Open(bg, u, gakkumdu.OpenInput{Incident: old})
	if err != nil {
		t.Fatal(err)
	}
	letter := filepath.Join(t.TempDir(), "surat-penerusan.pdf")
	if err := os.WriteFile(letter, gakkumduPDF, 0o600); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape(fmt.Sprintf("/gakkumdu/3601/baru?insiden=%d", inc))),
		chromedp.SetValue(`input[name=username]`, "bawaslu.pdg"), chromedp.SetValue(`input[name=password]`, password),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#gakkumdu-open`)),
		chromedp.SetValue(`#gakkumdu-open input[name=pasal]`, "Pasal 523 ayat (2)"),
		chromedp.Submit(`#gakkumdu-open input[name=pasal]`),
		chromedp.WaitVisible(chromedp.CSS(`#perkara-tahap[data-stage=kajian]`)))
	opened, err := n.Store.Cases(bg, siaga.CaseFilter{Incident: inc})
	if err != nil || len(opened) != 1 {
		t.Fatalf("cases of incident %d: %v %v", inc, opened, err)
	}
	if got, want := text(t, ctx, `#perkara-jam`), gakkumdu.ClockOf(&opened[0], time.Now()).Text(); got != want || !strings.HasPrefix(got, "sisa") {
		t.Errorf("clock of the new case: %q, want %q", got, want)
	}

	do(t, ctx, chromedp.SetUploadFiles(`#perkara-lanjut input[name=dokumen]`, []string{letter}),
		chromedp.SetValue(`#perkara-lanjut select[name=tahap]`, "penyidikan"),
		chromedp.Submit(`#perkara-lanjut select[name=tahap]`),
		chromedp.WaitVisible(chromedp.CSS(`#perkara-tahap[data-stage=penyidikan]`)))
	if got := text(t, ctx, `#perkara-jam`); got != "sisa 14 hari" && got != "sisa 13 hari" { // 13: moved on in the minute before midnight WIB
		t.Errorf("clock of the investigation: %q", got)
	}
	if got := text(t, ctx, `#perkara-dokumen`); !strings.Contains(got, "surat-penerusan.pdf") || !strings.Contains(got, "penyidikan") {
		t.Errorf("documents: %q", got)
	}
	if eval[bool](t, ctx, `!!document.querySelector('#perkara-lanjut')`) {
		t.Error("Bawaslu is offered the form of the police's stage")
	}

	do(t, ctx, chromedp.Click(`nav.nav a[href="/gakkumdu/3601"]`),
		chromedp.WaitVisible(chromedp.CSS(`#gakkumdu-rows`)))
	row := fmt.Sprintf(`#gakkumdu-rows tr[data-case="%d"]`, late.ID)
	if !eval[bool](t, ctx, `document.querySelector('`+row+`').classList.contains('late')`) {
		t.Error("the overdue case is not highlighted")
	}
	if got := text(t, ctx, row+` .clock .badge`); got != "lewat 4 hari" {
		t.Errorf("overdue clock: %q", got)
	}
	// Highlighted means it looks different from a running case's row.
	bg1 := eval[string](t, ctx, `getComputedStyle(document.querySelector('`+row+` td')).backgroundColor`)
	bg2 := eval[string](t, ctx, `getComputedStyle(document.querySelector('#gakkumdu-rows tr:not(.late) td')).backgroundColor`)
	if bg1 == bg2 {
		t.Errorf("overdue row background %s, same as a running case's", bg1)
	}
	if got := text(t, ctx, `#gakkumdu-count`); !strings.Contains(got, "1–2 dari 2 perkara") {
		t.Errorf("count: %q", got)
	}
}
