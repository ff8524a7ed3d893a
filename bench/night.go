package bench

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/simulate"
)

type nightReport struct {
	Benchmark   string         `json:"benchmark"`
	TPS         int            `json:"tps"`
	Submissions int            `json:"submissions"`
	Clients     int            `json:"clients"`
	Wall        float64        `json:"wall_s"`
	PerS        float64        `json:"submissions_per_s"`
	P50         float64        `json:"p50_ms"`
	P99         float64        `json:"p99_ms"`
	PeakRSSMB   float64        `json:"peak_rss_mb"`
	DBSizeMB    float64        `json:"db_size_mb"`
	RecountOK   bool           `json:"recount_ok"`
	RecountDiff []string       `json:"recount_diff,omitempty"`
	Failed      int            `json:"failed"`
	Errors      map[string]int `json:"errors,omitempty"`
	machine
}

// nightRun is one simulated night being posted: which KPPS version of each
// (TPS, contest) the server acknowledged, for the recount.
type nightRun struct {
	sim      *simulate.Night
	items    []simulate.Item
	kpps     map[string]device
	saksi    map[string]device
	codes    []string
	accepted []atomic.Int32        // per TPS×contest: acknowledged KPPS version
	reported map[int]chan struct{} // per TPS×contest with a correction: closed once the report is answered
	// bodies holds every signed body, item after item, so that the timed
	// part sends what phones would send without the benchmark spending the
	// server's cores on building and signing forms; offsets[i] is where
	// item i starts, offsets[len(items)] the end.
	bodies  *os.File
	offsets []int64
}

func slot(tps int, c siaga.Contest) int {
	return tps*len(siaga.Contests) + slices.Index(siaga.Contests, c)
}

// liveNight starts the node, prepares a night's signed forms and puts the
// node live as after a restart; stop closes both.
func liveNight(ctx context.Context, o options) (srv *server, nr *nightRun, stop func(), err error) {
	srv, err = startNode(ctx, o)
	if err != nil {
		return nil, nil, nil, err
	}
	if nr, err = prepareNight(ctx, srv, o); err != nil {
		srv.close()
		return nil, nil, nil, err
	}
	stop = func() { nr.close(); srv.close() } // srv.close: live replaces it
	if err := srv.live(ctx); err != nil {
		stop()
		return nil, nil, nil, err
	}
	return srv, nr, stop, nil
}

func runNight(ctx context.Context, o options) (any, error) {
	srv, nr, stop, err := liveNight(ctx, o)
	if err != nil {
		return nil, err
	}
	defer stop()
	client := newClient(o.clients)
	stopProfile, err := o.profile()
	if err != nil {
		return nil, err
	}
	res := runLoad(ctx, o.clients, len(nr.items), nr.poster(client, srv.url+"/api/v1/submissions"))
	stopProfile()
	r := nightReport{
		Benchmark: "night", TPS: len(nr.codes), Submissions: res.done, Clients: o.clients,
		Wall: math.Round(res.wall.Seconds()*100) / 100, PerS: math.Round(res.perSecond()),
		P50: ms(res.lat.quantile(0.5)), P99: ms(res.lat.quantile(0.99)),
		PeakRSSMB: math.Round(srv.peakRSSMB()), DBSizeMB: math.Round(dirSizeMB(srv.dataDir)),
		Failed: res.failed, Errors: topErrors(res.errs), machine: machineInfo(o),
	}
	want := nr.recount()
	r.RecountDiff, err = compareTallies(ctx, newClient(4), srv.url, o.province, want, universe(srv.election))
	if err != nil {
		return nil, err
	}
	r.RecountOK = len(r.RecountDiff) == 0
	return r, nil
}

// close removes the file of signed bodies.
func (nr *nightRun) close() {
	nr.bodies.Close()
	os.Remove(nr.bodies.Name())
}

