package bench

import (
	"context"
	"fmt"
	"math"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/priority"
)

type readReport struct {
	Benchmark   string         `json:"benchmark"`
	Reads       int            `json:"reads"`
	Readers     int            `json:"readers"`
	Rate        float64        `json:"rate"` // reads per second asked for; 0: closed loop
	PhonesNice  int            `json:"phones_nice"`
	ReadsPerS   float64        `json:"reads_per_s"`
	P50         float64        `json:"p50_ms"`
	P90         float64        `json:"p90_ms"`
	P99         float64        `json:"p99_ms"`
	P999        float64        `json:"p999_ms"`
	HitRate     float64        `json:"conditional_hit_rate"` // share of GETs answered 304
	Submissions int            `json:"submissions"`
	IngestPerS  float64        `json:"submissions_per_s"`
	Failed      int            `json:"failed"`
	Errors      map[string]int `json:"errors,omitempty"`
	machine
}

// runRead reads region totals with conditional GETs while an ingest runs.
func runRead(ctx context.Context, o options) (any, error) {
	srv, err := startNode(ctx, o)
	if err != nil {
		return nil, err
	}
	defer func() { srv.close() }() // live replaces close
	w, err := prepareIngest(ctx, srv, o)
	if err != nil {
		return nil, err
	}
	if err := srv.live(ctx); err != nil {
		return nil, err
	}
	regions := readRegions(srv.registry)
	if len(regions[0]) == 0 {
		return nil, fmt.Errorf("the registry has no province")
	}
	vis := newVisibility(srv.url, len(w.bodies), 0)
	vis.every = math.MaxInt // no visibility sampling: readers are the load here
	rd, err := startReaders(ctx, o, srv.url, regions)
	if err != nil {
		return nil, err
	}
	if !o.inprocess && o.phonesNice > 0 {
		// After the children started, which keep normal priority.
		if err := priority.LowerProcess(o.phonesNice); err != nil {
			return nil, err
		}
	}
	res := runLoad(ctx, o.clients, len(w.bodies), submitter(newClient(o.clients), srv.url, w, vis))
	got, err := rd.finish()
	if err != nil {
		return nil, err
	}
	r := readReport{
		Benchmark: "read", Reads: got.Reads, Readers: o.readers, Rate: o.readRate, PhonesNice: o.phonesNice,
		P50: got.P50, P90: got.P90, P99: got.P99, P999: got.P999,
		Submissions: res.done, IngestPerS: math.Round(res.perSecond()),
		Failed: res.failed + got.Failed, Errors: topErrors(res.errs, got.Errors),
		machine: machineInfo(o),
	}
	if got.WallS > 0 {
		r.ReadsPerS = math.Round(float64(got.Reads) / got.WallS)
	}
	if got.Reads > 0 {
		r.HitRate = math.Round(float64(got.Hits)/float64(got.Reads)*1000) / 1000
	}
	return r, nil
}

// readRegions lists the codes a desk reads most: the province, its kab/kota
// and its kecamatan.
func readRegions(reg *siaga.Registry) [3][]string {
	var out [3][]string
	for _, r := range reg.Regions {
		if r.Level >= siaga.LevelProvince && r.Level <= siaga.LevelKecamatan {
			out[r.Level-1] = append(out[r.Level-1], r.Code)
		}
	}
	return out
}
