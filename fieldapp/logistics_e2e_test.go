package fieldapp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// shipTo creates a shipment from the TPS's PPS to tps, as the KPU's
// logistics officer would, and returns it as stored.
func (s *server) shipTo(tps, waybill, escort string, lines ...siaga.Line) siaga.Shipment {
	s.t.Helper()
	now := time.Now()
	sh, err := s.n.Shipments.Create(context.Background(), siaga.Shipment{
		Waybill: waybill, From: siaga.ParentCode(tps), To: tps, Lines: lines, Mode: siaga.ModeMotorbike, Escort: escort,
		PlannedDeparture: now, PlannedArrival: now.Add(2 * time.Hour), Source: "web",
	}, "user:test")
	if err != nil {
		s.t.Fatal(err)
	}
	return sh
}

// kit is a small kit for the test's TPS: its boxes and its DPR ballots,
// of its own dapil.
func (s *server) kit() []siaga.Line {
	return []siaga.Line{
		{Item: siaga.ItemBox, Qty: 5},
		{Item: siaga.ItemBallotDPR, Dapil: s.dapil(siaga.DPR).Name, Qty: 306},
	}
}

// openLogistics goes to a logistics screen by its hash.
func (p *phone) openLogistics(hash, ready string) {
	p.t.Helper()
	p.eval(`location.hash = "` + hash + `"`)
	waitFor(p.t, p.ctx, hash, ready, 15*time.Second)
}

// addLogisticsPhoto takes a photo in the open logistics form.
func (p *phone) addLogisticsPhoto(file string, n int) {
	p.t.Helper()
	do(p.t, p.ctx, chromedp.SetUploadFiles(chromedp.CSS(`#lg-photo`), []string{file}, chromedp.NodeReady))
	waitFor(p.t, p.ctx, "photo compressed", fmt.Sprintf(`document.querySelectorAll("#lg-photos li").length === %d`, n), 20*time.Second)
}

