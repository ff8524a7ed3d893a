package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// The shipment pages on a real node (SQLite, the Banten registry and
// election): Kab. Serang's warehouse sends PPK Tirtayasa its kit by truck
// with a Polres escort, and PPK Tirtayasa sends Desa Wargasara (Pulau
// Tunda) its kit by boat from Karangantu, unescorted by land.
const (
	lgKab    = "3604"       // Kabupaten Serang
	lgPPK    = "360413"     // Tirtayasa
	lgIsland = "3604132009" // Wargasara: Pulau Tunda
	lgOther  = "3602"       // Kabupaten Lebak: out of scope
)

// lgWorld is a node with the two shipments.
type lgWorld struct {
	n           *node.Node
	truck, boat siaga.Shipment
}

func newLogistics(t *testing.T) *lgWorld {
	t.Helper()
	n := newNode(t)
	w := &lgWorld{n: n}
	logisticsSetup(t, n, lgKab)
	page, _, err := n.Shipments.List(context.Background(), siaga.ShipmentFilter{Region: lgKab})
	must(t, err)
	for _, sh := range page {
		switch sh.Mode {
		case siaga.ModeTruck:
			w.truck = sh
		case siaga.ModeBoat:
			w.boat = sh
		}
	}
	if w.truck.ID == "" || w.boat.ID == "" {
		t.Fatalf("setup made %d shipments, want a truck and a boat", len(page))
	}
	return w
}

// logisticsSetup gives region's tables rows: a truck leg from the
// region's warehouse to its first kecamatan (escorted), and a boat leg
// from that PPK to its first desa (not escorted), with a hold alert from
// weather. For TestXLSXReadBack too.
func logisticsSetup(t testing.TB, n *node.Node, region string) {
	t.Helper()
	ctx := context.Background()
	ppk := n.Regions.Children(region)[0].Code
	desa := n.Regions.Children(ppk)[0].Code
	if region == lgKab {
		ppk, desa = lgPPK, lgIsland
	}
	at := time.Date(2024, 2, 11, 7, 0, 0, 0, siaga.WIB)
	_, err := n.Shipments.Create(ctx, siaga.Shipment{Waybill: "SJ/" + region + "/0001", From: region, To: ppk, Mode: siaga.ModeTruck,
		Escort: "Polres Serang", EscortContact: "0812-1111-2222", PlannedDeparture: at.Add(-72 * time.Hour),
		Lines: []siaga.Line{{Item: siaga.ItemBallotDPRDProv, Qty: 3000}, {Item: siaga.ItemBox, Qty: 60}}}, "user:lg")
	must(t, err)
	boat, err := n.Shipments.Create(ctx, siaga.Shipment{Waybill: "SJ/" + ppk + "/0007", From: ppk, To: desa, Mode: siaga.ModeBoat,
		Sea:              &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120, EscortBoat: "Kapal Ditpolairud"},
		PlannedDeparture: at, Lines: []siaga.Line{{Item: siaga.ItemBox, Qty: 20}, {Item: siaga.ItemBooth, Qty: 16}}}, "user:lg")
	must(t, err)
	next := at.Add(24 * time.Hour)
	_, err = n.Shipments.Record(ctx, siaga.ShipmentEvent{ID: "hold-" + region, Shipment: boat.ID, Kind: siaga.EventHeld, At: at,
		Place: "Pelabuhan Karangantu", Reason: "gelombang 2,5 m", NewDeparture: &next, Source: "web", By: "user:lg"})
	must(t, err)
}

// multipartForm posts fields and files (field name → PNGs) as s.
func (s session) multipartForm(t testing.TB, n *node.Node, path string, fields map[string]string, photos [][]byte) (int, string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", s.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for i, p := range photos {
		fw, _ := mw.CreateFormFile("photos", fmt.Sprintf("foto-%d.png", i))
		_, _ = fw.Write(p)
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "siaga_session", Value: s.cookie})
	res := httptest.NewRecorder()
	n.Handler.ServeHTTP(res, req)
	return res.Code, res.Body.String(), res.Header().Get("Location")
}

// tinyPNG is a real PNG of a few bytes.
func tinyPNG(t testing.TB, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, c)
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

func shipURL(sh siaga.Shipment) string { return "/logistik/" + sh.To + "/kiriman/" + sh.ID }

