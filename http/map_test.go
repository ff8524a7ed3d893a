package http_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// mapGeo is the geographic part of a map answer: layer URLs, the centre and
// where each child stands, with the layer files behind the URLs.
type mapGeo struct {
	Geo         string      `json:"geo,omitempty"`
	Outline     string      `json:"outline,omitempty"`
	OutlineCode string      `json:"outline_code,omitempty"`
	Center      *[2]float64 `json:"center,omitempty"`
	Children    []struct {
		Code string  `json:"code"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
	} `json:"children"`
	Layers map[string]string `json:"layers"` // URL → content type and hash of the body
}

// TestMapGeoUnchanged: the map's boundaries, centres and child positions
// are those recorded in testdata/map_geo.golden (recorded before the
// boundaries moved to package geo), and the layers they point to are served
// with the same bytes and type.
func TestMapGeoUnchanged(t *testing.T) {
	n := newNode(t)
	got := map[string]mapGeo{}
	for _, region := range []string{"36", "3601", "3673", "360101", "367301", "3601012001", "3673011001"} {
		res, body := get(t, n.Handler, "/api/v1/map/ppwp/"+region)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", region, res.StatusCode)
		}
		var d mapGeo
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		d.Layers = map[string]string{}
		for _, u := range []string{d.Geo, d.Outline} {
			if u == "" {
				continue
			}
			res, body := get(t, n.Handler, u)
			sum := sha256.Sum256([]byte(body))
			d.Layers[u] = res.Header.Get("Content-Type") + " " + res.Header.Get("Cache-Control") + " " + hex.EncodeToString(sum[:8])
		}
		got[region] = d
	}
	const golden = "testdata/map_geo.golden"
	if *updateGolden {
		b, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]mapGeo
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("map geography changed (-want +got):\n%s", d)
	}
}
