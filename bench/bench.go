// Package bench runs Siaga's benchmarks (SPEC section 10) against a real
// node over loopback TCP and prints one JSON object per run. Each benchmark
// measures its own reference in the same run so that ratios hold on a noisy
// machine.
package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga/node"
)

// options are the flags every benchmark shares.
type options struct {
	data     string
	db       string
	province string
	n        int
	clients  int
	readers  int
	// readRate paces the readers at this many reads per second in all
	// (open loop); 0 reads as fast as they are answered (closed loop).
	readRate float64
	// phonesNice lowers the posting phones' priority (read): in life they
	// are not on the server's machine.
	phonesNice int
	seed       int64
	samples    int
	timeout    time.Duration
	// cpuprofile, when set, profiles Siaga: the timed phase in-process,
	// the whole `siaga serve` child otherwise.
	cpuprofile string
	// memprofile, when set, has the server process write a heap profile
	// when it stops (processes apart only).
	memprofile string
	// inprocess serves the node from this process instead of a `siaga
	// serve` child, sharing the cores' scheduler with the load generator.
	inprocess bool
	// repeat is how many restarts of each kind the restart benchmark times.
	repeat int
	field  fieldFlags
}

var benchmarks = map[string]func(ctx context.Context, o options) (any, error){
	"ingest":  runIngest,
	"night":   runNight,
	"read":    runRead,
	"field":   runField,
	"restart": runRestart,
	// anomalies pages through the province's anomaly list after a night.
	"anomalies": runAnomalies,
	// export times the XLSX of every kab/kota's TPS results after a night.
	"export": runExport,
	// search answers realistic queries over the national registry.
	"search": runSearch,
	// geo plans interventions over Banten's blank-spot TPS (and, from
	// the hazard part, times hazard exposure).
	"geo": runGeo,
	// logistics times the needs of every TPS and the province readiness
	// board over 50,000 shipment events.
	"logistics": runLogistics,
	// incidents times the early-warning scan over 100,000 reports of a
	// day with injected clusters.
	"incidents": runIncidents,
}

// Run runs the benchmark name with its command-line args and writes its
// JSON report to out.
func Run(ctx context.Context, name string, args []string, out io.Writer) error {
	run, ok := benchmarks[name]
	if !ok {
		return fmt.Errorf("unknown benchmark %q (want one of: %s)", name, benchmarkNames())
	}
	o, err := parseFlags(name, args)
	if err != nil {
		return err
	}
	if o.data == "" {
		dir, err := os.MkdirTemp("", "siaga-bench-")
		if err != nil {
			return fmt.Errorf("creating a data folder: %w", err)
		}
		defer os.RemoveAll(dir)
		o.data = dir
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	report, err := run(ctx, o)
	if err != nil {
		return fmt.Errorf("bench %s: %w", name, err)
	}
	enc := json.NewEncoder(out)
	if err := enc.Encode(report); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

func parseFlags(name string, args []string) (options, error) {
	fs := flag.NewFlagSet("siaga bench "+name, flag.ContinueOnError)
	var o options
	// read's ingest posts every TPS once: at 1,000 reads per second that is
	// still only some 7,000 reads to take a p99 from.
	defN := map[string]int{"ingest": 20000, "read": 0, "night": 0, "field": 100, "restart": 0, "anomalies": 0, "export": 0, "search": 5000, "geo": 5000, "logistics": 50000, "incidents": 100000}[name]
	// Search is measured on the national registry, the largest it must
	// hold, by a few officials at once rather than by phones.
	defProvince, defClients := "36", 64
	if name == "search" {
		defProvince, defClients = "all", 4
	}
	fs.StringVar(&o.data, "data", "", "data folder (default: a temporary folder, removed after)")
	fs.StringVar(&o.db, "db", "", "PostgreSQL DSN (default: SQLite in the data folder)")
	fs.StringVar(&o.province, "province", defProvince, "province code of the registry (\"all\": Indonesia)")
	fs.IntVar(&o.n, "n", defN, "submissions (ingest, read: 0 = one per TPS; field), TPS (night, restart, anomalies, export; 0 = every TPS), queries (search), candidate sites (geo), shipment events (logistics) or reports of the day (incidents)")
	fs.IntVar(&o.repeat, "repeat", 1, "restarts timed of each kind, alternately (restart)")
	fs.IntVar(&o.clients, "clients", defClients, "concurrent HTTP clients")
	fs.IntVar(&o.readers, "readers", 8, "concurrent readers (read)")
	fs.Float64Var(&o.readRate, "rate", 1000, "reads per second in all, on a fixed schedule (read; 0 = as fast as answered)")
	fs.IntVar(&o.phonesNice, "phones-nice", 10, "nice value of the posting phones, whose process shares the cores with the server (read; 0 = normal)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the registry and the simulated night")
	fs.IntVar(&o.samples, "samples", 200, "submissions sampled for time-to-visible")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "give up after this long")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the server to this file")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile of the server process to this file when it stops")
	fs.BoolVar(&o.inprocess, "inprocess", false, "serve from this process, not from `siaga serve` and `siaga bench reference-server` children")
	if name == "field" {
		o.field.register(fs)
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	// The field benchmark counts bytes at its own listener and stops and
	// starts the node itself, so it always serves in-process.
	// The restart benchmark opens the node itself, in-process, to time
	// the opening.
	o.inprocess = o.inprocess || name == "field" || name == "restart" || name == "anomalies"
	if o.clients < 1 || o.n < 0 || o.readers < 1 || o.repeat < 1 || o.readRate < 0 || o.phonesNice < 0 || o.phonesNice > 19 {
		return o, fmt.Errorf("bench %s: -clients, -readers and -repeat must be positive, -n and -rate not negative, -phones-nice 0 to 19", name)
	}
	return o, nil
}

// machine describes where a benchmark ran; every report embeds it.
type machine struct {
	GoVersion string `json:"go_version"`
	CPUs      int    `json:"cpus"`
	Date      string `json:"date"`
	DB        string `json:"db"`
	// Server is "process" when the node ran as `siaga serve` apart from
	// the load generator, "in-process" when they shared one Go runtime.
	Server string `json:"server"`
}

func machineInfo(o options) machine {
	db := "sqlite"
	if o.db != "" {
		db = "postgres"
	}
	server := "process"
	if o.inprocess {
		server = "in-process"
	}
	return machine{GoVersion: runtime.Version(), CPUs: runtime.NumCPU(), Date: time.Now().UTC().Format(time.RFC3339), DB: db, Server: server}
}

// profile starts a CPU profile when o asks for one of this process and
// returns its stop; a `siaga serve` child profiles itself.
func (o options) profile() (stop func(), err error) {
	if o.cpuprofile == "" || !o.inprocess {
		return func() {}, nil
	}
	return node.StartCPUProfile(o.cpuprofile)
}

// benchmarkNames lists the benchmarks, for messages.
func benchmarkNames() string {
	names := slices.Sorted(maps.Keys(benchmarks))
	return strings.Join(names, ", ")
}