// TestShipmentPagesAccess: nothing of logistics is public; the logistics
// roles and Bawaslu read in their scope and are refused outside it; a
// shipment is found only under a region holding its destination; an
// escort (aparat) records events on an escorted leg only and creates
// nothing.
func TestShipmentPagesAccess(t *testing.T) {
	w := newLogistics(t)
	n := w.n
	lg := loginAs(t, n, "lg.serang", siaga.RoleLogistik, lgKab, "")
	bawaslu := loginAs(t, n, "bawaslu.serang", siaga.RoleBawaslu, lgKab, "")
	lebak := loginAs(t, n, "lg.lebak", siaga.RoleLogistik, lgOther, "")
	ppk := loginAs(t, n, "ppk.tirtayasa", siaga.RolePPK, lgPPK, "")
	aparat := loginAs(t, n, "polres.serang", siaga.RoleAparat, lgKab, "")
	anon := session{}
	for _, tc := range []struct {
		name string
		who  session
		path string
		want int
		has  string
	}{
		{"list", lg, "/logistik/" + lgKab + "/kiriman", 200, w.truck.Waybill},
		{"list bawaslu", bawaslu, "/logistik/" + lgKab + "/kiriman", 200, w.boat.Waybill},
		{"list aparat", aparat, "/logistik/" + lgKab + "/kiriman", 200, w.truck.Waybill},
		{"list out of scope", lebak, "/logistik/" + lgKab + "/kiriman", 403, ""},
		{"list public", anon, "/logistik/" + lgKab + "/kiriman", 303, ""},
		{"csv public", anon, "/logistik/" + lgKab + "/kiriman.csv", 401, ""},
		{"shipment", lg, shipURL(w.truck), 200, "Polres Serang"},
		{"shipment under its PPK", ppk, shipURL(w.truck), 200, w.truck.Waybill},
		{"shipment above the PPK's scope", ppk, "/logistik/" + lgKab + "/kiriman/" + w.truck.ID, 403, ""},
		{"shipment out of scope", lebak, shipURL(w.truck), 403, ""},
		{"shipment under another region", lebak, "/logistik/" + lgOther + "/kiriman/" + w.truck.ID, 404, ""},
		{"shipment public", anon, shipURL(w.truck), 303, ""},
		{"waybill pdf public", anon, shipURL(w.truck) + "/surat-jalan.pdf", 401, ""},
		{"waybill pdf out of scope", lebak, shipURL(w.truck) + "/surat-jalan.pdf", 403, ""},
		{"new form aparat", aparat, "/logistik/" + lgKab + "/kiriman/baru", 403, ""},
		{"new form", lg, "/logistik/" + lgKab + "/kiriman/baru", 200, `name="lines[0].dapil"`},
		{"alerts", bawaslu, "/logistik/" + lgPPK + "/peringatan", 200, "gelombang 2,5 m"},
		{"alerts out of scope", lebak, "/logistik/" + lgPPK + "/peringatan", 403, ""},
		{"alerts public", anon, "/logistik/" + lgPPK + "/peringatan", 303, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var code int
			var body string
			if tc.who.cookie == "" {
				res, b := get(t, n.Handler, tc.path)
				code, body = res.StatusCode, b
			} else {
				code, body = tc.who.page(t, n, tc.path)
			}
			if code != tc.want {
				t.Fatalf("GET %s: %d, want %d\n%.400s", tc.path, code, tc.want, body)
			}
			if tc.has != "" && !strings.Contains(body, tc.has) {
				t.Errorf("GET %s lacks %q", tc.path, tc.has)
			}
			if code == 200 && strings.HasSuffix(tc.path, "/kiriman") && tc.who.user.Role == siaga.RoleAparat &&
				strings.Contains(body, `id="kiriman-baru"`) {
				t.Error("the list offers aparat the new shipment form")
			}
		})
	}

	// aparat: an event on the escorted truck leg, none on the boat leg
	// (no escort), no shipment of their own.
	event := url.Values{"kind": {"berangkat"}, "at": {"2024-02-08T07:00"}, "place": {"Gudang KPU Kab. Serang"}, "id": {"ev-aparat-1"}}
	code, body, loc := aparat.postForm(t, n, shipURL(w.truck)+"/peristiwa", event)
	if code != http.StatusSeeOther || loc != shipURL(w.truck)+"#linimasa" {
		t.Fatalf("aparat's event on the escorted leg: %d %s\n%.400s", code, loc, body)
	}
	_, page := aparat.page(t, n, shipURL(w.truck))
	mustContain(t, "the truck's page", page, `data-kind="berangkat"`, "Gudang KPU Kab. Serang", "polres.serang")
	event.Set("id", "ev-aparat-2")
	if code, body, _ := aparat.postForm(t, n, shipURL(w.boat)+"/peristiwa", event); code != http.StatusForbidden {
		t.Errorf("aparat's event on an unescorted leg: %d, want 403\n%.300s", code, body)
	}
	if code, _, _ := aparat.postForm(t, n, "/logistik/"+lgKab+"/kiriman", url.Values{"from": {lgKab}}); code != http.StatusForbidden {
		t.Errorf("aparat creating a shipment: %d, want 403", code)
	}
	if strings.Contains(page, `id="bttb-form"`) {
		t.Error("aparat is offered the BTTB form")
	}
}

