package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// relocTPS is a TPS of Pondok Aren (Kota Tangerang Selatan) that the
// tests flood and move.
const relocTPS = "3674031005001"

// floodAround imports a synthetic layer: a tinggi flood square of half
// side d degrees around the TPS, recorded by an account whose name must
// never reach a public page.
func floodAround(t testing.TB, n *node.Node, tps string, d float64) {
	t.Helper()
	at, ok := n.Regions.TPS(tps)
	if !ok {
		t.Fatal("no TPS " + tps)
	}
	layer := siaga.HazardLayer{Name: "Banjir Pondok Aren (uji)", Source: "BPBD uji", Synthetic: true}
	zones := []siaga.HazardZone{{Feature: 0, Type: "banjir", Class: siaga.HazardHigh, Geometry: squareAt(at.Lat, at.Lon, d)}}
	if err := n.Disaster.ImportHazards(context.Background(), &layer, zones, "user:desk.rahasia"); err != nil {
		t.Fatal(err)
	}
}

func squareAt(lat, lon, d float64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{{
		{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}}})
	return b
}

// upload posts a file as the form field "berkas" with fields, as s, the
// form's CSRF field when csrf is set.
func (s session) upload(t testing.TB, n *node.Node, path, file string, fields map[string]string, csrf bool) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf {
		_ = mw.WriteField("csrf", s.csrf)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("berkas", "berkas")
	_, _ = fw.Write([]byte(file))
	_ = mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "siaga_session", Value: s.cookie})
	res := httptest.NewRecorder()
	n.Handler.ServeHTTP(res, req)
	return res.Code, res.Body.String()
}

// postForm posts a form as s with its CSRF token.
func (s session) postForm(t testing.TB, n *node.Node, path string, form url.Values) (int, string, string) {
	t.Helper()
	form.Set("csrf", s.csrf)
	res := s.do(t, n, "POST", path, form)
	return res.StatusCode, readAll(t, res), res.Header.Get("Location")
}

func (s session) page(t testing.TB, n *node.Node, path string) (int, string) {
	t.Helper()
	res := s.do(t, n, "GET", path, nil)
	return res.StatusCode, readAll(t, res)
}