// TestLogisticsBTTBOffline is a KPPS officer receiving the TPS's kit with
// no signal: the shipment list read while the link held, then the
// server gone; the arrival and a BTTB 6 ballots short with a photo
// recorded offline, the app reloaded offline; when the server is back the
// items arrive, the shipment is delivered, the shortfall's follow-up
// shipment exists, the photo is stored, and the officer reads the
// server's line saying so.
func TestLogisticsBTTBOffline(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	sh := s.shipTo(tpsCode, "SJ/TPS/001", "", s.kit()...)
	s.shipTo("3601012001002", "SJ/TPS/002", "", s.kit()...) // another TPS's: never listed

	p.openLogistics("#/logistik", `document.querySelector("#lg-menu") !== null`)
	p.openLogistics("#/logistik/terima", `document.querySelector('#lg-list li[data-shipment="`+sh.ID+`"]') !== null`)
	if n := p.count(`#lg-list li[data-shipment]`); n != 1 {
		t.Errorf("%d shipments listed, want the TPS's one", n)
	}

	s.stop()
	photo := photoFile(t, "bttb.jpg", 2000, 1500)
	do(t, p.ctx, chromedp.Reload())
	p.openLogistics("#/logistik/terima", `document.querySelector("#lg-fresh.warn") !== null && document.querySelector('li[data-shipment="`+sh.ID+`"]') !== null`)
	p.openLogistics("#/logistik/terima/"+sh.ID, `document.querySelector("#lg-bttb") !== null`)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#lg-arrive`)))
	waitFor(t, p.ctx, "the arrival recorded", `document.querySelector("#lg-arrived") !== null`, 10*time.Second)
	// The waybill's quantities are prefilled: 300 of the 306 ballots counted.
	if v := p.value(`[data-line="1"] input[data-k="counted"]`); v != "306" {
		t.Errorf("counted prefilled with %q, want the waybill's 306", v)
	}
	p.typeInto(`[data-line="1"] input[data-k="counted"]`, "298")
	p.typeInto(`[data-line="1"] input[data-k="damaged"]`, "2")
	p.typeInto(`#lg-receiver`, "Ahmad Ketua KPPS")
	p.addLogisticsPhoto(photo, 1)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#lg-bttb-send`)))
	waitFor(t, p.ctx, "the list again", `location.hash === "#/logistik/terima"`, 10*time.Second)
	p.eval(`location.hash = "#/"`)
	waitFor(t, p.ctx, "two items waiting", `document.querySelectorAll('#outbox li[data-kind="logistik"][data-state="menunggu"]').length === 2`, 15*time.Second)
	p.screenshot("field-logistics-waiting.png")

	do(t, p.ctx, chromedp.Reload())
	waitFor(t, p.ctx, "the outbox after an offline reload", `document.querySelectorAll('#outbox li[data-kind="logistik"]').length === 2`, 15*time.Second)

	s.start()
	waitFor(t, p.ctx, "both received, the photo too",
		`document.querySelectorAll('#outbox li[data-kind="logistik"][data-state="diterima"]').length === 2 &&
		 document.querySelector('#outbox li[data-what="delivery"] .photos-state[data-done="1"]') !== null`, 30*time.Second)
	var msg string
	evalAwait(t, p.ctx, `document.querySelector('#outbox li[data-what="delivery"] .lg-message').textContent`, &msg)
	p.screenshot("field-logistics-received.png")

	ctx := context.Background()
	got, events, d, err := s.n.Shipments.Get(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != siaga.ShipmentDelivered || d == nil {
		t.Fatalf("shipment %s, delivery %+v: want delivered", got.Status, d)
	}
	if !slices.ContainsFunc(events, func(e siaga.ShipmentEvent) bool { return e.Kind == siaga.EventArrived && e.Source == "lapangan" }) {
		t.Errorf("no arrival from the field among %+v", events)
	}
	if d.Receiver != "Ahmad Ketua KPPS" || d.Source != "lapangan" || len(d.Photos) != 1 {
		t.Errorf("delivery as stored: %+v", d)
	}
	if _, err := s.n.Store.LogisticsPhoto(ctx, d.Photos[0]); err != nil {
		t.Errorf("the BTTB's photo: %v", err)
	}
	all, _, err := s.n.Shipments.List(ctx, siaga.ShipmentFilter{Region: tpsCode})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(f siaga.Shipment) bool { return f.FollowUpOf == sh.ID })
	if i < 0 {
		t.Fatalf("no follow-up shipment of %s among %+v", sh.ID, all)
	}
	want := []siaga.Line{{Item: siaga.ItemBallotDPR, Dapil: s.dapil(siaga.DPR).Name, Qty: 8}}
	if diff := cmp.Diff(want, all[i].Lines); diff != "" {
		t.Errorf("the follow-up's lines (-want +got):\n%s", diff)
	}
	if !strings.Contains(msg, "susulan") || !strings.Contains(msg, all[i].Waybill) {
		t.Errorf("the officer reads %q, want the follow-up %s named", msg, all[i].Waybill)
	}
}

// TestLogisticsHandoverOffline is the KPPS handing its sealed boxes to the
// PPS after the count with no signal, one seal found broken: when the
// link returns the handover is stored, from the TPS to its desa, and
// Bawaslu has the seal alert.
func TestLogisticsHandoverOffline(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	s.stop()
	p.openLogistics("#/logistik/kotak", `document.querySelector("#lg-handover") !== null`)
	p.eval(`(() => {
		const seals = document.querySelector("#lg-seals");
		seals.value = "SG-0001\nSG-0002\nSG-0003";
		seals.dispatchEvent(new Event("input", {bubbles: true}));
	})()`)
	waitFor(t, p.ctx, "a box per seal", `document.querySelectorAll('#lg-broken input[name=broken]').length === 3`, 5*time.Second)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#lg-broken input[value="SG-0002"]`)))
	p.typeInto(`#lg-given`, "Ahmad Ketua KPPS")
	p.typeInto(`#lg-received`, "Budi Ketua PPS")
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#lg-handover-send`)))
	waitFor(t, p.ctx, "the handover waiting", `document.querySelectorAll('#outbox li[data-what="handover"][data-state="menunggu"]').length === 1`, 15*time.Second)

	s.start()
	waitFor(t, p.ctx, "the handover received", `document.querySelectorAll('#outbox li[data-what="handover"][data-state="diterima"]').length === 1`, 30*time.Second)
	ctx := context.Background()
	chain, err := s.n.Custody.Chain(ctx, tpsCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 1 || chain[0].From != tpsCode || chain[0].To != siaga.ParentCode(tpsCode) || chain[0].Boxes != 5 ||
		!slices.Equal(chain[0].BrokenSeals, []string{"SG-0002"}) || chain[0].Source != "lapangan" {
		t.Fatalf("the chain as stored: %+v", chain)
	}
	alerts, _, err := s.n.Shipments.Alerts(ctx, siaga.LogisticsAlertFilter{Region: tpsCode[:6], Kind: siaga.AlertSeal, Role: siaga.RoleBawaslu})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].TPS != tpsCode || alerts[0].Role != siaga.RoleBawaslu {
		t.Errorf("seal alerts for Bawaslu: %+v", alerts)
	}
}