// TestShipmentFormErrors: the new shipment form re-renders with the field
// named and the row marked: a DPRD Provinsi lot of another dapil on the
// third row (the second left empty), everything typed kept; a good form
// makes the shipment and goes to its page.
func TestShipmentFormErrors(t *testing.T) {
	w := newLogistics(t)
	n := w.n
	lg := loginAs(t, n, "lg.serang", siaga.RoleLogistik, lgKab, "")
	dest := n.Regions.Children(lgKab)[0].Code
	form := url.Values{"waybill": {"SJ/3604/0099"}, "from": {lgKab}, "to": {dest}, "mode": {"truk"}, "escort": {"Kodim 0602"},
		"lines[0].item": {"kotak_suara"}, "lines[0].qty": {"40"},
		"lines[2].item": {"surat_suara_dprd_prov"}, "lines[2].dapil": {"DAPIL LAIN"}, "lines[2].qty": {"900"}}
	code, body, _ := lg.postForm(t, n, "/logistik/"+lgKab+"/kiriman", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("wrong dapil: %d, want 422\n%.400s", code, body)
	}
	mustContain(t, "the form after the error", body, `data-field="lines[2].dapil"`, "kolom lines[2].dapil", `id="line-2" class="invalid"`,
		`name="lines[2].dapil" value="DAPIL LAIN"`, `value="Kodim 0602"`, `value="SJ/3604/0099"`)
	if strings.Contains(body, `id="line-0" class="invalid"`) {
		t.Error("the first row is marked too")
	}
	// Not a number: named before the service sees it.
	form.Set("lines[0].qty", "empat puluh")
	if _, body, _ := lg.postForm(t, n, "/logistik/"+lgKab+"/kiriman", form); !strings.Contains(body, `data-field="lines[0].qty"`) {
		t.Errorf("a quantity in words is not named:\n%.400s", body)
	}
	form.Set("lines[0].qty", "40")
	form.Del("lines[2].dapil") // the destination's dapil
	code, body, loc := lg.postForm(t, n, "/logistik/"+lgKab+"/kiriman", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/logistik/"+dest+"/kiriman/") {
		t.Fatalf("good form: %d %s\n%.400s", code, loc, body)
	}
	_, page := lg.page(t, n, loc)
	mustContain(t, "the new shipment", page, "SJ/3604/0099", "Kodim 0602", "Surat suara DPRD Provinsi", "Kotak suara")
	// Sent from outside the path's region.
	form.Set("waybill", "SJ/3604/0100")
	form.Set("from", "3602")
	if _, body, _ := lg.postForm(t, n, "/logistik/"+lgKab+"/kiriman", form); !strings.Contains(body, `data-field="from"`) {
		t.Errorf("a shipment from outside the region is not refused on its field:\n%.400s", body)
	}
}

