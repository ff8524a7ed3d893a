package fieldapp_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// Where the test's phone stands: a point in Pandeglang, the TPS's kabupaten.
const surveyLat, surveyLon = -6.712345, 105.912345

// allowLocation answers the page's location requests with the test's
// point (grant) or refuses them, as the surveyor may.
func (p *phone) allowLocation(grant bool) {
	p.t.Helper()
	setting := cdpbrowser.PermissionSettingDenied
	if grant {
		setting = cdpbrowser.PermissionSettingGranted
	}
	if _, err := chromedp.Call(p.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: setting, Origin: p.s.url,
	}); err != nil {
		p.t.Fatal(err)
	}
	lat, lon, acc := surveyLat, surveyLon, 8.0
	if _, err := chromedp.Call(p.ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &acc,
	}); err != nil {
		p.t.Fatal(err)
	}
}

// fillSurvey opens the survey screen and fills what the surveyor types.
func (p *phone) fillSurvey(operator, tech, rsrp string) {
	p.t.Helper()
	p.eval(`location.hash = "#/survei"`)
	waitFor(p.t, p.ctx, "the survey screen", `document.querySelector("#survey") !== null`, 10*time.Second)
	p.typeInto(`#surveyor`, "Siti Surveyor")
	p.eval(`document.querySelector('input[name=operator][value="` + operator + `"]').click();
		document.querySelector('input[name=tech][value="` + tech + `"]').click()`)
	if rsrp != "" {
		p.typeInto(`#rsrp`, rsrp)
	}
}

