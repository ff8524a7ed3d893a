package bench

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/simulate"
)

type ingestReport struct {
	Benchmark      string         `json:"benchmark"`
	Submissions    int            `json:"submissions"`
	Clients        int            `json:"clients"`
	PerS           float64        `json:"submissions_per_s"`
	P50            float64        `json:"p50_ms"`
	P99            float64        `json:"p99_ms"`
	VisibleP99     float64        `json:"visible_p99_ms"`
	VisibleSamples int            `json:"visible_samples"`
	ReferencePerS  float64        `json:"reference_per_s"`
	ReferenceP99   float64        `json:"reference_p99_ms"`
	Ratio          float64        `json:"ratio"`
	Failed         int            `json:"failed"`
	Errors         map[string]int `json:"errors,omitempty"`
	PeakRSSMB      float64        `json:"peak_rss_mb"`
	DBSizeMB       float64        `json:"db_size_mb"`
	machine
}

// workload is a set of signed ppwp KPPS submissions, one per TPS, signed
// before any timing starts.
type workload struct {
	bodies [][]byte
	tps    []string
	keys   map[string]ed25519.PublicKey
}

// prepareIngest picks o.n TPS at random (0: every TPS), enrols a KPPS
// device for each and signs each one's consistent ppwp count.
func prepareIngest(ctx context.Context, srv *server, o options) (*workload, error) {
	reg := srv.registry
	n := len(reg.TPS)
	if o.n > 0 {
		n = min(o.n, n)
	}
	pick := rand.New(rand.NewPCG(uint64(o.seed), 0x1e57)).Perm(len(reg.TPS))[:n]
	codes := make([]string, n)
	for k, i := range pick {
		codes[k] = reg.TPS[i].Code
	}
	devs, err := enrolAll(ctx, srv, codes, siaga.RoleKPPS)
	if err != nil {
		return nil, err
	}
	night := simulate.New(reg, srv.election, simulate.Config{
		Seed: o.seed, Contests: []siaga.Contest{siaga.PPWP},
		ErrorRate: -1, IncompleteRate: -1, WitnessShare: -1,
	})
	w := &workload{bodies: make([][]byte, n), tps: codes, keys: make(map[string]ed25519.PublicKey, n)}
	for k, i := range pick {
		it := simulate.Item{TPS: i, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Kind: simulate.Report, Version: 1}
		d := devs[codes[k]]
		if w.bodies[k], err = signed(night.Submission(it), d); err != nil {
			return nil, err
		}
		w.keys[d.id] = d.priv.Public().(ed25519.PublicKey)
	}
	return w, nil
}

func runIngest(ctx context.Context, o options) (any, error) {
	srv, err := startNode(ctx, o)
	if err != nil {
		return nil, err
	}
	defer func() { srv.close() }() // live replaces close
	w, err := prepareIngest(ctx, srv, o)
	if err != nil {
		return nil, err
	}
	client := newClient(o.clients)
	ref, err := measureReference(ctx, o, client, w)
	if err != nil {
		return nil, err
	}
	if err := srv.live(ctx); err != nil {
		return nil, err
	}
	vis := newVisibility(srv.url, len(w.bodies), o.samples)
	stopProfile, err := o.profile()
	if err != nil {
		return nil, err
	}
	res := runLoad(ctx, o.clients, len(w.bodies), submitter(client, srv.url, w, vis))
	stopProfile()
	vis.wait()
	r := ingestReport{
		Benchmark: "ingest", Submissions: res.done, Clients: o.clients,
		PerS: math.Round(res.perSecond()), P50: ms(res.lat.quantile(0.5)), P99: ms(res.lat.quantile(0.99)),
		VisibleP99: ms(vis.hist.quantile(0.99)), VisibleSamples: int(vis.hist.n),
		ReferencePerS: math.Round(ref.perSecond()), ReferenceP99: ms(ref.lat.quantile(0.99)),
		Failed: res.failed + vis.failed, Errors: topErrors(res.errs, vis.errs),
		PeakRSSMB: math.Round(srv.peakRSSMB()), DBSizeMB: math.Round(dirSizeMB(srv.dataDir)),
		machine: machineInfo(o),
	}
	if ref.perSecond() > 0 {
		r.Ratio = math.Round(res.perSecond()/ref.perSecond()*1000) / 1000
	}
	return r, nil
}

// measureReference runs the same clients and bodies against the reference
// handler on its own loopback port.
func measureReference(ctx context.Context, o options, client *http.Client, w *workload) (*loadResult, error) {
	base, stop, err := startReference(ctx, o, w.keys)
	if err != nil {
		return nil, err
	}
	defer stop()
	url := base + "/api/v1/submissions"
	res := runLoad(ctx, o.clients, len(w.bodies), func(ctx context.Context, i int) error {
		status, body, err := post(ctx, client, url, w.bodies[i])
		if err != nil {
			return err
		}
		if status != http.StatusCreated {
			return statusError(status, body)
		}
		return nil
	})
	if res.failed > 0 {
		return nil, fmt.Errorf("reference refused %d submissions: %v", res.failed, res.errs)
	}
	return res, nil
}

// submitter posts body i and, for a sample, watches when it turns visible.
func submitter(client *http.Client, url string, w *workload, vis *visibility) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		status, body, err := post(ctx, client, url+"/api/v1/submissions", w.bodies[i])
		if err != nil {
			return err
		}
		if status != http.StatusCreated && status != http.StatusOK {
			return statusError(status, body)
		}
		vis.maybeWatch(ctx, i, w.tps[i])
		return nil
	}
}

// visibility measures time-to-visible: from a receipt until the results API
// counts the TPS, for every k-th submission.
type visibility struct {
	url    string
	every  int
	client *http.Client
	wg     sync.WaitGroup
	mu     sync.Mutex
	hist   histogram
	failed int
	errs   map[string]int
}

func newVisibility(url string, n, samples int) *visibility {
	return &visibility{url: url, every: max(1, n/max(samples, 1)), client: newClient(8), errs: map[string]int{}}
}

func (v *visibility) maybeWatch(ctx context.Context, i int, tps string) {
	if i%v.every != 0 {
		return
	}
	receipt := time.Now()
	v.wg.Go(func() {
		err := v.watch(ctx, tps)
		v.mu.Lock()
		defer v.mu.Unlock()
		if err != nil {
			v.failed++
			v.errs["visibility: "+err.Error()]++
			return
		}
		v.hist.record(time.Since(receipt))
	})
}

var errNotVisible = errors.New("not visible within 10 s")

func (v *visibility) watch(ctx context.Context, tps string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	url := v.url + "/api/v1/results/" + string(siaga.PPWP) + "/" + tps
	for {
		t, err := getTally(ctx, v.client, url)
		if err != nil {
			return err
		}
		if t.TPSReported > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return errNotVisible
		case <-time.After(time.Millisecond):
		}
	}
}

func (v *visibility) wait() { v.wg.Wait() }

func getTally(ctx context.Context, c *http.Client, url string) (*siaga.Tally, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("building request: %w", err)
	}
	status, body, err := do(c, req)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, statusError(status, body)
	}
	var t siaga.Tally
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("decoding the tally of %s: %w", url, err)
	}
	return &t, nil
}

// topErrors merges error counts, keeping the ten most frequent kinds.
func topErrors(ms ...map[string]int) map[string]int {
	all := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			all[k] += v
		}
	}
	for len(all) > 10 {
		least := ""
		for k, v := range all {
			if least == "" || v < all[least] || (v == all[least] && k < least) {
				least = k
			}
		}
		delete(all, least)
	}
	if len(all) == 0 {
		return nil
	}
	return all
}