// TestBTTBShortDelivery: the PPK counts the truck's delivery through the
// page, 40 DPRD Provinsi ballots short and 10 damaged, with two photos:
// the page marks the line, shows the alert's effect and links the
// follow-up (and the follow-up links back); the kab's alert list shows
// the discrepancy, marked handled by Bawaslu; the photos are served as
// stored, only under their shipment; the BTTB PDF names the receiver and
// the short line, the waybill PDF the waybill, on one A4 page.
func TestBTTBShortDelivery(t *testing.T) {
	w := newLogistics(t)
	n := w.n
	ppk := loginAs(t, n, "ppk.tirtayasa", siaga.RolePPK, lgPPK, "")
	bawaslu := loginAs(t, n, "bawaslu.serang", siaga.RoleBawaslu, lgKab, "")
	url0 := shipURL(w.truck)
	_, page := ppk.page(t, n, url0)
	mustContain(t, "the truck's page before delivery", page, `id="bttb-form"`, `name="lines[0].counted" value="3000"`, `enctype="multipart/form-data"`)
	id := regexp.MustCompile(`name="id" value="([0-9a-f]{32})"`).FindAllStringSubmatch(page, -1)
	if len(id) != 2 {
		t.Fatalf("the page has %d form ids, want 2 (event, BTTB)", len(id))
	}
	fields := map[string]string{"id": id[1][1], "receiver": "Siti <b>Rahmawati</b>", "received_at": "2024-02-09T10:30",
		"lines[0].counted": "2950", "lines[0].damaged": "10", "lines[0].wrong_dapil": "0",
		"lines[1].counted": "60", "lines[1].damaged": "0", "lines[1].wrong_dapil": "0", "note": "dua dus basah"}
	photos := [][]byte{tinyPNG(t, color.White), tinyPNG(t, color.Black)}

	// A form error first: a count in words, named, the counts kept.
	bad := map[string]string{}
	for k, v := range fields {
		bad[k] = v
	}
	bad["lines[1].damaged"] = "dua"
	code, body, _ := ppk.multipartForm(t, n, url0+"/bttb", bad, nil)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("BTTB with a count in words: %d\n%.400s", code, body)
	}
	mustContain(t, "the BTTB form after the error", body, `data-field="lines[1].damaged"`, `id="bttb-line-1" class="invalid"`,
		`name="lines[0].counted" value="2950"`)

	code, body, loc := ppk.multipartForm(t, n, url0+"/bttb", fields, photos)
	if code != http.StatusSeeOther || loc != url0+"#bttb" {
		t.Fatalf("BTTB: %d %s\n%.400s", code, loc, body)
	}
	// The same form again (a double click) is the same delivery.
	if code, body, _ := ppk.multipartForm(t, n, url0+"/bttb", fields, photos); code != http.StatusSeeOther && code != http.StatusNotFound {
		t.Errorf("the same BTTB again: %d\n%.300s", code, body)
	}
	_, page = ppk.page(t, n, url0)
	mustContain(t, "the delivered truck's page", page, `id="discrepancy"`, `class="discrepant" data-discrepant`,
		"Siti &lt;b&gt;Rahmawati&lt;/b&gt;", `id="follow-ups"`, w.truck.Waybill+"-S1", "dua dus basah")
	if strings.Contains(page, `id="bttb-form"`) {
		t.Error("the BTTB form is still offered after delivery")
	}
	follow := regexp.MustCompile(`<a href="(/logistik/\d+/kiriman/[^"]+)">` + regexp.QuoteMeta(w.truck.Waybill) + `-S1</a>`).FindStringSubmatch(page)
	if follow == nil {
		t.Fatalf("no link to the follow-up:\n%s", page)
	}
	_, fpage := ppk.page(t, n, follow[1])
	mustContain(t, "the follow-up's page", fpage, `id="origin"`, `href="`+url0+`"`, "50") // 40 short + 10 damaged
	shas := regexp.MustCompile(`/foto/([0-9a-f]{64})"`).FindAllStringSubmatch(page, -1)
	if len(shas) < 2 {
		t.Fatalf("%d photo links on the page, want 2", len(shas))
	}
	res := ppk.do(t, n, "GET", url0+"/foto/"+shas[0][1], nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("photo: %d %s", res.StatusCode, res.Header)
	}
	if res := ppk.do(t, n, "GET", shipURL(w.boat)+"/foto/"+shas[0][1], nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the photo under another shipment: %d, want 404", res.StatusCode)
	}

	// The alert goes to the sender, Kab. Serang; Bawaslu marks it handled.
	_, alerts := bawaslu.page(t, n, "/logistik/"+lgKab+"/peringatan?jenis=selisih")
	mustContain(t, "the kab's discrepancy alerts", alerts, `data-kind="selisih"`, `href="/logistik/`+lgKab+`/kiriman/`+w.truck.ID+`"`)
	ack := regexp.MustCompile(`action="(/logistik/` + lgKab + `/peringatan/(\d+)/tandai)"`).FindStringSubmatch(alerts)
	if ack == nil {
		t.Fatalf("no acknowledge form:\n%s", alerts)
	}
	lebak := loginAs(t, n, "bawaslu.lebak", siaga.RoleBawaslu, lgOther, "")
	if code, _, _ := lebak.postForm(t, n, "/logistik/"+lgOther+"/peringatan/"+ack[2]+"/tandai", url.Values{}); code != http.StatusNotFound {
		t.Errorf("acknowledging another region's alert: %d, want 404", code)
	}
	code, _, loc = bawaslu.postForm(t, n, ack[1], url.Values{"kembali_ke": {"jenis=selisih"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/logistik/"+lgKab+"/peringatan?jenis=selisih") {
		t.Fatalf("acknowledge: %d %s", code, loc)
	}
	_, alerts = bawaslu.page(t, n, "/logistik/"+lgKab+"/peringatan?jenis=selisih")
	if total(t, alerts) != 0 {
		t.Error("the handled alert is still open")
	}
	_, alerts = bawaslu.page(t, n, "/logistik/"+lgKab+"/peringatan?jenis=selisih&status=semua")
	mustContain(t, "every alert", alerts, "bawaslu.serang")

	// The PDFs.
	res = ppk.do(t, n, "GET", url0+"/bttb.pdf", nil)
	pdf := readAll(t, res)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("bttb.pdf: %d %s", res.StatusCode, res.Header)
	}
	checkPDFLayout(t, pdf, 1, w.truck.Waybill, "Siti <b>Rahmawati</b>", "Surat suara DPRD Provinsi", w.truck.Waybill+"-S1")
	checkPDFLayout(t, pdf, 1, `3000\s+2950\s+10\s+0\s+40`)
	res = ppk.do(t, n, "GET", url0+"/surat-jalan.pdf", nil)
	checkPDFLayout(t, readAll(t, res), 1, "SURAT JALAN", w.truck.Waybill, "Polres Serang", "Kotak suara", "biru")
}

