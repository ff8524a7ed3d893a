package fieldapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/chromium"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/relay"
)

// TestRelayWithoutSignal is the relay journey through the app's screens:
// phone A, at a TPS with no signal, signs a ppwp form and shows it as QR
// codes and saves it as a file; phone B, enrolled at another TPS and with
// signal, points its camera at A's codes and forwards the form. The server
// stores it once, signed by A, and learns B carried it; the file opened
// afterwards, and the QR codes forwarded again, are harmless replays.
func TestRelayWithoutSignal(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	a := enrolPhone(t, s)
	camera := filepath.Join(t.TempDir(), "camera.y4m")
	writeCameraVideo(t, camera, nil)
	b := enrolCarrier(t, s, otherTPS(t, s), chromium.FakeCamera(camera)...)
	aDevice, bDevice := deviceID(t, a.ctx), deviceID(t, b.ctx)

	s.stop()
	tps, _ := s.regions().TPS(tpsCode)
	a.openForm("ppwp")
	a.fill(adminFor(tps.DPT, 208))
	a.fill(map[string]int{"form.suara.pilihan.01": 50, "form.suara.pilihan.02": 120, "form.suara.pilihan.03": 38})
	a.send(false)
	waitFor(t, a.ctx, "a waiting item", `document.querySelectorAll('#outbox li[data-state="menunggu"]').length === 1`, 10*time.Second)
	var item struct{ ID, Wire string }
	evalAwait(t, a.ctx, idbGet("outbox", `document.querySelector("#outbox li").dataset.id`)+`.then((it) => ({id: it.id, wire: it.wire}))`, &item)

	file := saveRelayFile(t, a, item.ID)
	images := qrImages(t, a, item.ID)
	a.screenshot("relay-qr.png")
	// A leaves: it never gets a link, so whatever reaches the server was
	// carried by B.
	if err := chromedp.Cancel(a.ctx); err != nil {
		t.Fatal(err)
	}

	s.start()
	writeCameraVideo(t, camera, images) // A's screen, held up to B's camera
	b.eval(`location.hash = "#/relay"`)
	do(t, b.ctx, chromedp.Click(chromedp.CSS(`#scan-start`), chromedp.NodeVisible))
	waitFor(t, b.ctx, "the scanned form queued", `(document.getElementById("relay-status") || {}).textContent === "1 kiriman dititipkan ke kotak keluar dan dikirim."`, 30*time.Second)
	b.screenshot("relay-scanned.png")
	b.eval(`location.hash = "#/"`)
	waitFor(t, b.ctx, "the carried form's receipt", `document.querySelector('#outbox li[data-id="`+item.ID+`"][data-state="diterima"]') !== null`, 20*time.Second)
	// Read in one script: the list may be redrawn between two CDP calls.
	waitFor(t, b.ctx, "the item marked as carried", `(document.querySelector('#outbox li[data-id="`+item.ID+`"] small') || {}).textContent?.includes("titipan perangkat lain")`, 5*time.Second)
	b.eval(`location.hash = "#/relay"`)
	do(t, b.ctx, chromedp.SetUploadFiles(chromedp.CSS(`#relay-file`), []string{file}, chromedp.NodeReady))
	waitFor(t, b.ctx, "the file recognised", `(document.getElementById("relay-status") || {}).textContent === "Kiriman ini sudah ada di kotak keluar."`, 10*time.Second)
	storedOnce(t, s, item.ID, aDevice)
	sightings := relaySightings(t, s)
	if len(sightings) != 1 {
		t.Fatalf("%d relay sightings after B forwarded the scan and opened the file, want 1: %+v", len(sightings), sightings)
	}
	if g := sightings[0]; g.Submission != item.ID || g.Device != aDevice || g.Relay != bDevice || g.Via != siaga.ViaDirect || g.Outcome != siaga.RelayStored {
		t.Errorf("sighting %+v, want %s signed by %s carried by %s, direct, stored", g, item.ID, aDevice, bDevice)
	}

	// B reads A's QR codes off the screen images with the app's own
	// decoder: the same bytes A signed, in the format the server reads.
	var chunks []string
	evalAwait(t, b.ctx, decodeImagesJS(images), &chunks)
	var json1 string
	evalAwait(t, b.ctx, relayModule+`.then((r) => r.decodeChunks(`+jsString(t, chunks)+`))`, &json1)
	if json1 != item.Wire {
		t.Fatalf("QR codes decode to\n%s\nwant A's signed submission\n%s", json1, item.Wire)
	}
	t.Logf("a ppwp submission of %d bytes is %d QR code(s), %d file bytes", len(item.Wire), len(chunks), fileSize(t, file))
	if msg, err := relay.Decode(chunks); err != nil || string(msg) != item.Wire {
		t.Fatalf("the server's decoder reads A's QR codes as %q, %v", msg, err)
	}
	// Forwarded again from the decoded codes: B's outbox already holds it.
	var added int
	evalAwait(t, b.ctx, `import(new URL("relay-ui.js", document.querySelector("script[type=module]").src).href).then((ui) => ui.forward([`+jsString(t, json1)+`]))`, &added)
	if added != 0 {
		t.Errorf("forwarding the scanned form again added %d outbox items, want 0", added)
	}
	// And forwarded as chunks, as a scanning phone without the file would.
	var answer struct {
		Results []struct {
			Submission string
			Status     int
			Receipt    siaga.Receipt
		}
	}
	evalAwait(t, b.ctx, `fetch("/api/v1/relay", {method: "POST", headers: {"Content-Type": "application/json", "X-Siaga-Relay": `+jsString(t, bDevice)+`},
		body: JSON.stringify({chunks: `+jsString(t, chunks)+`})}).then((r) => r.json())`, &answer)
	if len(answer.Results) != 1 || answer.Results[0].Status != 200 || answer.Results[0].Receipt.Version != 1 {
		t.Errorf("forwarding the QR codes answered %+v, want one replay of version 1", answer)
	}
	storedOnce(t, s, item.ID, aDevice)
	sightings = relaySightings(t, s)
	if len(sightings) != 2 || sightings[0].Via != siaga.ViaQR || sightings[0].Outcome != siaga.RelayReplay || sightings[0].Relay != bDevice {
		t.Errorf("sightings after the QR replay: %+v, want a newest qr replay by %s", sightings, bDevice)
	}
}