// TestLogisticsRefusals: a phone signs only for its own TPS's shipments
// (403 naming the shipment), a changed number breaks the signature (401),
// and another phone's signed read of its TPS is no use to this one.
func TestLogisticsRefusals(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	mine := s.shipTo(tpsCode, "SJ/TPS/001", "", s.kit()...)
	other := s.shipTo("3601012001002", "SJ/TPS/002", "", s.kit()...)

	type answer struct {
		Status int
		Field  string
	}
	post := func(shipment, tamper string) answer {
		t.Helper()
		var a answer
		evalAwait(t, p.ctx, `(async () => {
			const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
			const dev = await import(base + "device.js");
			const d = await dev.load();
			const item = {id: crypto.randomUUID(), device: d.id, tps: d.tps, shipment: "`+shipment+`", receiver: "X",
				received_at: new Date().toISOString(), lines: [{item: "kotak_suara", counted: 5, damaged: 0, wrong_dapil: 0}]};
			let text = JSON.stringify(item);
			const sig = await dev.signLogistics(d, text);
			text = text.replace(`+"`"+`"counted":5`+"`"+`, `+"`"+tamper+"`"+`);
			const res = await fetch("/api/v1/logistics/field/deliveries", {method: "POST", headers: {"Content-Type": "application/json"},
				body: '{"delivery":' + text + ',"signature":' + JSON.stringify(sig) + '}'});
			const body = await res.json();
			return {Status: res.status, Field: (body.error && body.error.field) || ""};
		})()`, &a)
		return a
	}
	tests := []struct {
		name             string
		shipment, tamper string
		want             answer
	}{
		{"another TPS's shipment", other.ID, `"counted":5`, answer{403, "delivery.shipment"}},
		{"a number changed after signing", mine.ID, `"counted":50`, answer{401, "signature"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(tt.shipment, tt.tamper); got != tt.want {
				t.Errorf("answer %+v, want %+v", got, tt.want)
			}
		})
	}
	if sh, _, d, err := s.n.Shipments.Get(context.Background(), other.ID); err != nil || d != nil || sh.Status != siaga.ShipmentPlanned {
		t.Errorf("the other TPS's shipment after the refusals: %s, %+v, %v", sh.Status, d, err)
	}
	t.Run("a read of another TPS", func(t *testing.T) {
		var status int
		evalAwait(t, p.ctx, `(async () => {
			const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
			const dev = await import(base + "device.js");
			const d = await dev.load();
			const path = "/api/v1/logistics/field/shipments/3601012001002", at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
			const sig = await dev.signLogistics(d, "GET " + path + "\n" + at);
			const res = await fetch(path, {headers: {"X-Siaga-Device": d.id, "X-Siaga-At": at, "X-Siaga-Signature": sig}});
			return res.status;
		})()`, &status)
		if status != 403 {
			t.Errorf("status %d, want 403", status)
		}
	})
}