// checkPDFLayout reads pdf with pdftotext -layout and pdfinfo
// (poppler-utils): it has pages A4 pages and matches every pattern.
// Skipped without them, failed without them under SIAGA_REQUIRE_E2E=1.
func checkPDFLayout(t *testing.T, pdf string, pages int, patterns ...string) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				t.Fatalf("%s not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1", tool)
			}
			t.Skipf("%s not installed (Debian: poppler-utils)", tool)
		}
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	must(t, os.WriteFile(file, []byte(pdf), 0o600))
	out, err := exec.Command("pdftotext", "-layout", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, p := range patterns {
		if !regexp.MustCompile(regexp.QuoteMeta(p)).Match(out) && !regexp.MustCompile(p).Match(out) {
			t.Errorf("the PDF lacks %q:\n%s", p, out)
		}
	}
	info, err := exec.Command("pdfinfo", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	if !regexp.MustCompile(fmt.Sprintf(`Pages:\s+%d\n`, pages)).Match(info) || !strings.Contains(string(info), "(A4)") {
		t.Errorf("pdfinfo: want %d A4 page(s):\n%s", pages, info)
	}
}

// TestShipmentListFilters: the list's filters (sea only, mode, late,
// status, item, waybill search) select in the store, "N–M dari T" pages
// through 55 shipments, and the CSV holds every match of the filter.
func TestShipmentListFilters(t *testing.T) {
	w := newLogistics(t)
	n := w.n
	ctx := context.Background()
	desas := n.Regions.Children(lgPPK)
	for i := range 53 {
		d := desas[i%len(desas)]
		tps := n.Regions.TPSOf(d.Code)
		_, err := n.Shipments.Create(ctx, siaga.Shipment{Waybill: fmt.Sprintf("SJ/TPS/%03d", i), From: d.Code, To: tps[i%len(tps)].Code,
			Mode: siaga.ModeMotorbike, Lines: []siaga.Line{{Item: siaga.ItemInk, Qty: 2}}}, "user:lg")
		must(t, err)
	}
	lg := loginAs(t, n, "lg.serang", siaga.RoleLogistik, lgKab, "")
	base := "/logistik/" + lgKab + "/kiriman"
	for _, tc := range []struct {
		query string
		total int
		has   []string
	}{
		{"", 55, []string{"Menampilkan 1–50 dari", `id="kiriman-next"`}},
		{"?laut=1", 1, []string{w.boat.Waybill, "KM Tunda Ekspress"}},
		{"?moda=truk", 1, []string{w.truck.Waybill}},
		{"?status=tertahan", 1, []string{w.boat.Waybill}},
		{"?barang=tinta", 53, nil},
		{"?cari=sj%2Ftps%2F04", 10, []string{"SJ/TPS/040"}},
		// The truck was planned to arrive on 8 February, the boat (held)
		// on the 12th: both late on the 13th, by the node's clock in 2024
		// or any later day.
		{"?terlambat=1&moda=truk", 1, []string{w.truck.Waybill, "data-late"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			code, body := lg.page(t, n, base+tc.query)
			if code != 200 {
				t.Fatalf("%d\n%.300s", code, body)
			}
			if got := total(t, body); got != tc.total {
				t.Errorf("total %d, want %d", got, tc.total)
			}
			mustContain(t, base+tc.query, body, tc.has...)
		})
	}
	_, first := lg.page(t, n, base)
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first)
	if next == nil {
		t.Fatal("no next page")
	}
	_, second := lg.page(t, n, strings.ReplaceAll(next[1], "&amp;", "&"))
	mustContain(t, "the second page", second, "Menampilkan 51–55 dari", `rel="prev"`)
	if strings.Contains(second, `rel="next"`) {
		t.Error("the last page links a next one")
	}
	if code, body := lg.page(t, n, base+"?moda=pesawat"); code != http.StatusBadRequest {
		t.Errorf("unknown mode: %d\n%.200s", code, body)
	}
	res := lg.do(t, n, "GET", base+".csv?barang=tinta", nil)
	recs, err := csv.NewReader(res.Body).ReadAll()
	must(t, err)
	if len(recs) != 54 || recs[0][0] != "surat_jalan" {
		t.Errorf("CSV: %d records (want header + 53), header %v", len(recs), recs[0])
	}
}

