package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
)

type readReport struct {
	Benchmark   string         `json:"benchmark"`
	Reads       int            `json:"reads"`
	Readers     int            `json:"readers"`
	ReadsPerS   float64        `json:"reads_per_s"`
	P50         float64        `json:"p50_ms"`
	P99         float64        `json:"p99_ms"`
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
	defer srv.close()
	w, err := prepareIngest(ctx, srv, o)
	if err != nil {
		return nil, err
	}
	regions := readRegions(srv.registry)
	if len(regions[0]) == 0 {
		return nil, fmt.Errorf("the registry has no province")
	}
	vis := newVisibility(srv.url, len(w.bodies), 0)
	vis.every = math.MaxInt // no visibility sampling: readers are the load here
	ingestDone := make(chan struct{})
	rd := &reader{url: srv.url, client: newClient(o.readers), regions: regions, errs: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for k := range o.readers {
		wg.Go(func() { rd.loop(ctx, ingestDone, rand.New(rand.NewPCG(uint64(o.seed), uint64(k)))) })
	}
	res := runLoad(ctx, o.clients, len(w.bodies), submitter(newClient(o.clients), srv.url, w, vis))
	close(ingestDone)
	wg.Wait()
	wall := time.Since(start)
	r := readReport{
		Benchmark: "read", Reads: int(rd.hist.n), Readers: o.readers,
		ReadsPerS: math.Round(float64(rd.hist.n) / wall.Seconds()),
		P50:       ms(rd.hist.quantile(0.5)), P99: ms(rd.hist.quantile(0.99)),
		Submissions: res.done, IngestPerS: math.Round(res.perSecond()),
		Failed: res.failed + rd.failed, Errors: topErrors(res.errs, rd.errs),
		machine: machineInfo(o),
	}
	if rd.hist.n > 0 {
		r.HitRate = math.Round(float64(rd.hits.Load())/float64(rd.hist.n)*1000) / 1000
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

type reader struct {
	url     string
	client  *http.Client
	regions [3][]string
	hits    atomic.Int64
	mu      sync.Mutex
	hist    histogram
	failed  int
	errs    map[string]int
}

// loop reads random regions until stop, keeping the ETag of each region
// it has seen as a browser would.
func (rd *reader) loop(ctx context.Context, stop <-chan struct{}, r *rand.Rand) {
	etags := map[string]string{}
	var h histogram
	bad := map[string]int{}
	defer func() {
		rd.mu.Lock()
		defer rd.mu.Unlock()
		rd.hist.merge(&h)
		for k, v := range bad {
			rd.errs[k] += v
			rd.failed += v
		}
	}()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		level := rd.regions[r.IntN(3)]
		if len(level) == 0 {
			continue
		}
		code := level[r.IntN(len(level))]
		t0 := time.Now()
		status, etag, err := rd.get(ctx, code, etags[code])
		if err != nil {
			bad[err.Error()]++
			continue
		}
		h.record(time.Since(t0))
		if status == http.StatusNotModified {
			rd.hits.Add(1)
		}
		etags[code] = etag
	}
}

func (rd *reader) get(ctx context.Context, code, etag string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rd.url+"/api/v1/results/ppwp/"+code, nil)
	if err != nil {
		return 0, "", fmt.Errorf("building request: %w", err)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := rd.client.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("GET results: %w", err)
	}
	status, body, err := drain(resp)
	if err != nil {
		return 0, "", err
	}
	if status != http.StatusOK && status != http.StatusNotModified {
		return 0, "", statusError(status, body)
	}
	if e := resp.Header.Get("ETag"); e != "" {
		etag = e
	}
	return status, etag, nil
}