// TestLogisticsStaffHold is an escort on the road: signed in once on the
// web, the app lists the escorted shipments of the account's scope; a
// weather hold recorded with no signal is sent when the link returns,
// after the session has ended and the escort signed in again; the
// shipment is then held with the reason and the new plan.
func TestLogisticsStaffHold(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	kec := tpsCode[:6]
	const password = "sandi-pengawal-uji-1"
	if _, err := s.n.Auth.AddUser(context.Background(), auth.Console(), auth.NewUser{Username: "pengawal", Name: "Brigpol Andi",
		Password: password, Role: siaga.RoleAparat, Scope: kec}); err != nil {
		t.Fatal(err)
	}
	escorted := s.shipTo(tpsCode, "SJ/TPS/001", "Polres Pandeglang", s.kit()...)
	s.shipTo("3601012001002", "SJ/TPS/002", "", s.kit()...) // not escorted: not the aparat's

	ctx := browser(t)
	p := &phone{t: t, ctx: ctx, s: s}
	do(t, ctx, chromedp.Navigate(s.url+"/lapangan/"), chromedp.WaitVisible(chromedp.CSS(`#staff-mode`)))
	waitFor(t, ctx, "the service worker", `navigator.serviceWorker.controller !== null`, 15*time.Second)
	p.eval(`localStorage.setItem("lapangan.retryMaxMs", "1500")`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#staff-mode`)))
	waitFor(t, ctx, "the sign-in link", `document.querySelector(".lg-login") !== null`, 10*time.Second)
	login := func() {
		t.Helper()
		p.eval(`document.querySelector(".lg-login").click()`)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
		p.typeInto(`input[name=username]`, "pengawal")
		p.typeInto(`input[name=password]`, password)
		do(t, ctx, chromedp.Submit(chromedp.CSS(`input[name=password]`)))
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#lg-staff-list`)))
	}
	login()
	waitFor(t, ctx, "the escorted shipment", `document.querySelector('#lg-staff-list li[data-shipment="`+escorted.ID+`"]') !== null`, 10*time.Second)
	if n := p.count(`#lg-staff-list li[data-shipment]`); n != 1 {
		t.Errorf("%d shipments listed, want the escorted one", n)
	}

	s.stop()
	p.openLogistics("#/logistik/staf/"+escorted.ID, `document.querySelector("#lg-event") !== null`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name=kind][value="tertahan"]`)))
	p.typeInto(`#lg-place`, "Pelabuhan Karangantu")
	p.typeInto(`#lg-reason`, "Gelombang 2,5 m")
	p.eval(`document.querySelector("#lg-new-dep").value = "2024-02-12T06:00"`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#lg-event-send`)))
	waitFor(t, ctx, "the hold waiting", `document.querySelectorAll('#outbox li[data-what="status"][data-state="menunggu"]').length === 1`, 15*time.Second)

	// The session ends while the escort is at sea: the phone's cookie is
	// gone as an expired one is.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	s.start()
	do(t, ctx, chromedp.Click(chromedp.CSS(`#sync-now`)))
	waitFor(t, ctx, "asked to sign in again", `document.querySelector('#outbox li[data-what="status"][data-state="menunggu"] .lg-login') !== null`, 30*time.Second)
	if sh, _, _, err := s.n.Shipments.Get(context.Background(), escorted.ID); err != nil || sh.Status == siaga.ShipmentHeld {
		t.Fatalf("held without a session: %s, %v", sh.Status, err)
	}
	login()
	waitFor(t, ctx, "the hold received", `document.querySelectorAll('#outbox li[data-what="status"][data-state="diterima"]').length === 1`, 30*time.Second)

	sh, events, _, err := s.n.Shipments.Get(context.Background(), escorted.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Status != siaga.ShipmentHeld {
		t.Errorf("status %s, want tertahan", sh.Status)
	}
	i := slices.IndexFunc(events, func(e siaga.ShipmentEvent) bool { return e.Kind == siaga.EventHeld })
	if i < 0 || events[i].Reason != "Gelombang 2,5 m" || events[i].Place != "Pelabuhan Karangantu" || events[i].NewDeparture == nil {
		t.Errorf("events %+v: want the hold with its reason, place and new plan", events)
	}
}

func (p *phone) count(css string) int {
	p.t.Helper()
	var n int
	evalAwait(p.t, p.ctx, `document.querySelectorAll(`+"`"+css+"`"+`).length`, &n)
	return n
}