// TestBrowserShipmentHold: the PPK opens its list in Chromium, opens
// the warehouse's truck bound for it, records a hold with its reason and
// new plan, and sees it in the timeline.
func TestBrowserShipmentHold(t *testing.T) {
	w := newLogistics(t)
	n := w.n
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "lg.tirtayasa", "Logistik Tirtayasa", "rahasia-panjang-123", siaga.RolePPK, lgPPK); err != nil {
		t.Fatal(err)
	}
	list := "/logistik/" + lgPPK + "/kiriman"
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape(list)),
		chromedp.SetValue(`input[name=username]`, "lg.tirtayasa"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#k-`+w.truck.ID)),
		chromedp.Click(chromedp.CSS(`#k-`+w.truck.ID+` a`)),
		chromedp.WaitVisible(chromedp.CSS(`#event-form`)),
		chromedp.SetValue(`#event-form select[name=kind]`, "tertahan"),
		chromedp.SetValue(`#event-form input[name=at]`, "2024-02-08T06:00"),
		chromedp.SetValue(`#event-form input[name=place]`, "Jalan Raya Tirtayasa km 12"),
		chromedp.SetValue(`#event-form input[name=reason]`, "jalan tergenang banjir 60 cm"),
		chromedp.SetValue(`#event-form input[name=new_departure]`, "2024-02-09T06:00"),
		chromedp.Submit(`#event-form input[name=reason]`),
		chromedp.WaitVisible(chromedp.CSS(`#timeline`)))
	got := text(t, ctx, `#timeline`)
	for _, want := range []string{"tertahan", "jalan tergenang banjir 60 cm", "Jalan Raya Tirtayasa km 12", "9 Feb 06.00"} {
		if !strings.Contains(got, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, got)
		}
	}
	if got := text(t, ctx, `#shipment-status`); got != "tertahan" {
		t.Errorf("status %q, want tertahan", got)
	}
}
