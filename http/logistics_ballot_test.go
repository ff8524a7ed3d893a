package http_test

import (
	"context"
	"encoding/json"
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
	"github.com/deskpemilu/siaga/node/nodetest"
)

// logisticsCall sends a request with the token ("" anonymous) and a form
// or JSON body.
func logisticsCall(t *testing.T, n *node.Node, method, path, token string, body any) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case nil:
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = strings.NewReader(string(j)), "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	n.Handler.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(out)
}

// seedBallots registers a DPR lot at Pandeglang's warehouse (3601) with a
// few damaged ballots, for the downloads' walk.
func seedBallots(t *testing.T, n *node.Node) siaga.BallotLot {
	t.Helper()
	ctx := context.Background()
	need, err := n.Needs.Of("3601")
	if err != nil {
		t.Fatal(err)
	}
	lot, err := n.Ballots.AddLot(ctx, "36", siaga.BallotLot{Warehouse: "3601", Contest: siaga.DPR, Dapil: need.Dapils(siaga.DPR)[0],
		Number: "=DPR-3601-001", Printer: "PT Percetakan", Received: 1000, ReceivedAt: time.Date(2024, 1, 10, 9, 0, 0, 0, siaga.WIB)}, "cli")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Ballots.AddEvent(ctx, "36", siaga.BallotEvent{Lot: lot.ID, Kind: siaga.BallotDamaged, Reason: siaga.DamageFaded, Qty: 12,
		At: time.Date(2024, 1, 16, 9, 0, 0, 0, siaga.WIB)}, "cli"); err != nil {
		t.Fatal(err)
	}
	return lot
}