func hazardFile(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func hazardFeature(class string) string {
	return `{"type":"Feature","properties":{"type":"banjir","class":"` + class + `"},"geometry":{"type":"Polygon",` +
		`"coordinates":[[[106.70,-6.27],[106.71,-6.27],[106.71,-6.26],[106.70,-6.26],[106.70,-6.27]]]}}`
}

// TestHazardsPage: the hazards page of a region is public and shows the
// layers (labelled synthetic), the counts and the at-risk TPS without who
// imported anything; the desk imports through the page a GeoJSON whose
// bad feature is named with nothing stored, or a good one; a KPU
// kab/kota deletes only its own layers, the desk any after confirming;
// a TPS location CSV outside the account's scope is refused by row.
func TestHazardsPage(t *testing.T) {
	n := newNode(t)
	floodAround(t, n, relocTPS, 0.0005)
	_, public := get(t, n.Handler, "/bencana/3674")
	mustContain(t, "public hazards page", public, "Banjir Pondok Aren (uji)", "SINTETIS / SYNTHETIC", relocTPS,
		`id="synthetic-layers"`, `/bencana/367403`, "BPBD uji")
	if strings.Contains(public, "desk.rahasia") || strings.Contains(public, "hazard-upload") {
		t.Error("the public page shows the importer or the upload form")
	}
	res, csv := get(t, n.Handler, "/bencana/3674/tps.csv?kelas=tinggi")
	if res.StatusCode != 200 || !strings.Contains(csv, relocTPS) || !strings.Contains(csv, "Banjir Pondok Aren (uji)") || strings.Contains(csv, "desk.rahasia") {
		t.Errorf("at-risk CSV: %d %s", res.StatusCode, csv)
	}
	if res, _ := get(t, n.Handler, "/bencana/3674?kelas=parah"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown class: %d", res.StatusCode)
	}

	desk := loginAs(t, n, "desk", siaga.RoleDesk, "36", "")
	kpu := loginAs(t, n, "kpu.tangsel", siaga.RoleKPUKab, "3674", "")
	if _, body := desk.page(t, n, "/bencana/3674"); !strings.Contains(body, `id="hazard-upload"`) {
		t.Error("the desk has no upload form")
	}
	fields := map[string]string{"nama": "Banjir BPBD", "sumber": "BPBD Kota Tangerang Selatan", "tanggal": "2024-02-10"}
	code, body := desk.upload(t, n, "/bencana/3674/lapisan", hazardFile(hazardFeature("tinggi"), hazardFeature("parah")), fields, true)
	if code != http.StatusBadRequest || !strings.Contains(body, "fitur 1") || !strings.Contains(body, "feature 1") ||
		!strings.Contains(body, `value="Banjir BPBD"`) {
		t.Errorf("bad feature: %d, want 400 naming feature 1 with the form kept:\n%s", code, between(body, "upload-error", 400))
	}
	if got := len(n.Disaster.Layers()); got != 1 {
		t.Errorf("%d layers after a refused file, want 1", got)
	}
	if code, _ := desk.upload(t, n, "/bencana/3674/lapisan", hazardFile(hazardFeature("sedang")), fields, false); code != http.StatusForbidden {
		t.Errorf("upload without CSRF: %d", code)
	}
	if code, _ := kpu.upload(t, n, "/bencana/3674/lapisan", hazardFile(hazardFeature("sedang")), map[string]string{"nama": "KPU"}, true); code != http.StatusSeeOther {
		t.Errorf("good file: %d", code)
	}
	layers := n.Disaster.Layers()
	if len(layers) != 2 || layers[1].Name != "KPU" || layers[1].ImportedBy != "user:kpu.tangsel" || layers[1].Features != 1 {
		t.Fatalf("layers after the import: %+v", layers)
	}
	first := fmt.Sprint(layers[0].ID)
	if code, _ := kpu.page(t, n, "/bencana/3674/lapisan/"+first+"/hapus"); code != http.StatusForbidden {
		t.Errorf("KPU kab/kota deleting the desk's layer: %d", code)
	}
	if code, body := desk.page(t, n, "/bencana/3674/lapisan/"+first+"/hapus"); code != 200 || !strings.Contains(body, "delete-confirm") {
		t.Errorf("confirmation: %d", code)
	}
	if code, _, loc := desk.postForm(t, n, "/bencana/3674/lapisan/"+first+"/hapus", url.Values{}); code != http.StatusSeeOther || !strings.Contains(loc, "selesai=hapus") {
		t.Errorf("delete: %d %s", code, loc)
	}
	if got := len(n.Disaster.Layers()); got != 1 {
		t.Errorf("%d layers after the deletion, want 1", got)
	}

	lebak := n.Regions.TPSOf("3602")[0].Code
	locs := "tps,lat,lon\n" + relocTPS + ",-6.265,106.705\n" + lebak + ",-6.5,106.2\n"
	code, body = kpu.upload(t, n, "/bencana/3674/lokasi", locs, nil, true)
	if code != http.StatusForbidden || !strings.Contains(body, "baris 3, kolom tps") {
		t.Errorf("a TPS out of scope: %d %s", code, between(body, "upload-error", 300))
	}
	if hist, _ := n.Disaster.History(context.Background(), relocTPS); len(hist) != 0 {
		t.Errorf("a refused file stored %d locations", len(hist))
	}
	code, body = desk.upload(t, n, "/bencana/3674/lokasi", "tps,lat,lon\n"+relocTPS+",-6.265,x\n", nil, true)
	if code != http.StatusBadRequest || !strings.Contains(body, "baris 2, kolom lon") {
		t.Errorf("a bad coordinate: %d %s", code, between(body, "upload-error", 300))
	}
}

// between is up to n bytes of s from the first id, for failure messages.
func between(s, id string, n int) string {
	i := strings.Index(s, id)
	if i < 0 {
		return "(no " + id + ")"
	}
	return s[i:min(len(s), i+n)]
}

// relocationWorld is a flooded TPS with candidate sites: a school 330 m
// north (safe), a mosque inside the flood (not a candidate), a tower
// (not for a TPS), and a hall 3 km away (beyond the default walk).
func relocationWorld(t *testing.T) (*node.Node, siaga.TPS) {
	n := newNode(t)
	floodAround(t, n, relocTPS, 0.0015)
	at, _ := n.Regions.TPS(relocTPS)
	now := time.Now()
	sites := []siaga.Site{
		{Code: "S-SD2", Name: "SD Negeri Pondok Aren 2", Kind: "sekolah", Lat: at.Lat + 0.003, Lon: at.Lon, Capacity: 400, UpdatedAt: now},
		{Code: "S-MSJ", Name: "Masjid Al-Ikhlas", Kind: "masjid", Lat: at.Lat + 0.0005, Lon: at.Lon, UpdatedAt: now},
		{Code: "S-BTS", Name: "Menara", Kind: "menara", Lat: at.Lat - 0.003, Lon: at.Lon, UpdatedAt: now},
		{Code: "S-JAUH", Name: "Balai Jauh", Kind: "balai", Lat: at.Lat + 0.03, Lon: at.Lon, UpdatedAt: now},
	}
	for i := range sites {
		sites[i].Desa = at.Desa
	}
	if err := n.Store.SaveSites(context.Background(), sites); err != nil {
		t.Fatal(err)
	}
	return n, at
}

// TestRelocationPages: the candidates are for staff; KPU Kota Tangerang
// Selatan decides through the form (a decision without its letter is
// refused with the field named and what was typed kept); the TPS page then
// shows the relocation and the location history without who recorded
// them, and the notice is a printable page with its map and a PDF that
// carries the letter number.
func TestRelocationPages(t *testing.T) {
	n, at := relocationWorld(t)
	path := "/tps/" + relocTPS + "/relokasi"
	if res, _ := get(t, n.Handler, path); res.StatusCode < 300 || res.StatusCode == http.StatusOK {
		t.Errorf("public relocation page: %d", res.StatusCode)
	}
	bawaslu := loginAs(t, n, "bawaslu.tangsel", siaga.RoleBawaslu, "3674", "")
	code, body := bawaslu.page(t, n, path)
	mustContain(t, "candidates", body, `data-site="S-SD2"`, "SD Negeri Pondok Aren 2", `id="relokasi-map"`)
	for _, not := range []string{`data-site="S-MSJ"`, `data-site="S-BTS"`, `data-site="S-JAUH"`, `id="relocate-form"`} {
		if strings.Contains(body, not) {
			t.Errorf("Bawaslu's relocation page has %s", not)
		}
	}
	if code != 200 {
		t.Errorf("Bawaslu: %d", code)
	}
	if _, body := bawaslu.page(t, n, path+"?jarak=5000"); !strings.Contains(body, `data-site="S-JAUH"`) {
		t.Error("a 5 km walk does not reach the hall 3 km away")
	}

	kpu := loginAs(t, n, "kpu.tangsel", siaga.RoleKPUKab, "3674", "")
	decision := url.Values{"situs": {"S-SD2"}, "alasan": {"banjir 80 cm"}, "pejabat": {"Ketua KPU Kota Tangerang Selatan"},
		"kantor": {"KPU Kota Tangerang Selatan"}, "tanggal": {"2024-02-13"}, "surat": {""}}
	code, body, _ = kpu.postForm(t, n, path, decision)
	if code != http.StatusBadRequest || !strings.Contains(body, "nomor surat keputusan KPU") ||
		!strings.Contains(body, `name="surat" value="" maxlength="100" required aria-invalid="true"`) || !strings.Contains(body, `value="banjir 80 cm"`) {
		t.Errorf("without a letter: %d %s", code, between(body, "relocate-error", 400))
	}
	decision.Set("surat", "123/PL.01.2-Kpt/3674/2024")
	if code, body, loc := kpu.postForm(t, n, path, decision); code != http.StatusSeeOther {
		t.Fatalf("relocation: %d %s %s", code, loc, between(body, "relocate-error", 400))
	}
	e, _ := n.Disaster.TPS(relocTPS)
	if e.Point == nil || e.Point.Source != siaga.LocationRelocation || e.Point.Lat != at.Lat+0.003 || e.Worst != "" {
		t.Errorf("after the relocation the TPS stands at %+v, worst %q", e.Point, e.Worst)
	}

	_, tpsPage := get(t, n.Handler, "/tps/"+relocTPS)
	mustContain(t, "TPS page", tpsPage, `id="relocations"`, "SD Negeri Pondok Aren 2", "123/PL.01.2-Kpt/3674/2024",
		`id="location-history"`, "relokasi", `href="/tps/`+relocTPS+`/pemberitahuan"`)
	if strings.Contains(tpsPage, "user:kpu.tangsel") || strings.Contains(tpsPage, "relocation-link") {
		t.Error("the public TPS page shows who recorded the relocation, or the staff link")
	}

	_, notice := get(t, n.Handler, "/tps/"+relocTPS+"/pemberitahuan")
	mustContain(t, "notice page", notice, "PEMBERITAHUAN PEMINDAHAN TPS", "123/PL.01.2-Kpt/3674/2024", "SD Negeri Pondok Aren 2",
		"<svg", `class="desa"`, `class="new"`, "14 Februari 2024", "SYNTHETIC")
	for _, pdfPath := range []string{"/tps/" + relocTPS + "/pemberitahuan.pdf", "/api/v1/relocation/" + relocTPS + "/notice.pdf"} {
		res, pdf := get(t, n.Handler, pdfPath)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
			t.Fatalf("%s: %d %s", pdfPath, res.StatusCode, res.Header)
		}
		checkPDFText(t, pdf, "123/PL.01.2-Kpt/3674/2024", "SD Negeri Pondok Aren 2")
	}
}

