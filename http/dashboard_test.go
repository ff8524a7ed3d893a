package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/google/uuid"
)

// newNode initialises a data folder with the real Banten registry and opens
// a node on it.
func newNode(t *testing.T) *node.Node {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	start := time.Now()
	if err := node.Init(ctx, node.Config{DataDir: dir}, "36", 1); err != nil {
		t.Fatalf("init: %v", err)
	}
	n, err := node.Open(ctx, node.Config{DataDir: dir, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	t.Logf("node ready in %v", time.Since(start))
	return n
}

// ppwpForm is a consistent presidential count for a TPS of dpt voters.
func ppwpForm(dpt int, votes [3]int, invalid int) siaga.Form {
	sah := votes[0] + votes[1] + votes[2]
	used := sah + invalid
	return siaga.Form{
		Admin: siaga.Admin{
			"pemilih_dpt_j": dpt, "pengguna_dpt_j": used, "pengguna_dptb_j": 0, "pengguna_non_dpt_j": 0,
			"pengguna_total_j": used, "suara_sah": sah, "suara_tidak_sah": invalid, "suara_total": used,
		},
		Votes: &siaga.Votes{Options: map[string]int{"01": votes[0], "02": votes[1], "03": votes[2]}},
	}
}

func submit(t *testing.T, n *node.Node, tps string, src siaga.Source, f siaga.Form) siaga.Receipt {
	t.Helper()
	sub := &siaga.Submission{Contest: siaga.PPWP, Form: f, ID: uuid.NewString(), Source: src, TPS: tps}
	if err := n.Validate(sub); err != nil {
		t.Fatalf("validate %s: %v", tps, err)
	}
	rc, _, err := n.Results.Submit(context.Background(), sub, "test")
	if err != nil {
		t.Fatalf("submit %s: %v", tps, err)
	}
	return rc
}

func get(t *testing.T, h http.Handler, url string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSmoke(t *testing.T) {
	n := newNode(t)
	tps := n.Regions.TPSOf("3601")[0]
	submit(t, n, tps.Code, siaga.SourceKPPS, ppwpForm(tps.DPT, [3]int{100, 50, 20}, 3))
	for _, u := range []string{"/", "/wilayah/36", "/wilayah/3601", "/wilayah/" + tps.Desa, "/tps/" + tps.Code, "/anomali", "/masuk", "/api/v1/map/ppwp/36", "/wilayah/36/grafik.svg"} {
		res, body := get(t, n.Handler, u)
		fmt.Println(u, res.StatusCode, len(body))
		if strings.Contains(u, "map") {
			fmt.Println(body[:min(600, len(body))])
		}
	}
}