// TestSurveyOffline is a surveyor at a weak spot, then a blank one: the
// location refused and then allowed, a data test run while the link
// holds, the survey saved after it drops, a second one taken with no link
// at all (its data test fails: a blank spot), the app reloaded offline;
// when the server is back both arrive, stored once each with the data
// test's numbers, and a resend after a lost answer stores nothing more.
func TestSurveyOffline(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)

	p.allowLocation(false)
	p.fillSurvey("telkomsel", "4g", "104")
	waitFor(t, p.ctx, "the refusal explained", `document.querySelector("#where").textContent.includes("Izin lokasi ditolak")`, 10*time.Second)
	p.allowLocation(true)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#locate`)))
	waitFor(t, p.ctx, "the coordinates", `document.querySelector("#where").textContent.startsWith("-6.712345, 105.912345")`, 10*time.Second)

	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#test-run`)))
	waitFor(t, p.ctx, "the data test's result", `document.querySelector("#down") !== null && document.querySelector("#class") !== null`, 30*time.Second)
	var shown struct{ Down, Up, RTT, Class string }
	evalAwait(t, p.ctx, `Promise.resolve({Down: document.querySelector("#down").textContent, Up: document.querySelector("#up").textContent,
		RTT: document.querySelector("#rtt").textContent, Class: document.querySelector("#class").dataset.class})`, &shown)
	// −104 dBm is weak by its level; the loopback's data test is fast.
	if shown.Class != string(siaga.SignalWeak) {
		t.Errorf("class shown %q, want weak", shown.Class)
	}
	p.screenshot("field-survey.png")

	s.stop()
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#survey-save`)))
	waitFor(t, p.ctx, "the survey waiting", `document.querySelectorAll('#outbox li[data-kind="survey"][data-state="menunggu"]').length === 1`, 15*time.Second)

	p.allowLocation(true)
	p.fillSurvey("xl", "none", "")
	waitFor(t, p.ctx, "the coordinates", `document.querySelector("#where").textContent.startsWith("-6.712345")`, 10*time.Second)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#survey-save`)))
	waitFor(t, p.ctx, "two surveys waiting", `document.querySelectorAll('#outbox li[data-kind="survey"][data-state="menunggu"]').length === 2`, 30*time.Second)
	waitFor(t, p.ctx, "the blank spot estimated", `document.querySelectorAll('#outbox li[data-kind="survey"] [data-class="blank"]').length === 1`, 5*time.Second)
	p.eval(`document.querySelector("#outbox").scrollIntoView()`)
	p.screenshot("field-survey-waiting.png")

	do(t, p.ctx, chromedp.Reload())
	waitFor(t, p.ctx, "the outbox after an offline reload", `document.querySelectorAll('#outbox li[data-kind="survey"]').length === 2`, 15*time.Second)

	s.start()
	waitFor(t, p.ctx, "both surveys received", `document.querySelectorAll('#outbox li[data-kind="survey"][data-state="diterima"]').length === 2`, 30*time.Second)

	stored := func() []siaga.Survey {
		t.Helper()
		page, err := s.n.Connectivity.Surveys(context.Background(), siaga.SurveyFilter{Region: tpsCode})
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	got := stored()
	if len(got) != 2 {
		t.Fatalf("%d surveys stored, want 2: %+v", len(got), got)
	}
	byOp := map[string]siaga.Survey{got[0].Operator: got[0], got[1].Operator: got[1]}
	weak, blank := byOp["telkomsel"], byOp["xl"]
	num := func(v string) float64 {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%q shown: %v", v, err)
		}
		return f
	}
	if weak.DataOK == nil || !*weak.DataOK || weak.DownKbps == nil || *weak.DownKbps != num(shown.Down) || *weak.UpKbps != num(shown.Up) ||
		*weak.RTTms != num(shown.RTT) || weak.RSRP == nil || *weak.RSRP != -104 {
		t.Errorf("the survey taken with a link, as stored: %+v; shown %+v", weak, shown)
	}
	if blank.DataOK == nil || *blank.DataOK || blank.DownKbps != nil || blank.Tech != "none" {
		t.Errorf("the survey taken with no link, as stored: %+v", blank)
	}
	for _, sv := range got {
		if sv.Source != siaga.SurveyField || sv.By == "" || sv.Surveyor != "Siti Surveyor" || sv.Lat != surveyLat || sv.Lon != surveyLon || sv.Link == "" {
			t.Errorf("survey %d as stored: %+v", sv.ID, sv)
		}
	}

	// The answer to the first was lost: the outbox sends it again.
	p.eval(`new Promise((resolve, reject) => {
		const req = indexedDB.open("siaga-lapangan");
		req.onsuccess = () => {
			const st = req.result.transaction("outbox", "readwrite").objectStore("outbox");
			const all = st.getAll();
			all.onsuccess = () => {
				const it = all.result.find((x) => x.kind === "survey" && x.survey.operator === "telkomsel");
				st.put({...it, state: "menunggu", receipt: null, nextAt: 0});
				st.transaction.oncomplete = () => resolve(true);
			};
			all.onerror = () => reject(all.error);
		};
	})`)
	before := len(s.exchanges())
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#sync-now`)))
	resent := func() bool {
		for _, e := range s.exchanges()[before:] {
			if e.Method == "POST" && e.Path == "/api/v1/surveys" && e.Status == 200 {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(20 * time.Second); !resent() && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	if !resent() {
		t.Fatal("the survey was not sent again, or not answered as a retry (200)")
	}
	waitFor(t, p.ctx, "the resent survey received", `document.querySelectorAll('#outbox li[data-kind="survey"][data-state="diterima"]').length === 2`, 30*time.Second)
	if n := len(stored()); n != 2 {
		t.Errorf("%d surveys stored after the resend, want 2", n)
	}
}

// TestSurveyClassifyMatchesGo: the class the phone estimates is the class
// the server gives (survey.js's classify and thresholds against
// connectivity.DefaultThresholds), over the cases at each threshold.
func TestSurveyClassifyMatchesGo(t *testing.T) {
	raw, err := os.ReadFile("testdata/survey_classes.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name string `json:"name"`
		siaga.Survey
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, initData(t), "127.0.0.1:0")
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(s.url+"/lapangan/"), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	var got struct {
		Classes    []string
		Thresholds map[string]float64
	}
	evalAwait(t, ctx, `(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		const m = await import(base + "survey.js");
		return {Classes: `+string(raw)+`.map((c) => m.classify(c)), Thresholds: m.THRESHOLDS};
	})()`, &got)
	th := connectivity.DefaultThresholds
	want := map[string]float64{"goodRSRP": th.GoodRSRP, "weakRSRP": th.WeakRSRP, "goodRSSI": th.GoodRSSI, "weakRSSI": th.WeakRSSI,
		"minKbps": th.MinKbps, "maxRTTms": th.MaxRTTms}
	if diff := cmp.Diff(want, got.Thresholds); diff != "" {
		t.Errorf("thresholds (-go +js):\n%s", diff)
	}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if w := th.Classify(&c.Survey); string(w) != got.Classes[i] {
				t.Errorf("js %q, go %q", got.Classes[i], w)
			}
		})
	}
}
