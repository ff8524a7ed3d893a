package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// postponementWorld is a node with the accounts of the Pondok Aren chain
// (Kota Tangerang Selatan, 3674) and one of another kab/kota.
type postponementWorld struct {
	n      *node.Node
	tokens map[string]string // by account name
}

func newPostponementWorld(t *testing.T) postponementWorld {
	t.Helper()
	w := postponementWorld{n: newNode(t), tokens: map[string]string{}}
	ctx := context.Background()
	for _, a := range []struct {
		name  string
		role  siaga.Role
		scope string
	}{
		{"ppk.pondokaren", siaga.RolePPK, "367403"},
		{"bawaslu.tangsel", siaga.RoleBawaslu, "3674"},
		{"kpu.tangsel", siaga.RoleKPUKab, "3674"},
		{"kpu.lebak", siaga.RoleKPUKab, "3602"},
		{"desk", siaga.RoleDesk, "36"},
	} {
		u, err := w.n.Auth.CreateUser(ctx, a.name, a.name, "rahasia-panjang-123", a.role, a.scope)
		if err != nil {
			t.Fatal(err)
		}
		if w.tokens[a.name], err = w.n.Auth.NewAPIToken(ctx, u, "uji"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// post sends body as JSON with the account's token and decodes the answer
// into out (when not nil).
func (w postponementWorld) post(t *testing.T, account, path, body string, out any) int {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.tokens[account])
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	if out != nil && rec.Code < 300 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("POST %s: %v: %s", path, err, rec.Body)
		}
	}
	return rec.Code
}

