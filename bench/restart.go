package bench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/simulate"
)

type restartReport struct {
	Benchmark string `json:"benchmark"`
	TPS       int    `json:"tps"`
	Versions  int    `json:"versions"`
	Devices   int    `json:"devices,omitempty"` // enrolled while filling
	// Restart is the median time from opening the node on the data folder
	// until its first answer with the whole night's tally; FullReplay the
	// same through the replay that decodes every form, as restarts did
	// before.
	Restart        float64   `json:"restart_s"`
	FullReplay     float64   `json:"full_replay_s"`
	Speedup        float64   `json:"speedup"`
	RestartRuns    []float64 `json:"restart_runs_s"`
	FullReplayRuns []float64 `json:"full_replay_runs_s"`
	// TalliesEqual: after every restart, both ways, the served province
	// tally of every contest equals the one before the restart.
	TalliesEqual bool `json:"tallies_equal"`
	// FillS is how long filling the data folder took; 0 when the folder
	// given already held a night and was timed as it was.
	FillS    float64 `json:"fill_s"`
	DBSizeMB float64 `json:"db_size_mb"`
	machine
}

// runRestart fills a data folder with a simulated night (enrolled devices
// and every version, written through the engine without HTTP: the night
// benchmark measures that part), closes the node, then opens it again and
// times until the tallies are served, alternately as a restart does now
// and through the full replay that decodes every form.
func runRestart(ctx context.Context, o options) (any, error) {
	cfg := node.Config{DataDir: o.data, DB: o.db, Addr: "127.0.0.1:0", Now: time.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := restartReport{Benchmark: "restart", machine: machineInfo(o), TalliesEqual: true}
	start := time.Now()
	want, err := fillNight(ctx, cfg, o, &r)
	if err != nil {
		return nil, err
	}
	if r.Devices > 0 {
		r.FillS = math.Round(time.Since(start).Seconds()*10) / 10
	}
	r.DBSizeMB = math.Round(dirSizeMB(o.data))
	for range o.repeat {
		for _, full := range []bool{false, true} {
			cfg.FullReplay = full
			took, equal, err := timeRestart(ctx, cfg, want)
			if err != nil {
				return nil, err
			}
			r.TalliesEqual = r.TalliesEqual && equal
			if full {
				r.FullReplayRuns = append(r.FullReplayRuns, took)
			} else {
				r.RestartRuns = append(r.RestartRuns, took)
			}
		}
	}
	r.Restart, r.FullReplay = median(r.RestartRuns), median(r.FullReplayRuns)
	if r.Restart > 0 {
		r.Speedup = math.Round(r.FullReplay/r.Restart*10) / 10
	}
	return r, nil
}

// fillNight writes the night of the first o.n TPS (all when 0) and returns
// the province tally of every contest as the node served it. A data
// folder that already holds versions is kept as it is, so that restarts
// can be timed again in a quieter moment without filling it again.
func fillNight(ctx context.Context, cfg node.Config, o options, r *restartReport) ([]siaga.Tally, error) {
	if n, err := node.Open(ctx, cfg); err == nil {
		seq, want := n.Results.Seq(), provinceTallies(n)
		r.TPS, r.Versions = len(n.Registry.TPS), int(seq)
		n.Close()
		if seq > 0 {
			return want, nil
		}
	}
	if err := node.Init(ctx, cfg, o.province, o.seed); err != nil {
		return nil, fmt.Errorf("initialising %s: %w", o.data, err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", o.data, err)
	}
	defer n.Close()
	reg := n.Registry
	if o.n > 0 && o.n < len(reg.TPS) {
		reg = &siaga.Registry{Regions: reg.Regions, TPS: reg.TPS[:o.n]}
	}
	sim := simulate.New(reg, n.Election, simulate.Config{Seed: o.seed})
	items := sim.Schedule()
	authors, err := enrolNight(ctx, n, reg, items)
	if err != nil {
		return nil, err
	}
	r.TPS, r.Devices = len(reg.TPS), len(authors)
	// Corrections name the version they replace, so they go once every
	// report is in.
	for _, pass := range []func(simulate.Item) bool{
		func(it simulate.Item) bool { return it.Kind != simulate.Correction },
		func(it simulate.Item) bool { return it.Kind == simulate.Correction },
	} {
		var todo []simulate.Item
		for _, it := range items {
			if pass(it) {
				todo = append(todo, it)
			}
		}
		res := runLoad(ctx, o.clients, len(todo), func(ctx context.Context, i int) error {
			it := todo[i]
			sub := sim.Submission(it)
			author := "user:bench"
			if it.Kind != simulate.Correction {
				author = "device:" + authors[deviceKey{it.TPS, it.Source}]
			}
			// Straight to the engine, as the intake would after checking: the
			// night is the benchmark's own, and only the restart is timed.
			flags, err := n.Rules.Inspect(&sub)
			if err != nil {
				return err
			}
			canonical, form := sub.Canonical()
			_, _, err = n.Results.SubmitEncoded(ctx, &sub, canonical, form, author, flags)
			return err
		})
		if res.failed > 0 {
			return nil, fmt.Errorf("filling the night: %d submissions failed: %v", res.failed, res.errs)
		}
		r.Versions += res.done
	}
	return provinceTallies(n), nil
}

type deviceKey struct {
	tps    int
	source siaga.Source
}

// enrolNight enrols a phone for every TPS and a witness's where one
// reports, as on the night: a restart loads them all into its cache.
func enrolNight(ctx context.Context, n *node.Node, reg *siaga.Registry, items []simulate.Item) (map[deviceKey]string, error) {
	issuers, err := benchIssuers(ctx, n)
	if err != nil {
		return nil, err
	}
	var keys []deviceKey
	for i := range reg.TPS {
		keys = append(keys, deviceKey{i, siaga.SourceKPPS})
	}
	for _, it := range items {
		if it.Kind == simulate.WitnessCopy {
			keys = append(keys, deviceKey{it.TPS, siaga.SourceSaksi})
		}
	}
	slices.SortFunc(keys, func(a, b deviceKey) int {
		return cmp.Or(a.tps-b.tps, strings.Compare(string(a.source), string(b.source)))
	})
	keys = slices.Compact(keys)
	ids := make([]string, len(keys))
	res := runLoad(ctx, 8, len(keys), func(ctx context.Context, i int) error {
		role := siaga.RoleKPPS
		if keys[i].source == siaga.SourceSaksi {
			role = siaga.RoleSaksi
		}
		d, err := enrolDevice(ctx, n, issuers[role], reg.TPS[keys[i].tps].Code, role)
		ids[i] = d.id
		return err
	})
	if res.failed > 0 {
		return nil, fmt.Errorf("enrolling devices: %d failed: %v", res.failed, res.errs)
	}
	out := make(map[deviceKey]string, len(keys))
	for i, k := range keys {
		out[k] = ids[i]
	}
	return out, nil
}

func provinceTallies(n *node.Node) []siaga.Tally {
	var out []siaga.Tally
	for _, c := range siaga.Contests {
		t, _ := n.Results.Tally(c, rootCode(n.Registry))
		t.Seq = 0
		out = append(out, t)
	}
	return out
}

func rootCode(reg *siaga.Registry) string {
	for _, r := range reg.Regions {
		if r.Level == siaga.LevelProvince {
			return r.Code
		}
	}
	return ""
}

// timeRestart opens the node, serves it on loopback and asks for the
// province tally until the whole night is in it; it returns the seconds
// that took and whether every contest's tally is the one before.
func timeRestart(ctx context.Context, cfg node.Config, want []siaga.Tally) (float64, bool, error) {
	runtime.GC() // the previous node's memory is not this one's work
	client := newClient(1)
	defer client.CloseIdleConnections()
	start := time.Now()
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return 0, false, fmt.Errorf("restarting: %w", err)
	}
	defer n.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, false, fmt.Errorf("listening: %w", err)
	}
	go n.Serve(ln)
	url := "http://" + ln.Addr().String() + "/api/v1/results/ppwp/" + want[0].Region
	for {
		t, err := getTally(ctx, client, url)
		if err == nil && t.TPSReported == want[0].TPSReported {
			break
		}
		if ctx.Err() != nil {
			return 0, false, ctx.Err()
		}
		time.Sleep(time.Millisecond)
	}
	took := time.Since(start).Seconds()
	got := provinceTallies(n)
	return math.Round(took*1000) / 1000, reflect.DeepEqual(got, want), nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}