// relayModule imports the app's relay.js in the page, from the release
// folder app.js was loaded from.
const relayModule = `import(new URL("relay.js", document.querySelector("script[type=module]").src).href)`

// saveRelayFile presses "Simpan berkas" on A's outbox item and returns the
// path of the file Chromium downloaded.
func saveRelayFile(t *testing.T, p *phone, id string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(p.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		t.Fatal(err)
	}
	clickItemButton(t, p, id, "Simpan berkas")
	var path string
	deadline := time.Now().Add(10 * time.Second)
	for path == "" {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), "siaga-"+tpsCode+"-ppwp-") && strings.HasSuffix(e.Name(), ".json") {
				path = filepath.Join(dir, e.Name())
			}
		}
		if path == "" && time.Now().After(deadline) {
			t.Fatalf("no relay file downloaded; %d files in the download folder", len(ents))
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Relay       int `json:"siaga_relay"`
		Submissions []struct{ ID, Signature string }
	}
	if err := json.Unmarshal(b, &f); err != nil || f.Relay != 1 || len(f.Submissions) != 1 || f.Submissions[0].ID != id || f.Submissions[0].Signature == "" {
		t.Fatalf("relay file %s (%v):\n%s", filepath.Base(path), err, b)
	}
	return path
}

// qrImages presses "Tampilkan QR" and returns every code A draws, as PNG
// data URLs in chunk order.
func qrImages(t *testing.T, p *phone, id string) []string {
	t.Helper()
	clickItemButton(t, p, id, "Tampilkan QR")
	var images []string
	deadline := time.Now().Add(15 * time.Second)
	for {
		var shown struct {
			Caption, Image string
		}
		evalAwait(t, p.ctx, `({caption: document.getElementById("qr-caption").textContent, image: document.getElementById("qr").toDataURL()})`, &shown)
		var i, n int
		if _, err := fmt.Sscanf(shown.Caption, "Kode %d dari %d", &i, &n); err == nil && n > 0 {
			if images == nil {
				images = make([]string, n)
			}
			if i <= len(images) {
				images[i-1] = shown.Image
			}
			if !slices.Contains(images, "") {
				return images
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("QR codes not all drawn; caption %q", shown.Caption)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clickItemButton clicks an action of an outbox item. Clicked from
// script: the list redraws as the outbox retries.
func clickItemButton(t *testing.T, p *phone, id, label string) {
	t.Helper()
	p.eval(`[...document.querySelectorAll('#outbox li[data-id="` + id + `"] button')].find((b) => b.textContent === "` + label + `").click()`)
}

// decodeImagesJS decodes PNG data URLs with relay.js's decodeImage.
func decodeImagesJS(images []string) string {
	b, _ := json.Marshal(images)
	return relayModule + `.then((relay) => Promise.all(` + string(b) + `.map(async (src) => {
		const img = new Image();
		img.src = src;
		await img.decode();
		const c = document.createElement("canvas");
		c.width = img.width;
		c.height = img.height;
		const g = c.getContext("2d");
		g.drawImage(img, 0, 0);
		const text = await relay.decodeImage(g.getImageData(0, 0, c.width, c.height));
		if (text === null) throw new Error("no QR code in the image");
		return text;
	})))`
}

// enrolCarrier enrols a second phone, for tps, that will carry A's form.
func enrolCarrier(t *testing.T, s *server, tps string, extra ...chromedp.ExecAllocatorOption) *phone {
	t.Helper()
	codes := nodetest.Codes(t, s.n, siaga.RoleKPPS, tps)
	p := &phone{t: t, ctx: browser(t, extra...), s: s}
	do(t, p.ctx, chromedp.Navigate(auth.EnrolmentURI(codes[0], s.url+"/lapangan")), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	waitFor(t, p.ctx, "the service worker", `navigator.serviceWorker.controller !== null`, 15*time.Second)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#enrol-send`)))
	waitFor(t, p.ctx, "the contest list", `document.querySelectorAll("a.contest").length > 0`, 15*time.Second)
	return p
}

// otherTPS is a TPS of the same desa as tpsCode.
func otherTPS(t *testing.T, s *server) string {
	t.Helper()
	for _, x := range s.n.Regions.TPSOf(tpsCode[:10]) {
		if x.Code != tpsCode {
			return x.Code
		}
	}
	t.Fatalf("no other TPS in desa %s", tpsCode[:10])
	return ""
}

func deviceID(t *testing.T, ctx context.Context) string {
	t.Helper()
	var id string
	evalAwait(t, ctx, idbGet("kv", `"device"`)+`.then((d) => d.id)`, &id)
	return id
}

// idbGet is a promise of one record of the app's IndexedDB.
func idbGet(store, keyJS string) string {
	return `new Promise((resolve, reject) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const get = req.result.transaction("` + store + `").objectStore("` + store + `").get(` + keyJS + `);
			get.onsuccess = () => resolve(get.result);
			get.onerror = () => reject(get.error);
		};
		req.onerror = () => reject(req.error);
	})`
}

// storedOnce checks that the TPS has exactly one version, id, signed by
// device.
func storedOnce(t *testing.T, s *server, id, device string) {
	t.Helper()
	vs := s.stored()
	if len(vs) != 1 {
		t.Fatalf("server holds %d versions for TPS %s, want 1", len(vs), tpsCode)
	}
	if v := vs[0]; v.Submission != id || v.Number != 1 || v.Author != "device:"+device || v.Contest != siaga.PPWP {
		t.Errorf("stored %s version %d of %s by %s, want version 1 of %s by device:%s", v.Contest, v.Number, v.Submission, v.Author, id, device)
	}
}

func relaySightings(t *testing.T, s *server) []siaga.RelaySighting {
	t.Helper()
	got, err := s.n.Store.RelaySightings(context.Background(), tpsCode, 10)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func jsString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