// TestPostponementAPI: the chain through the API, each step by the role
// the law gives it and in its scope; a decision without a letter or past
// the 10 days is refused; the public list carries what the letters say
// and never the accounts; the progress, the missing list and the dispatch
// board show the TPS as ditunda with its new date.
func TestPostponementAPI(t *testing.T) {
	w := newPostponementWorld(t)
	const tps = "3674031007071" // TPS 71, Pondok Kacang Timur, Pondok Aren
	report := `{"kind":"pss","reason":"banjir","name":"Ketua KPPS","office":"KPPS TPS 071","at":"2024-02-14T07:00:00+07:00","letter":"BA/071"}`
	steps := []struct {
		name, account, path, body string
		want                      int
	}{
		{"report out of scope", "kpu.lebak", "/api/v1/tps/" + tps + "/postponements", report, http.StatusForbidden},
		{"report by the desk", "desk", "/api/v1/tps/" + tps + "/postponements", report, http.StatusForbidden},
		{"report without a reason", "ppk.pondokaren", "/api/v1/tps/" + tps + "/postponements",
			strings.Replace(report, `"banjir"`, `""`, 1), http.StatusBadRequest},
		{"report", "ppk.pondokaren", "/api/v1/tps/" + tps + "/postponements", report, http.StatusCreated},
		{"report again", "bawaslu.tangsel", "/api/v1/tps/" + tps + "/postponements", report, http.StatusConflict},
		{"decision before the recommendation", "kpu.tangsel", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","office":"KPU Kota Tangerang Selatan","letter":"140/Kpt","new_date":"2024-02-18"}`, http.StatusConflict},
		{"recommendation by KPU", "kpu.tangsel", "/api/v1/postponements/1/recommend",
			`{"name":"Ketua Panwascam","office":"Panwascam Pondok Aren"}`, http.StatusForbidden},
		{"recommendation", "bawaslu.tangsel", "/api/v1/postponements/1/recommend",
			`{"name":"Ketua Panwascam","office":"Panwascam Pondok Aren","at":"2024-02-14T11:00:00+07:00","letter":"REK/01"}`, http.StatusOK},
		{"decision out of scope", "kpu.lebak", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","office":"KPU Kab. Lebak","letter":"140/Kpt","new_date":"2024-02-18"}`, http.StatusForbidden},
		{"decision without a letter", "kpu.tangsel", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","office":"KPU Kota Tangerang Selatan","at":"2024-02-15T16:00:00+07:00","new_date":"2024-02-18"}`, http.StatusBadRequest},
		{"decision past 10 days", "kpu.tangsel", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","office":"KPU Kota Tangerang Selatan","at":"2024-02-15T16:00:00+07:00","letter":"140/Kpt","new_date":"2024-02-25"}`, http.StatusBadRequest},
		{"decision with an unknown field", "kpu.tangsel", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","phone":"0812"}`, http.StatusBadRequest},
		{"decision", "kpu.tangsel", "/api/v1/postponements/1/decide",
			`{"name":"Ketua KPU","office":"KPU Kota Tangerang Selatan","at":"2024-02-15T16:00:00+07:00","letter":"140/Kpt","new_date":"2024-02-18"}`, http.StatusOK},
		{"unknown postponement", "kpu.tangsel", "/api/v1/postponements/99/close", `{}`, http.StatusNotFound},
	}
	for _, st := range steps {
		if got := w.post(t, st.account, st.path, st.body, nil); got != st.want {
			t.Errorf("%s: %d, want %d", st.name, got, st.want)
		}
	}

	_, body := get(t, w.n.Handler, "/api/v1/postponements?region=3674")
	var list struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 1 || list.Items[0]["status"] != "diputuskan" || list.Items[0]["new_date"] != "2024-02-18" ||
		list.Items[0]["decision"].(map[string]any)["letter"] != "140/Kpt" {
		t.Errorf("public list: %s", body)
	}
	for _, secret := range []string{"ppk.pondokaren", "bawaslu.tangsel", "kpu.tangsel", "user:"} {
		if strings.Contains(body, secret) {
			t.Errorf("the public list names the account %q: %s", secret, body)
		}
	}
	if _, body := get(t, w.n.Handler, "/api/v1/postponements?region=3602"); !strings.Contains(body, `"total":0`) {
		t.Errorf("Lebak's list: %s", body)
	}
	for kind, want := range map[string]string{"pss": `"total":1`, "psl": `"total":0`} {
		if _, body := get(t, w.n.Handler, "/api/v1/postponements?region=3674&kind="+kind); !strings.Contains(body, want) {
			t.Errorf("kind %s: %s, want %s", kind, body, want)
		}
	}
	if resp, body := get(t, w.n.Handler, "/api/v1/postponements?kind=ditunda"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"field":"kind"`) {
		t.Errorf("an unknown kind: %d %s, want 400 naming kind", resp.StatusCode, body)
	}

	_, body = get(t, w.n.Handler, "/api/v1/progress/367403")
	var progress struct {
		Postponed        map[string]int `json:"postponed"`
		MissingPostponed int            `json:"missing_postponed"`
	}
	if err := json.Unmarshal([]byte(body), &progress); err != nil {
		t.Fatal(err)
	}
	if progress.Postponed["ppwp"] != 1 || progress.MissingPostponed != 1 {
		t.Errorf("progress of Pondok Aren: postponed %v, missing_postponed %d; want 1", progress.Postponed, progress.MissingPostponed)
	}

	req := httptest.NewRequest("GET", "/api/v1/dispatch/3674031007?contest=ppwp&kind=postponed", nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens["desk"])
	rec := httptest.NewRecorder()
	w.n.Handler.ServeHTTP(rec, req)
	var board struct {
		Items []struct {
			TPS, Kind, KindName, Postponed string
		} `json:"items"`
		Postponed int `json:"postponed"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &board); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	want := "PSS · diputuskan · tanggal baru 18-02-2024"
	if board.Postponed != 1 || len(board.Items) != 1 || board.Items[0].TPS != tps || board.Items[0].Postponed != want {
		t.Errorf("dispatch board: %s", rec.Body)
	}

	_, page := get(t, w.n.Handler, "/wilayah/3674031007?kontes=ppwp&jenis=postponed")
	if !strings.Contains(page, tps) || !strings.Contains(page, want) || !strings.Contains(page, "ditunda") {
		t.Errorf("the region page's missing list does not show TPS %s as ditunda with %q", tps, want)
	}
	_, csv := get(t, w.n.Handler, "/wilayah/3674031007/belum.csv?kontes=ppwp&jenis=postponed")
	if !strings.Contains(csv, tps) || !strings.Contains(csv, want) {
		t.Errorf("belum.csv:\n%s", csv)
	}

	// Done on the new date: the TPS is owed its forms like any other.
	done := `{"status":"selesai","name":"Ketua KPPS","office":"KPPS TPS 071","at":"2024-02-18T15:00:00+07:00"}`
	if got := w.post(t, "ppk.pondokaren", "/api/v1/postponements/1/close", done, nil); got != http.StatusOK {
		t.Fatalf("close: %d", got)
	}
	if _, body := get(t, w.n.Handler, "/api/v1/progress/367403"); !strings.Contains(body, `"missing_postponed":0`) {
		t.Errorf("after the postponed voting the progress still counts it: %s", body)
	}
	page2, err := w.n.Store.Audit(context.Background(), siaga.AuditFilter{Scope: "3674", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page2.Items {
		actions = append(actions, e.Action+" "+e.Actor)
	}
	if got := fmt.Sprint(actions[:4]); got != "[postponement.close user:ppk.pondokaren postponement.decide user:kpu.tangsel "+
		"postponement.recommend user:bawaslu.tangsel postponement.report user:ppk.pondokaren]" {
		t.Errorf("audit log: %s", got)
	}
}
