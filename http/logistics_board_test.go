package http_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/ui"
)

// boardNow is the morning of H-1: the node's clock in these tests.
var boardNow = time.Date(2024, 2, 13, 9, 0, 0, 0, siaga.WIB)

// boardNode is a node whose Kab. Pandeglang has one TPS with its boxes
// delivered but its ballots late, and one whose leg is held.
// now is the node's clock (nil: the real one).
func boardNode(t testing.TB, now func() time.Time) (*node.Node, siaga.TPS, siaga.TPS) {
	n := nodetest.Open(t, func(c *node.Config) { c.Now = now })
	tpss := n.Regions.TPSOf("3601")
	done, held := tpss[0], tpss[1]
	ctx := context.Background()
	day := func(d, h int) time.Time { return time.Date(2024, 2, d, h, 0, 0, 0, siaga.WIB) }
	legs := []siaga.Shipment{
		{ID: "kotak-1", Waybill: "SJ/1", From: done.Desa, To: done.Code, Lines: []siaga.Line{{Item: siaga.ItemBox, Qty: 5}}},
		{ID: "surat-1", Waybill: "SJ/2", From: done.Desa, To: done.Code, Lines: []siaga.Line{{Item: siaga.ItemBallotPPWP, Qty: done.DPT + 10}}},
		{ID: "kotak-2", Waybill: "SJ/3", From: held.Desa, To: held.Code, Lines: []siaga.Line{{Item: siaga.ItemBox, Qty: 5}}},
	}
	for i := range legs {
		legs[i].Mode, legs[i].PlannedDeparture, legs[i].PlannedArrival = siaga.ModeTruck, day(12, 7), day(12, 11)
		legs[i].Status, legs[i].Source, legs[i].CreatedAt = siaga.ShipmentPlanned, "test", day(10, 8)
	}
	if err := n.Store.SaveShipments(ctx, legs); err != nil {
		t.Fatal(err)
	}
	for _, e := range []siaga.ShipmentEvent{
		{ID: "e1", Shipment: "kotak-1", Kind: siaga.EventDeparted, At: day(12, 7)},
		{ID: "e2", Shipment: "surat-1", Kind: siaga.EventDeparted, At: day(12, 7)},
		{ID: "e3", Shipment: "kotak-2", Kind: siaga.EventHeld, At: day(12, 8), Reason: "jalan putus"},
	} {
		e.Source, e.RecordedAt = "test", e.At
		sh, _ := n.Store.Shipment(ctx, e.Shipment)
		if err := n.Store.AddShipmentEvent(ctx, e, sh, nil); err != nil {
			t.Fatal(err)
		}
	}
	sh, _ := n.Store.Shipment(ctx, "kotak-1")
	d := siaga.Delivery{ID: "d1", Shipment: "kotak-1", Receiver: "Ketua KPPS", ReceivedAt: day(12, 10), Source: "test", RecordedAt: day(12, 10),
		Lines: []siaga.DeliveryLine{{Item: siaga.ItemBox, Sent: 5, Counted: 5}}}
	if err := n.Store.AddDelivery(ctx, d, sh, nil, nil); err != nil {
		t.Fatal(err)
	}
	n.LogisticsBoard.Changed()
	return n, done, held
}