// TestLogisticsPages: the needs and ballot pages, their downloads and the
// ballots' API answer logistics staff in scope; out of scope is refused,
// and the public sees nothing of them.
func TestLogisticsPages(t *testing.T) {
	n := newNode(t)
	lot := seedBallots(t, n)
	need, err := n.Needs.Of("3601")
	if err != nil {
		t.Fatal(err)
	}
	dpr := need.Dapils(siaga.DPR)[0]
	officer := nodetest.Token(t, n, auth.NewUser{Username: "log.pandeglang", Role: siaga.RoleLogistik, Scope: "3601"})
	lebak := nodetest.Token(t, n, auth.NewUser{Username: "log.lebak", Role: siaga.RoleLogistik, Scope: "3602"})
	bawaslu := nodetest.Token(t, n, auth.NewUser{Username: "bawaslu.banten", Role: siaga.RoleBawaslu, Scope: "36"})
	deskLebak := nodetest.Token(t, n, auth.NewUser{Username: "koord", Role: siaga.RoleDesk, Scope: "3602"})

	reads := []string{"/logistik/3601/kebutuhan", "/logistik/3601/kebutuhan-rincian.csv", "/logistik/3601/kebutuhan-dapil.csv",
		"/logistik/3601/surat-suara", "/logistik/3601/surat-suara.csv", "/logistik/3601/lot.csv", "/api/v1/logistics/3601/ballots"}
	for _, path := range reads {
		t.Run(path, func(t *testing.T) {
			for _, c := range []struct {
				who, token string
				want       int
			}{{"officer in scope", officer, 200}, {"bawaslu above", bawaslu, 200}, {"officer of another kab", lebak, 403},
				{"the desk of another kab", deskLebak, 403}, {"the public", "", 401}} {
				res, body := logisticsCall(t, n, "GET", path, c.token, nil)
				if c.want == 401 && res.StatusCode != 401 && res.StatusCode != 303 {
					t.Errorf("%s: %d, want 401 or a redirect to the login", c.who, res.StatusCode)
				} else if c.want != 401 && res.StatusCode != c.want {
					t.Errorf("%s: %d, want %d", c.who, res.StatusCode, c.want)
				}
				if res.StatusCode >= 300 && (strings.Contains(body, dpr) || strings.Contains(body, "DPR-3601")) {
					t.Errorf("%s: a refusal shows logistics data", c.who)
				}
			}
		})
	}

	t.Run("needs page", func(t *testing.T) {
		_, body := logisticsCall(t, n, "GET", "/logistik/3601/kebutuhan", officer, nil)
		for _, want := range []string{`data-tps="` + strconv.Itoa(need.TPS) + `"`, strconv.Itoa(need.Items[siaga.ItemBallotDPR]), dpr,
			"kebutuhan-rincian.xlsx", "kebutuhan-dapil.csv"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "kebutuhan-gudang") {
			t.Error("a kab/kota's page has the warehouses' block, which is the province's")
		}
		_, body = logisticsCall(t, n, "GET", "/logistik/36/kebutuhan", bawaslu, nil)
		if !strings.Contains(body, `id="kebutuhan-gudang"`) {
			t.Error("the province's page lacks the warehouses' block")
		}
	})

	t.Run("ballots page and API", func(t *testing.T) {
		_, body := logisticsCall(t, n, "GET", "/logistik/3601/surat-suara", officer, nil)
		short := need.Items[siaga.ItemBallotDPR] - (1000 - 12) // need − (received − damaged)
		for _, want := range []string{`id="lot-form"`, `id="event-form"`, `class="late short"`, ">" + strconv.Itoa(short) + "<", "pudar"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		_, body = logisticsCall(t, n, "GET", "/logistik/3601/surat-suara", bawaslu, nil)
		if strings.Contains(body, `id="lot-form"`) {
			t.Error("Bawaslu reads the ballots but gets the officers' forms")
		}
		res, body := logisticsCall(t, n, "GET", "/api/v1/logistics/3601/ballots", bawaslu, nil)
		var rep struct {
			Rows []struct {
				Contest   siaga.Contest `json:"contest"`
				Dapil     string        `json:"dapil"`
				Need      int           `json:"need"`
				Received  int           `json:"received"`
				Damaged   int           `json:"damaged"`
				Shortfall int           `json:"shortfall"`
			} `json:"rows"`
		}
		if err := json.Unmarshal([]byte(body), &rep); err != nil || res.StatusCode != 200 {
			t.Fatalf("%d %v: %s", res.StatusCode, err, body)
		}
		found := false
		for _, r := range rep.Rows {
			if r.Contest == siaga.DPR && r.Dapil == dpr {
				found = true
				if r.Received != 1000 || r.Damaged != 12 || r.Shortfall != short {
					t.Errorf("DPR row %+v, want received 1000, damaged 12, shortfall %d", r, short)
				}
			}
		}
		if !found {
			t.Errorf("no DPR %s row in %s", dpr, body)
		}
	})

	t.Run("API writes", func(t *testing.T) {
		res, body := logisticsCall(t, n, "POST", "/api/v1/logistics/3601/ballot-lots", officer,
			map[string]any{"warehouse": "3601", "contest": "dpr", "dapil": "BANTEN III", "number": "X-1", "received": 10})
		if res.StatusCode != 400 || !strings.Contains(body, `"dapil"`) {
			t.Errorf("a lot of the wrong dapil: %d %s", res.StatusCode, body)
		}
		res, body = logisticsCall(t, n, "POST", "/api/v1/logistics/3601/ballot-lots", officer,
			map[string]any{"warehouse": "3601", "contest": "dpr", "dapil": dpr, "number": "X-2", "received": 10})
		if res.StatusCode != 201 {
			t.Errorf("a good lot: %d %s", res.StatusCode, body)
		}
		res, _ = logisticsCall(t, n, "POST", "/api/v1/logistics/3601/ballot-lots", bawaslu,
			map[string]any{"warehouse": "3601", "contest": "dpr", "dapil": dpr, "number": "X-3", "received": 10})
		if res.StatusCode != 403 {
			t.Errorf("Bawaslu registering a lot: %d, want 403", res.StatusCode)
		}
		res, body = logisticsCall(t, n, "POST", "/api/v1/logistics/3601/ballot-events", officer,
			map[string]any{"lot": lot.ID, "kind": "rusak", "reason": "sobek", "qty": 5000})
		if res.StatusCode != 400 || !strings.Contains(body, `"qty"`) {
			t.Errorf("damaged beyond received: %d %s", res.StatusCode, body)
		}
		res, _ = logisticsCall(t, n, "POST", "/api/v1/logistics/3602/ballot-events", lebak,
			map[string]any{"lot": lot.ID, "kind": "sortir", "qty": 1})
		if res.StatusCode != 404 {
			t.Errorf("Lebak's officer on Pandeglang's lot: %d, want 404", res.StatusCode)
		}
	})

	t.Run("forms", func(t *testing.T) {
		res, body := logisticsCall(t, n, "POST", "/logistik/3601/surat-suara/lot", officer, url.Values{"warehouse": {"3601"}, "contest": {"dpr"},
			"dapil": {"BANTEN III"}, "number": {"F-1"}, "received": {"25"}, "printer": {"PT Kertas"}})
		if res.StatusCode != 422 || !strings.Contains(body, `data-field="dapil"`) || !strings.Contains(body, `value="PT Kertas"`) {
			t.Errorf("a lot of the wrong dapil: %d; want the form again, the field named and what was typed kept", res.StatusCode)
		}
		res, _ = logisticsCall(t, n, "POST", "/logistik/3601/surat-suara/lot", officer, url.Values{"warehouse": {"3601"}, "contest": {"dpr"},
			"dapil": {dpr}, "number": {"F-2"}, "received": {"25"}, "received_at": {"2024-01-20T10:00"}})
		if res.StatusCode != 303 {
			t.Errorf("a good lot: %d, want 303", res.StatusCode)
		}
		res, body = logisticsCall(t, n, "POST", "/logistik/3601/surat-suara/peristiwa", officer, url.Values{"lot": {strconv.FormatInt(lot.ID, 10)},
			"kind": {"rusak"}, "reason": {"noda"}, "qty": {"abc"}})
		if res.StatusCode != 422 || !strings.Contains(body, `data-field="qty"`) {
			t.Errorf("an unreadable quantity: %d", res.StatusCode)
		}
		res, _ = logisticsCall(t, n, "POST", "/logistik/3601/surat-suara/peristiwa", officer, url.Values{"lot": {strconv.FormatInt(lot.ID, 10)},
			"kind": {"lipat"}, "reason": {"pudar"}, "qty": {"500"}})
		if res.StatusCode != 303 {
			t.Errorf("folding: %d, want 303", res.StatusCode)
		}
		res, _ = logisticsCall(t, n, "POST", "/logistik/3601/surat-suara/peristiwa", bawaslu, url.Values{"lot": {strconv.FormatInt(lot.ID, 10)},
			"kind": {"lipat"}, "qty": {"1"}})
		if res.StatusCode != 403 {
			t.Errorf("Bawaslu recording: %d, want 403", res.StatusCode)
		}
	})
}
