package http_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// session is a logged-in operator of a test node.
type session struct {
	cookie, csrf string
	user         *siaga.User
}

func loginAs(t testing.TB, n *node.Node, username string, role siaga.Role, scope string, party siaga.PartyRef) session {
	t.Helper()
	ctx := context.Background()
	pass := "kata-sandi-uji-" + username
	if _, err := n.Auth.AddUser(ctx, auth.Console(), auth.NewUser{Username: username, Name: "Petugas " + username, Password: pass,
		Role: role, Scope: scope, Party: party}); err != nil {
		t.Fatal(err)
	}
	cookie, sess, u, err := n.Auth.Login(ctx, username, pass, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return session{cookie: cookie, csrf: sess.CSRF, user: u}
}

// do sends a request as s (a form when form is not nil) through the node.
func (s session) do(t testing.TB, n *node.Node, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "siaga_session", Value: s.cookie})
	res := httptest.NewRecorder()
	n.Handler.ServeHTTP(res, req)
	return res.Result()
}

func readAll(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// smallDesa is a desa of Kab. Pandeglang with a few TPS: its sheet is one
// page whose codes zbarimg reads at once.
func smallDesa(t testing.TB, n *node.Node) (desa siaga.Region, kec siaga.Region) {
	t.Helper()
	for _, k := range n.Regions.Children("3601") {
		for _, d := range n.Regions.Children(k.Code) {
			if c := len(n.Regions.TPSOf(d.Code)); c >= 2 && c <= 6 {
				return d, k
			}
		}
	}
	t.Fatal("no desa with 2 to 6 TPS in 3601")
	return
}

// TestEnrolIssue: who may print which codes from /pendaftaran. Each
// operator prints its own source's codes only, within its region; a desa
// or kecamatan, or a list of TPS, never a whole kab/kota.
func TestEnrolIssue(t *testing.T) {
	n := newNode(t)
	desa, kec := smallDesa(t, n)
	tps := n.Regions.TPSOf(desa.Code)
	ppk := loginAs(t, n, "ppk", siaga.RolePPK, kec.Code, "")
	kab := loginAs(t, n, "kpu.kab", siaga.RoleKPUKab, "3601", "")
	bawaslu := loginAs(t, n, "bawaslu", siaga.RoleBawaslu, "3601", "")
	koord := loginAs(t, n, "koord", siaga.RoleSaksiKoord, "36", siaga.PartyOf(1))
	outside := loginAs(t, n, "ppk.lain", siaga.RolePPK, "360201", "")

	tests := []struct {
		name   string
		as     session
		form   url.Values
		status int
		want   string // in the body of a refusal
	}{
		{"ppk a desa", ppk, url.Values{"wilayah": {desa.Code}}, 200, ""},
		{"ppk its kecamatan", ppk, url.Values{"wilayah": {kec.Code}}, 200, ""},
		{"kpu_kab a list", kab, url.Values{"tps": {tps[0].Code + "\n" + tps[1].Code}}, 200, ""},
		{"bawaslu ptps", bawaslu, url.Values{"wilayah": {desa.Code}, "peran": {"ptps"}}, 200, ""},
		{"koord its saksi", koord, url.Values{"wilayah": {desa.Code}}, 200, ""},
		{"kpu_kab saksi codes", kab, url.Values{"wilayah": {desa.Code}, "peran": {"saksi"}}, 403, "tidak boleh mendaftarkan perangkat saksi"},
		{"bawaslu kpps codes", bawaslu, url.Values{"wilayah": {desa.Code}, "peran": {"kpps"}}, 403, "tidak boleh mendaftarkan perangkat kpps"},
		{"out of scope", outside, url.Values{"wilayah": {desa.Code}}, 403, "di luar wilayah Anda"},
		{"a listed TPS out of scope", outside, url.Values{"tps": {tps[0].Code}}, 403, "di luar wilayah Anda"},
		{"a kab/kota", kab, url.Values{"wilayah": {"3601"}}, 400, "bukan desa atau kecamatan"},
		{"an unknown TPS", kab, url.Values{"tps": {tps[0].Code + "\n3601999999999"}}, 400, "Baris 2: TPS 3601999999999 tidak terdaftar"},
		{"both", kab, url.Values{"wilayah": {desa.Code}, "tps": {tps[0].Code}}, 400, "bukan keduanya"},
		{"nothing", kab, url.Values{}, 400, "Pilih desa atau kecamatan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("csrf", tt.as.csrf)
			res := tt.as.do(t, n, "POST", "/pendaftaran", tt.form)
			body := readAll(t, res)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %.300s", res.StatusCode, tt.status, body)
			}
			if tt.status == 200 {
				if ct := res.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
					t.Errorf("answer %s %.8q, want a PDF", ct, body)
				}
				return
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("refusal does not say %q: %.500s", tt.want, body)
			}
		})
	}
	t.Run("without the form token", func(t *testing.T) {
		res := ppk.do(t, n, "POST", "/pendaftaran", url.Values{"wilayah": {desa.Code}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
	})
	t.Run("the form offers the account's role only", func(t *testing.T) {
		body := readAll(t, kab.do(t, n, "GET", "/pendaftaran", nil))
		for _, want := range []string{`name="peran" value="kpps"`, "ponsel petugas KPPS", "menggantikan kode itu", `name="csrf" value="` + kab.csrf} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
	})
}

// enrolPhoneAt issues a code as op and enrols a phone with it.
func enrolPhoneAt(t testing.TB, n *node.Node, op *siaga.User, tps string, role siaga.Role) *siaga.Device {
	t.Helper()
	ctx := context.Background()
	code, err := n.Auth.IssueEnrolment(ctx, op, tps, role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := n.Auth.Enrol(ctx, code, pub)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDevicesPage: /perangkat lists a region's devices and its TPS without
// one, counted, filtered and exported the same, and revokes with a reason
// that the audit log keeps.
func TestDevicesPage(t *testing.T) {
	n := newNode(t)
	desa, kec := smallDesa(t, n)
	tps := n.Regions.TPSOf(desa.Code)
	ppk := loginAs(t, n, "ppk", siaga.RolePPK, kec.Code, "")
	bawaslu := loginAs(t, n, "bawaslu", siaga.RoleBawaslu, "3601", "")
	kpps := enrolPhoneAt(t, n, ppk.user, tps[0].Code, siaga.RoleKPPS)
	ptps := enrolPhoneAt(t, n, bawaslu.user, tps[1].Code, siaga.RolePTPS)

	page := readAll(t, ppk.do(t, n, "GET", "/perangkat?wilayah="+desa.Code, nil))
	for _, want := range []string{kpps.ID, "dari " + strconv.Itoa(len(tps)) + " baris", "/perangkat/" + kpps.ID + "/cabut",
		strconv.Itoa(len(tps)-1) + "</strong> tanpa perangkat aktif"} {
		if !strings.Contains(page, want) {
			t.Errorf("the PPK's page lacks %q", want)
		}
	}
	if strings.Contains(page, ptps.ID) {
		t.Error("the PPK's page shows Bawaslu's device")
	}
	none := readAll(t, ppk.do(t, n, "GET", "/perangkat?status=belum&wilayah="+desa.Code, nil))
	if strings.Contains(none, kpps.ID) || !strings.Contains(none, "dari "+strconv.Itoa(len(tps)-1)+" baris") {
		t.Errorf("status=belum: want the %d TPS without a device", len(tps)-1)
	}
	res := ppk.do(t, n, "GET", "/perangkat.csv?wilayah="+desa.Code, nil)
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(tps) || rows[0][0] != "tps" || rows[1][3] != kpps.ID || rows[1][6] != "aktif" {
		t.Errorf("CSV rows %q, want a header and %d rows, the first the KPPS phone", rows, len(tps))
	}
	if res := ppk.do(t, n, "GET", "/perangkat?wilayah=3602", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("another kab/kota: %d, want 403", res.StatusCode)
	}

	// Revoking: Bawaslu may not revoke KPU's phone; the PPK must give a reason.
	path := "/perangkat/" + kpps.ID + "/cabut"
	if res := bawaslu.do(t, n, "POST", path, url.Values{"csrf": {bawaslu.csrf}, "alasan": {"coba"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("bawaslu revoking a kpps phone: %d, want 403", res.StatusCode)
	}
	if body := readAll(t, ppk.do(t, n, "GET", path, nil)); !strings.Contains(body, `name="alasan"`) || !strings.Contains(body, kpps.ID) {
		t.Error("the confirmation page lacks the device or the reason field")
	}
	if res := ppk.do(t, n, "POST", path, url.Values{"csrf": {ppk.csrf}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("revoking without a reason: %d, want 400", res.StatusCode)
	}
	res = ppk.do(t, n, "POST", path, url.Values{"csrf": {ppk.csrf}, "alasan": {"ponsel hilang"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoking: %d, want 303", res.StatusCode)
	}
	d, err := n.Store.DeviceByID(context.Background(), kpps.ID)
	if err != nil || d.RevokedAt.IsZero() {
		t.Fatalf("device after revoking: %+v %v", d, err)
	}
	audit, err := n.Store.Audit(context.Background(), siaga.AuditFilter{Action: siaga.AuditDeviceRevoke})
	if err != nil || audit.Total != 1 || !strings.Contains(string(audit.Items[0].Detail), "ponsel hilang") ||
		audit.Items[0].Actor != "user:ppk" {
		t.Errorf("audit of the revocation: %+v %v", audit.Items, err)
	}
	after := readAll(t, ppk.do(t, n, "GET", res.Header.Get("Location"), nil))
	if !strings.Contains(after, "dicabut; kirimannya ditolak") || !strings.Contains(after, strconv.Itoa(len(tps))+"</strong> tanpa perangkat aktif") {
		t.Error("after revoking, the page does not say so or still counts the TPS as enrolled")
	}
}