// prepareNight simulates the night over the first n TPS (all when n is 0)
// and enrols a KPPS device for each and a saksi device where one reports.
func prepareNight(ctx context.Context, srv *server, o options) (*nightRun, error) {
	reg := srv.registry
	if o.n > 0 && o.n < len(reg.TPS) {
		reg = &siaga.Registry{Regions: reg.Regions, TPS: reg.TPS[:o.n]}
	}
	nr := &nightRun{
		sim:      simulate.New(reg, srv.election, simulate.Config{Seed: o.seed}),
		accepted: make([]atomic.Int32, len(reg.TPS)*len(siaga.Contests)),
		reported: map[int]chan struct{}{},
	}
	nr.items = nr.sim.Schedule()
	var witnesses []string
	for _, it := range nr.items {
		switch it.Kind {
		case simulate.WitnessCopy:
			witnesses = append(witnesses, reg.TPS[it.TPS].Code)
		case simulate.Correction:
			nr.reported[slot(it.TPS, it.Contest)] = make(chan struct{})
		}
	}
	for _, t := range reg.TPS {
		nr.codes = append(nr.codes, t.Code)
	}
	var err error
	if nr.kpps, err = enrolAll(ctx, srv, nr.codes, siaga.RoleKPPS); err != nil {
		return nil, err
	}
	slices.Sort(witnesses)
	if nr.saksi, err = enrolAll(ctx, srv, slices.Compact(witnesses), siaga.RoleSaksi); err != nil {
		return nil, err
	}
	return nr, nr.sign()
}

// sign writes the signed body of every item to a temporary file, outside
// the data folder so that the database size stays the database's.
func (nr *nightRun) sign() error {
	f, err := os.CreateTemp("", "siaga-night-bodies-")
	if err != nil {
		return fmt.Errorf("creating the bodies file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	nr.offsets = make([]int64, len(nr.items)+1)
	for i, it := range nr.items {
		body, err := signed(nr.sim.Submission(it), nr.device(it))
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(body); err != nil {
			f.Close()
			return fmt.Errorf("writing the bodies file: %w", err)
		}
		nr.offsets[i+1] = nr.offsets[i] + int64(len(body))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing the bodies file: %w", err)
	}
	nr.bodies = f
	return nil
}

func (nr *nightRun) device(it simulate.Item) device {
	if it.Source == siaga.SourceSaksi {
		return nr.saksi[nr.codes[it.TPS]]
	}
	return nr.kpps[nr.codes[it.TPS]]
}

func (nr *nightRun) body(i int) ([]byte, error) {
	b := make([]byte, nr.offsets[i+1]-nr.offsets[i])
	if _, err := nr.bodies.ReadAt(b, nr.offsets[i]); err != nil {
		return nil, fmt.Errorf("reading body %d: %w", i, err)
	}
	return b, nil
}

// poster posts item i, signed in advance. A correction first waits for the
// answer to the report it corrects, as a PPK would see the report first.
func (nr *nightRun) poster(client *http.Client, url string) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		it := nr.items[i]
		k := slot(it.TPS, it.Contest)
		if it.Kind == simulate.Correction {
			select {
			case <-nr.reported[k]:
			case <-ctx.Done():
				return ctx.Err()
			}
		} else if ch, ok := nr.reported[k]; ok && it.Kind == simulate.Report {
			defer close(ch)
		}
		body, err := nr.body(i)
		if err != nil {
			return err
		}
		status, resp, err := post(ctx, client, url, body)
		if err != nil {
			return err
		}
		if status != http.StatusCreated && status != http.StatusOK {
			return fmt.Errorf("%s %s: %w", it.Kind, it.Contest, statusError(status, resp))
		}
		if it.Source == siaga.SourceKPPS {
			nr.accepted[k].Store(int32(it.Version))
		}
		return nil
	}
}

// waitFor polls until the province's tally of a contest counts want TPS,
// or a few seconds pass: receipts are durable, tallies may trail them.
func waitFor(ctx context.Context, c *http.Client, url string, want int) (*siaga.Tally, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		t, err := getTally(ctx, c, url)
		if err != nil || t.TPSReported >= want || time.Now().After(deadline) {
			return t, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