// checkPDFText reads pdf with pdftotext (poppler-utils): skipped without
// it, failed without it under SIAGA_REQUIRE_E2E=1.
func checkPDFText(t *testing.T, pdf string, wants ...string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatal("pdftotext not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1")
		}
		t.Skip("pdftotext not installed (Debian: poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(file, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range wants {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, out)
		}
	}
}

// TestPostponementPages: the Pondok Aren chain through the forms, each
// step by its role and in scope, a refused step naming its field; the
// public list and the chain's page show what the letters say and never
// the recording accounts; the missing list links the ditunda row to it.
func TestPostponementPages(t *testing.T) {
	n := newNode(t)
	const tps = "3674031007071" // TPS 71, Pondok Kacang Timur
	ppk := loginAs(t, n, "ppk.pondokaren", siaga.RolePPK, "367403", "")
	bawaslu := loginAs(t, n, "bawaslu.tangsel", siaga.RoleBawaslu, "3674", "")
	kpu := loginAs(t, n, "kpu.tangsel", siaga.RoleKPUKab, "3674", "")
	lebak := loginAs(t, n, "kpu.lebak", siaga.RoleKPUKab, "3602", "")

	if code, body := ppk.page(t, n, "/tps/"+tps); code != 200 || !strings.Contains(body, `id="report-link"`) {
		t.Errorf("the PPK's TPS page has no report link: %d", code)
	}
	report := url.Values{"jenis": {"psl"}, "tahap": {""}, "alasan": {"banjir 60 cm"}, "nama": {"Siti Aminah"},
		"kantor": {"KPPS TPS 071 Pondok Kacang Timur"}, "surat": {"BA/071/2024"}, "waktu": {"2024-02-14T07:00"}}
	code, body, _ := ppk.postForm(t, n, "/tps/"+tps+"/penundaan", report)
	if code != http.StatusBadRequest || !strings.Contains(body, `data-field="tahap"`) || !strings.Contains(body, `value="banjir 60 cm"`) {
		t.Errorf("a PSL without its stage: %d %s", code, between(body, "step-error", 300))
	}
	report.Set("jenis", "pss")
	code, _, loc := ppk.postForm(t, n, "/tps/"+tps+"/penundaan", report)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/tps/"+tps+"/penundaan/") {
		t.Fatalf("report: %d %s", code, loc)
	}
	detail := loc
	step := func(s session, name string, form url.Values) (int, string) {
		code, body, _ := s.postForm(t, n, detail+"/"+name, form)
		return code, body
	}
	signed := func(name, office, letter, at string) url.Values {
		return url.Values{"nama": {name}, "kantor": {office}, "surat": {letter}, "waktu": {at}}
	}
	if code, _ := step(kpu, "rekomendasi", signed("x", "y", "", "2024-02-14T08:00")); code != http.StatusForbidden {
		t.Errorf("KPU recommending: %d", code)
	}
	if code, body := step(bawaslu, "rekomendasi", signed("Ahmad Fauzi", "Panwascam Pondok Aren", "REK/01/2024", "2024-02-14T09:00")); code != http.StatusSeeOther {
		t.Fatalf("recommendation: %d %s", code, between(body, "step-error", 300))
	}
	decide := signed("Ketua KPU Kota Tangerang Selatan", "KPU Kota Tangerang Selatan", "123/PL.01.2-Kpt/3674/2024", "2024-02-15T10:00")
	decide.Set("tanggal_baru", "2024-02-28")
	if code, body := step(kpu, "putusan", decide); code != http.StatusBadRequest || !strings.Contains(body, `data-field="tanggal_baru"`) ||
		!strings.Contains(body, `value="123/PL.01.2-Kpt/3674/2024"`) {
		t.Errorf("a new date past 10 days: %d %s", code, between(body, "step-error", 300))
	}
	decide.Set("tanggal_baru", "2024-02-18")
	if code, _ := step(lebak, "putusan", decide); code != http.StatusForbidden {
		t.Errorf("another kab/kota deciding: %d", code)
	}
	if code, body := step(kpu, "putusan", decide); code != http.StatusSeeOther {
		t.Fatalf("decision: %d %s", code, between(body, "step-error", 300))
	}

	_, missing := get(t, n.Handler, "/wilayah/3674031007?jenis=postponed")
	mustContain(t, "missing list", missing, `<a href="`+detail+`">PSS · diputuskan · tanggal baru 18-02-2024</a>`)

	closing := signed("Ketua PPK Pondok Aren", "PPK Pondok Aren", "", "2024-02-18T15:00")
	closing.Set("status", "selesai")
	if code, body := step(ppk, "tutup", closing); code != http.StatusSeeOther {
		t.Fatalf("closing: %d %s", code, between(body, "step-error", 300))
	}

	_, page := get(t, n.Handler, detail)
	mustContain(t, "the chain's page", page, `id="status">selesai`, "Siti Aminah", "Panwascam Pondok Aren", "REK/01/2024",
		"123/PL.01.2-Kpt/3674/2024", "2024-02-18", "PPK Pondok Aren")
	_, list := get(t, n.Handler, "/penundaan/3674")
	mustContain(t, "public list", list, tps, `dari <b data-total="1">1</b>`, `href="`+detail+`"`)
	_, csv := get(t, n.Handler, "/penundaan/3674/daftar.csv")
	mustContain(t, "CSV", csv, tps, "123/PL.01.2-Kpt/3674/2024")
	for what, body := range map[string]string{"page": page, "list": list, "csv": csv} {
		for _, account := range []string{"ppk.pondokaren", "bawaslu.tangsel", "kpu.tangsel", "user:"} {
			if strings.Contains(body, account) {
				t.Errorf("the public %s shows the account %s", what, account)
			}
		}
	}
	if _, list := get(t, n.Handler, "/penundaan/3674?jenis=psl"); !strings.Contains(list, `dari <b data-total="0">0</b>`) {
		t.Error("the kind filter lets the PSS through")
	}
}

