package fieldapp_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/incident"
)

// incidentsAt returns the reports stored in the desa of tps, oldest first.
func (s *server) incidentsAt(tps string) []siaga.Incident {
	s.t.Helper()
	var out []siaga.Incident
	err := s.n.Store.EachIncident(context.Background(), siaga.IncidentFilter{Scope: tps[:10]}, func(in *siaga.Incident) error {
		out = append(out, *in)
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// staffUser adds an account of the desk's members.
func (s *server) staffUser(name string, role siaga.Role, scope string) *siaga.User {
	s.t.Helper()
	u, err := s.n.Auth.AddUser(context.Background(), auth.Console(), auth.NewUser{Username: name, Name: name,
		Password: "sandi-uji-" + name + "-123", Role: role, Scope: scope})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// TestIncidentFieldToClosed is a KPPS officer reporting vote buying at the
// TPS with a photo while the server is down: the report waits in the
// outbox, an offline reload keeps it, the server comes back and the
// report and its photo land once, as the device's field report. Then the
// desk verifies it and assigns it to Polri, the police take it in hand and
// close it; the history names who did each step, and the phone reads the
// report closed.
func TestIncidentFieldToClosed(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	var deviceID string
	evalAwait(t, p.ctx, `(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		return (await (await import(base + "device.js")).load()).id;
	})()`, &deviceID)

	s.stop()
	const text = `Amplop Rp50.000 dibagikan di depan TPS <script>alert(1)</script>`
	photo := photoFile(t, "insiden.jpg", 2000, 1500)
	p.openLogistics("#/insiden/baru", `document.querySelector("#in-form") !== null`)
	p.eval(`document.querySelector("#in-category").value = "politik_uang"`)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`input[name=severity][value="tinggi"]`)))
	p.typeInto(`#in-text`, text)
	do(t, p.ctx, chromedp.SetUploadFiles(chromedp.CSS(`#in-photo`), []string{photo}, chromedp.NodeReady))
	waitFor(t, p.ctx, "photo compressed", `document.querySelectorAll("#in-photos li").length === 1`, 20*time.Second)
	do(t, p.ctx, chromedp.Click(chromedp.CSS(`#in-send`)))
	waitFor(t, p.ctx, "the report waiting", `location.hash === "#/insiden" && document.querySelectorAll('#in-outbox li[data-kind="insiden"][data-state="menunggu"]').length === 1`, 15*time.Second)
	waitFor(t, p.ctx, "no signal said", `document.querySelector("#in-read").textContent.includes("Tanpa sinyal")`, 40*time.Second)
	p.screenshot("field-incident-waiting.png")
	do(t, p.ctx, chromedp.Reload())
	p.openLogistics("#/", `document.querySelectorAll('#outbox li[data-kind="insiden"][data-state="menunggu"]').length === 1`)

	s.start()
	waitFor(t, p.ctx, "the report and its photo received",
		`document.querySelector('#outbox li[data-kind="insiden"][data-state="diterima"] .photos-state[data-done="1"]') !== null`, 40*time.Second)
	// Sent again, as after a lost answer: the same report.
	p.eval(`(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		const db = await import(base + "db.js");
		const [it] = (await db.all("outbox")).filter((x) => x.kind === "insiden");
		const res = await fetch(it.url, {method: "POST", headers: {"Content-Type": "application/json"}, body: it.wire});
		if (res.status !== 200) throw new Error("resend: " + res.status);
	})()`)

	got := s.incidentsAt(tpsCode)
	if len(got) != 1 {
		t.Fatalf("%d reports stored, want 1: %+v", len(got), got)
	}
	in := got[0]
	if in.Channel != siaga.ChannelField || in.ReporterDevice != deviceID || in.TPS != tpsCode || in.Category != siaga.IncidentMoneyPolitic ||
		in.Severity != siaga.SeverityHigh || in.Text != text || len(in.Evidence) != 1 || in.Status != siaga.IncidentNew {
		t.Fatalf("the report as stored: %+v", in)
	}
	ev, err := s.n.Store.IncidentEvidence(context.Background(), in.ID, in.Evidence[0])
	if err != nil || ev.Type != "image/jpeg" || len(ev.Data) > 300<<10 {
		t.Errorf("the photo as stored: %v, %v", ev, err)
	}

	// The desk verifies and assigns; the police handle and close.
	ctx := context.Background()
	desk := s.staffUser("desk-serang", siaga.RoleDesk, "36")
	polisi := s.staffUser("polsek-cikeusik", siaga.RoleAparat, tpsCode[:6])
	steps := []func(v int) (*siaga.Incident, error){
		func(v int) (*siaga.Incident, error) {
			return s.n.Incidents.Verify(ctx, in.ID, v, incident.Actor{User: desk})
		},
		func(v int) (*siaga.Incident, error) {
			return s.n.Incidents.Assign(ctx, in.ID, v, siaga.AgencyPolri, incident.Actor{User: desk})
		},
		func(v int) (*siaga.Incident, error) {
			return s.n.Incidents.Start(ctx, in.ID, v, incident.Actor{User: polisi})
		},
		func(v int) (*siaga.Incident, error) {
			return s.n.Incidents.Close(ctx, in.ID, v, "Pelaku diamankan, diteruskan ke Gakkumdu", incident.Actor{User: polisi})
		},
	}
	cur, err := s.n.Store.IncidentByID(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range steps {
		if cur, err = step(cur.Version); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	history, err := s.n.Store.IncidentSteps(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Kind   siaga.IncidentStepKind
		Status siaga.IncidentStatus
		By     string
	}
	var rows []row
	for _, st := range history {
		rows = append(rows, row{st.Kind, st.Status, st.ByName})
	}
	want := []row{
		{siaga.StepReported, siaga.IncidentNew, "perangkat:" + deviceID},
		{siaga.StepEvidence, siaga.IncidentNew, "perangkat:" + deviceID},
		{siaga.StepVerified, siaga.IncidentVerified, "desk-serang"},
		{siaga.StepAssigned, siaga.IncidentAssigned, "desk-serang"},
		{siaga.StepInHand, siaga.IncidentInHand, "polsek-cikeusik"},
		{siaga.StepClosed, siaga.IncidentClosed, "polsek-cikeusik"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	// The phone reads its report closed, with the agency.
	p.openLogistics("#/insiden", `document.querySelector('#in-list li[data-status="selesai"]') !== null`)
	var line string
	evalAwait(t, p.ctx, `document.querySelector('#in-list li[data-status="selesai"]').innerText`, &line)
	if !strings.Contains(line, "Polri") || !strings.Contains(line, "Selesai") {
		t.Errorf("the phone reads %q", line)
	}
	p.screenshot("field-incident-closed.png")
}

// TestIncidentFieldRefusals: an oversize photo, a file that is not a
// photo, a report changed after signing, a report about another TPS, a
// photo for a report of another device: each a clear bilingual error, and
// nothing stored.
func TestIncidentFieldRefusals(t *testing.T) {
	s := startServer(t, initData(t), "127.0.0.1:0")
	p := enrolPhone(t, s)
	type answer struct {
		Status  int
		Field   string
		Message string
		EN      string
		ID      int64
	}
	// call runs one request from the phone, signed with its key; js is the
	// body of an async function with dev (device.js) and d (the device).
	call := func(js string) answer {
		t.Helper()
		var a answer
		evalAwait(t, p.ctx, `(async () => {
			const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
			const dev = await import(base + "device.js");
			const d = await dev.load();
			const hex = async (b) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))].map((x) => x.toString(16).padStart(2, "0")).join("");
			const report = async (tps, tamper) => {
				const item = {id: crypto.randomUUID(), device: d.id, tps, category: "intimidasi", severity: "sedang",
					occurred_at: new Date().toISOString(), text: "Pemilih diancam"};
				let text = JSON.stringify(item);
				const sig = await dev.signIncident(d, text);
				if (tamper) text = text.replace("diancam", "dipukul");
				return fetch("/api/v1/field/incidents", {method: "POST", headers: {"Content-Type": "application/json"},
					body: '{"incident":' + text + ',"signature":' + JSON.stringify(sig) + '}'});
			};
			const evidence = async (id, bytes, type) => {
				const path = "/api/v1/field/incidents/" + id + "/evidence", sha = await hex(bytes);
				const sig = await dev.signIncident(d, "POST " + path + "\n" + sha);
				return fetch(path, {method: "POST", body: bytes, headers: {"Content-Type": type, "X-Siaga-Device": d.id,
					"X-Siaga-SHA256": sha, "X-Siaga-Signature": sig}});
			};
			const res = await (async () => {`+js+`})();
			const body = await res.json();
			const e = body.error || {};
			return {Status: res.status, Field: e.field || "", Message: e.message || "", EN: e.message_en || "", ID: body.id || 0};
		})()`, &a)
		return a
	}
	first := call(`return report("` + tpsCode + `", false)`)
	if first.Status != 201 || first.ID == 0 {
		t.Fatalf("a valid report: %+v", first)
	}
	id := strconv.FormatInt(first.ID, 10)
	// A report of the desk's at the same TPS: not the phone's to add to.
	desk := s.staffUser("desk-banten", siaga.RoleDesk, "36")
	theirs, err := s.n.Incidents.Report(context.Background(), &siaga.Incident{Channel: siaga.ChannelWeb, Category: siaga.IncidentLogistics,
		Region: tpsCode[:10], TPS: tpsCode, Text: "Kotak suara kurang satu"}, incident.Actor{User: desk})
	if err != nil {
		t.Fatal(err)
	}
	jpeg := `new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0])`

	tests := []struct {
		name, js string
		status   int
		field    string
	}{
		{"oversize photo", `const b = new Uint8Array((1 << 20) + 1); b.set(` + jpeg + `); return evidence(` + id + `, b, "image/jpeg")`, 413, ""},
		{"not a photo", `return evidence(` + id + `, new TextEncoder().encode("<script>alert(1)</script>"), "image/jpeg")`, 400, "bukti"},
		{"changed after signing", `return report("` + tpsCode + `", true)`, 401, "signature"},
		{"another TPS", `return report("3601012001002", false)`, 403, "tps"},
		{"a report of no one", `return evidence(999999, ` + jpeg + `, "image/jpeg")`, 404, "id"},
		{"a report that is not the phone's", `return evidence(` + strconv.FormatInt(theirs.ID, 10) + `, ` + jpeg + `, "image/jpeg")`, 403, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(tt.js)
			if got.Status != tt.status || got.Field != tt.field || got.Message == "" || got.EN == "" || got.Message == got.EN {
				t.Errorf("answer %+v, want %d on %q with a message in Bahasa and in English", got, tt.status, tt.field)
			}
		})
	}
	stored := s.incidentsAt(tpsCode)
	if len(stored) != 2 || len(stored[0].Evidence)+len(stored[1].Evidence) != 0 || stored[0].Text != "Pemilih diancam" {
		t.Errorf("stored after the refusals: %+v; want the valid report and the desk's, no evidence", stored)
	}
}
