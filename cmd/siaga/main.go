// Command siaga is the one binary of the election desk: it initialises a
// data folder, serves the dashboard and API, imports KPU data, answers
// queries from the command line, runs the demo and the benchmarks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, env *env) error
}

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
	quiet          *slog.Logger // warnings only, for one-shot queries
}

var commands = []command{
	{"demo", "demo [--data DIR] [--addr HOST:PORT] [--night 10m]   simulated Banten election night with the dashboard", runDemo},
	{"init", "init --data DIR --province 36|all [--db URL]   a data folder with the real registry", runInit},
	{"serve", "serve --data DIR [--addr HOST:PORT] [--db URL]   the dashboard and the API", runServe},
	{"import", "import sirekap --data DIR [--contest ppwp] PATH…   KPU Sirekap per-TPS JSON", runImport},
	{"results", "results --data DIR --contest C --json REGION   a region's tally as JSON", runResults},
	{"anomalies", "anomalies --data DIR --json [--region CODE]   forms that break a rule, one JSON per line", runAnomalies},
	{"rebuild", "rebuild --data DIR   recompute every tally from the stored versions, compare with a restart's, check the hash chains (versions, audit log)", runRebuild},
	{"user", "user add|set-role --data DIR --username U --role R [--scope CODE] [--party N]   an account and its API token; change its role", runUser},
	{"device", "device revoke --data DIR ID   refuse a field device from now on", runDevice},
	{"token", "token revoke --data DIR [--user U] PREFIX|NAME   refuse an API token from now on", runToken},
	{"audit", "audit verify --data DIR   check the audit log's hash chain", runAudit},
	{"bench", "bench ingest|night|read|field|restart [flags]   the benchmarks of BENCHMARKS.md, as JSON", runBench},
}

func main() {
	tuneGC()
	tuneScheduler()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr,
		logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		quiet:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := run(ctx, os.Args[1:], e); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "siaga:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stderr)
		return flag.ErrHelp
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	usage(e.stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Siaga — Desk Pemilu: e-rekap and election-day readiness.\n\nUsage:")
	for _, c := range commands {
		fmt.Fprintln(w, "  siaga", c.usage)
	}
}

// flags returns a flag set for a command whose errors come back as values.
func flags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("siaga "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// tuneGC trades memory for CPU unless the operator chose: on election
// night the two cores are better spent on forms than on collecting
// garbage, and a soft limit keeps the heap well inside a small server.
// Rare collections also keep reads fast: while one marks, the Ps that
// have no goroutine run mark workers instead of stealing a reader's
// waiting goroutine, and on two cores those workers take the cores too
// (a third of the slowest reads fell inside a mark; BENCHMARKS.md, read).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(1000)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
}

// tuneScheduler runs more Ps than cores unless the operator chose. SQLite's
// writes and fsyncs block a thread and a P with it, and with one P per core
// a busy server polls the network only when a P runs dry, so a reader's
// request can wait ~10 ms for its connection to be noticed. Measured in
// BENCHMARKS.md: on 2 cores, 4×NumCPU Ps cut the read p99 from ~19 ms to
// ~7 ms and raised ingest by a quarter.
func tuneScheduler() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(4 * runtime.NumCPU())
	}
}