// TestBrowserRelocationMap: the relocation page's Leaflet map draws the
// TPS, the flood around it and a marker per safe candidate.
func TestBrowserRelocationMap(t *testing.T) {
	n, _ := relocationWorld(t)
	base := nodetest.Serve(t, n)
	ctx := browser(t)
	if _, err := n.Auth.CreateUser(context.Background(), "desk", "Desk", "rahasia-panjang-123", siaga.RoleDesk, "36"); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(base+"/masuk?next="+url.QueryEscape("/tps/"+relocTPS+"/relokasi?jarak=5000")),
		chromedp.SetValue(`input[name=username]`, "desk"), chromedp.SetValue(`input[name=password]`, "rahasia-panjang-123"),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(chromedp.CSS(`#relokasi-map`)))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#relokasi-map').dataset.drawn !== undefined`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("the map was not drawn: %v", err)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#relokasi-map path.kandidat").length`); got != 2 {
		t.Errorf("%d candidates drawn, want 2 (the school and the hall within 5 km)", got)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#relokasi-map path.tps-titik").length`); got != 1 {
		t.Errorf("%d TPS markers drawn, want 1", got)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#relokasi-map path.zona-tinggi").length`); got < 1 {
		t.Error("the flood around the TPS is not drawn")
	}

	// The notice prints on one A4 sheet, its map included.
	at, _ := n.Regions.TPS(relocTPS)
	rel := siaga.Relocation{TPS: relocTPS, Site: "S-SD2", ToLat: at.Lat + 0.003, ToLon: at.Lon, ToAddress: "SD Negeri Pondok Aren 2",
		Reason: "banjir 80 cm", Decider: "Ketua KPU Kota Tangerang Selatan", DeciderOffice: "KPU Kota Tangerang Selatan",
		Decided: time.Date(2024, 2, 13, 0, 0, 0, 0, time.UTC), Letter: "123/PL.01.2-Kpt/3674/2024", By: "user:kpu"}
	if err := n.Disaster.Relocate(context.Background(), &rel); err != nil {
		t.Fatal(err)
	}
	var pdf []byte
	do(t, ctx, chromedp.Navigate(base+"/tps/"+relocTPS+"/pemberitahuan"), chromedp.WaitVisible(chromedp.CSS(`.notice-map svg`)),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69}) // A4
			pdf = res.Data
			return chromedp.Void{}, err
		}))
	checkPDFPages(t, pdf, 1)
}

// checkPDFPages counts a PDF's pages with pdfinfo (poppler-utils).
func checkPDFPages(t *testing.T, pdf []byte, want int) {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatal("pdfinfo not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1")
		}
		t.Skip("pdfinfo not installed (Debian: poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "print.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	pages := ""
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "Pages:" {
			pages = f[1]
		}
	}
	if pages != fmt.Sprint(want) {
		t.Errorf("the notice prints as:\n%s\nwant %d page(s)", out, want)
	}
}
