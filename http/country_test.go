package http_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestCountryPage: a registry of several provinces opens on a list of them.
func TestCountryPage(t *testing.T) {
	ctx := context.Background()
	cfg := node.Config{DataDir: t.TempDir()}
	store, err := node.OpenStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reg := &siaga.Registry{}
	for _, p := range []struct{ code, name string }{{"35", "Jawa Timur"}, {"36", "Banten"}} {
		desa := p.code + "01012001"
		reg.Regions = append(reg.Regions,
			siaga.Region{Code: p.code, Level: siaga.LevelProvince, Name: p.name, TPSCount: 1, DPT: 200},
			siaga.Region{Code: p.code + "01", Parent: p.code, Level: siaga.LevelKabKota, Name: "Kab " + p.name, TPSCount: 1, DPT: 200},
			siaga.Region{Code: p.code + "0101", Parent: p.code + "01", Level: siaga.LevelKecamatan, Name: "Kec " + p.name, TPSCount: 1, DPT: 200},
			siaga.Region{Code: desa, Parent: p.code + "0101", Level: siaga.LevelDesa, Name: "Desa " + p.name, TPSCount: 1, DPT: 200})
		reg.TPS = append(reg.TPS, siaga.TPS{Code: desa + "001", Desa: desa, Number: 1, DPT: 200})
	}
	if err := store.SaveRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveElection(ctx, &siaga.Election{ID: "t", Name: "Uji", Tickets: []siaga.Ticket{{Number: "01"}}}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	n, err := node.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	url := nodetest.Serve(t, n)
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `href="/wilayah/35?`) || !strings.Contains(page, `href="/wilayah/36?`) {
		t.Errorf("root of a two-province registry: status %d, want links to both provinces:\n%s", resp.StatusCode, page)
	}
}