func getAs(t testing.TB, h http.Handler, path, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestLogisticsBoardPage: staff who read logistics see their region's
// board, nobody else; the filters change the numbers; every table leaves
// as CSV with the page's rows.
func TestLogisticsBoardPage(t *testing.T) {
	n, done, held := boardNode(t, func() time.Time { return boardNow })
	in := nodetest.Token(t, n, auth.NewUser{Username: "logistik.pandeglang", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3601"})
	bawaslu := nodetest.Token(t, n, auth.NewUser{Username: "bawaslu.banten", Password: "kata-sandi-panjang-123", Role: siaga.RoleBawaslu, Scope: "36"})
	out := nodetest.Token(t, n, auth.NewUser{Username: "logistik.lebak", Password: "kata-sandi-panjang-123", Role: siaga.RoleLogistik, Scope: "3602"})
	kpps := nodetest.Token(t, n, auth.NewUser{Username: "admin.banten", Password: "kata-sandi-panjang-123", Role: siaga.RoleAdmin, Scope: "36"})
	tpsCount := len(n.Regions.TPSOf("3601"))

	t.Run("who may see it", func(t *testing.T) {
		for _, tc := range []struct {
			who, path, token string
			want             int
		}{
			{"public: to the login", "/logistik/3601", "", http.StatusSeeOther},
			{"public export", "/logistik/3601/terlambat.csv", "", http.StatusUnauthorized},
			{"logistik in scope", "/logistik/3601", in, http.StatusOK},
			{"logistik, a kecamatan below", "/logistik/" + done.Code[:6], in, http.StatusOK},
			{"bawaslu of the province", "/logistik/3601", bawaslu, http.StatusOK},
			{"logistik of another kab/kota", "/logistik/3601", out, http.StatusForbidden},
			{"logistik, the province above", "/logistik/36", in, http.StatusForbidden},
			{"admin", "/logistik/3601", kpps, http.StatusForbidden},
		} {
			if code, _ := getAs(t, n.Handler, tc.path, tc.token); code != tc.want {
				t.Errorf("%s: GET %s = %d, want %d", tc.who, tc.path, code, tc.want)
			}
		}
	})
	t.Run("the board", func(t *testing.T) {
		code, body := getAs(t, n.Handler, "/logistik/3601", in)
		if code != 200 {
			t.Fatal(body)
		}
		mustContain(t, "board", body, "H-1: hari terakhir sebelum pemungutan suara", "0 dari "+ui.FormatCount(int64(tpsCount))+" TPS",
			`href="/logistik/3601/kiriman/kotak-2"`, `href="/logistik/3601/kiriman/surat-1"`, `href="/logistik/`+done.Code[:6]+`"`,
			`href="/logistik/3601/kebutuhan"`, `href="/logistik/3601/kotak"`, "jalan putus", `value="2024-02-13T09:00"`)
	})
	t.Run("the navigation links to the board of one's region", func(t *testing.T) {
		for _, tc := range []struct {
			who  string
			as   session
			want string
		}{
			{"logistik of Pandeglang", loginAs(t, n, "log.nav", siaga.RoleLogistik, "3601", ""), `<a href="/logistik/3601" aria-current="page">Logistik</a>`},
			{"bawaslu of the province", loginAs(t, n, "bawaslu.nav", siaga.RoleBawaslu, "36", ""), `<a href="/logistik/36" aria-current="page">Logistik</a>`},
		} {
			mustContain(t, tc.who, readAll(t, tc.as.do(t, n, "GET", "/logistik/3601", nil)), tc.want)
		}
		admin := loginAs(t, n, "admin.nav", siaga.RoleAdmin, "36", "")
		if body := readAll(t, admin.do(t, n, "GET", "/wilayah/36", nil)); strings.Contains(body, "/logistik/") {
			t.Errorf("an admin sees a link to logistics")
		}
		if _, body := getAs(t, n.Handler, "/wilayah/36", ""); strings.Contains(body, "/logistik/") {
			t.Errorf("the public sees a link to logistics")
		}
	})
	t.Run("filters change the numbers", func(t *testing.T) {
		_, body := getAs(t, n.Handler, "/logistik/3601?barang=kotak_suara", in)
		mustContain(t, "boxes only", body, "1 dari "+ui.FormatCount(int64(tpsCount))+" TPS")
		_, body = getAs(t, n.Handler, "/logistik/3601?per=2024-02-11T12:00", in)
		mustContain(t, "as of 11 Feb", body, "H-3, 1 hari 12 jam lagi menuju H-1", "0 dari 0")
		if strings.Contains(body, "jalan putus") {
			t.Error("a hold of 12 Feb shows on the board of 11 Feb")
		}
		if code, _ := getAs(t, n.Handler, "/logistik/3601?per=kemarin", in); code != http.StatusBadRequest {
			t.Errorf("a bad date: %d, want 400", code)
		}
	})
	t.Run("exports", func(t *testing.T) {
		_, body := getAs(t, n.Handler, "/logistik/3601/wilayah.csv", in)
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) < 2 || recs[1][0] != "3601" || recs[1][2] != fmt.Sprint(tpsCount) {
			t.Fatalf("wilayah.csv: %v %q", err, recs)
		}
		_, body = getAs(t, n.Handler, "/logistik/3601/tertahan.csv", in)
		recs, err = csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][1] != "kotak-2" || recs[1][3] != held.Code || recs[1][11] != "jalan putus" {
			t.Errorf("tertahan.csv: %v %q", err, recs)
		}
		_, body = getAs(t, n.Handler, "/logistik/3601/terlambat.csv?barang=kotak_suara", in)
		if recs, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(recs) != 1 {
			t.Errorf("terlambat.csv of boxes: %q, want the header alone (the late leg carries ballots)", recs)
		}
	})
}

// seedBoard puts a row in every list of Kab. Pandeglang's board, for
// every contest filter: a late and stalled leg, a short delivery, a held
// leg, each carrying PPWP and DPR ballots (TestXLSXReadBack).
func seedBoard(t testing.TB, n *node.Node) {
	ctx := context.Background()
	tpss := n.Regions.TPSOf("3601")
	day := func(d, h int) time.Time { return time.Date(2024, 2, d, h, 0, 0, 0, siaga.WIB) }
	lines := []siaga.Line{{Item: siaga.ItemBallotPPWP, Qty: 100}, {Item: siaga.ItemBallotDPR, Qty: 100}}
	var legs []siaga.Shipment
	for i, id := range []string{"telat", "kurang", "tahan"} {
		legs = append(legs, siaga.Shipment{ID: "papan-" + id, Waybill: "SJ/PAPAN/" + id, From: tpss[i].Desa, To: tpss[i].Code, Lines: lines,
			Mode: siaga.ModeTruck, PlannedDeparture: day(12, 7), PlannedArrival: day(12, 11), Status: siaga.ShipmentPlanned,
			Escort: "=Polres Pandeglang", Source: "test", CreatedAt: day(10, 8)})
	}
	if err := n.Store.SaveShipments(ctx, legs); err != nil {
		t.Fatal(err)
	}
	for i, e := range []siaga.ShipmentEvent{
		{Shipment: "papan-telat", Kind: siaga.EventDeparted, At: day(12, 7)},
		{Shipment: "papan-kurang", Kind: siaga.EventDeparted, At: day(12, 7)},
		{Shipment: "papan-tahan", Kind: siaga.EventHeld, At: day(12, 8), Reason: "=banjir"},
	} {
		e.ID, e.Source, e.RecordedAt = fmt.Sprint("papan-e", i), "test", e.At
		sh, _ := n.Store.Shipment(ctx, e.Shipment)
		if err := n.Store.AddShipmentEvent(ctx, e, sh, nil); err != nil {
			t.Fatal(err)
		}
	}
	sh, _ := n.Store.Shipment(ctx, "papan-kurang")
	d := siaga.Delivery{ID: "papan-d", Shipment: sh.ID, Receiver: "Ketua KPPS", ReceivedAt: day(12, 10), Source: "test", RecordedAt: day(12, 10),
		Lines: []siaga.DeliveryLine{{Item: siaga.ItemBallotPPWP, Sent: 100, Counted: 90}, {Item: siaga.ItemBallotDPR, Sent: 100, Counted: 95}}}
	if err := n.Store.AddDelivery(ctx, d, sh, nil, nil); err != nil {
		t.Fatal(err)
	}
	n.LogisticsBoard.Changed()
}
