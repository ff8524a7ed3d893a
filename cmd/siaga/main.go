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

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/search"
)

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, env *env) error
	// verb is true when the command takes a verb first (user add, device
	// revoke): its own help is its usage line, the verb's has the flags.
	verb bool
}

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	logger         *slog.Logger
	quiet          *slog.Logger // warnings only, for one-shot queries
}

var commands = []command{
	{"demo", "demo [--data DIR] [--addr HOST:PORT] [--night 10m]   simulated Banten election night with the dashboard", runDemo, false},
	{"init", "init --data DIR --province 36|all [--db URL]   a data folder with the real registry", runInit, false},
	{"serve", "serve --data DIR [--addr HOST:PORT] [--db URL]   the dashboard and the API", runServe, false},
	{"import", "import sirekap --data DIR [--contest ppwp] PATH… | surveys|sites|tps-locations --data DIR FILE | shipments --data DIR [--bom FILE] FILE | hazards --data DIR --name N [--source S] [--synthetic] FILE   KPU Sirekap per-TPS JSON; signal surveys, candidate sites, TPS locations, logistics shipments (CSV); hazard zones (GeoJSON)", runImport, true},
	{"plan", "plan interventions --data DIR --kind booster|vsat|cow (--k N | --budget X) [--weight tps|dpt] [--region CODE] [--json]   where to put them to reach the most TPS", runPlan, true},
	{"logistics", "logistics needs --data DIR [--bom FILE] [--json] CODE   what a TPS or region needs: ballots per contest and dapil, boxes, booths, ink, seals, forms", runLogistics, true},
	{"results", "results --data DIR --contest C --json REGION   a region's tally as JSON", runResults, false},
	{"anomalies", "anomalies --data DIR --json [--region CODE] [--contest C] [--rule R] [--source S] [--status S]   every form that breaks a rule, one JSON per line", runAnomalies, false},
	{"rebuild", "rebuild --data DIR   recompute every tally from the stored versions, compare with a restart's, check the hash chains (versions, audit log)", runRebuild, false},
	{"user", "user add|set-role --data DIR --username U --role R [--scope CODE] [--party N] [--password-stdin]   an account and its API token (password: prompt, stdin or generated); change its role", runUser, true},
	{"device", "device revoke --data DIR ID   refuse a field device from now on", runDevice, true},
	{"token", "token revoke --data DIR [--user U] PREFIX|NAME   refuse an API token from now on", runToken, true},
	{"audit", "audit verify --data DIR   check the audit log's hash chain", runAudit, true},
	{"bench", "bench ingest|night|read|field|restart|anomalies|export|search|geo|logistics|incidents [flags]   the benchmarks of BENCHMARKS.md, as JSON", runBench, true},
}

func main() {
	tuneGC()
	tuneScheduler()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		quiet:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	os.Exit(exitCode(run(ctx, os.Args[1:], e), os.Stderr))
}

// errUsage is a command line that names no command: the usage is printed.
var errUsage = errors.New("siaga: no command")

// exitCode is 0 when the command succeeded or printed the help it was
// asked for, 2 for a command line without a known command, else 1 after
// printing err.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	printError(stderr, err)
	if errors.Is(err, errUnknownCommand) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		usage(e.stderr)
		return errUsage
	}
	if isHelp(args[0]) || args[0] == "help" {
		return help(ctx, args[1:], e)
	}
	c, err := lookup(args[0])
	if err != nil {
		return err
	}
	if c.verb && len(args) > 1 && isHelp(args[1]) {
		fmt.Fprintln(e.stderr, "usage: siaga", c.usage)
		return flag.ErrHelp
	}
	return c.run(ctx, args[1:], e)
}

// errUnknownCommand is wrapped by lookup's error.
var errUnknownCommand = errors.New("unknown command")

// lookup finds a command by name; an unknown one is an error that names
// the nearest command when one is close (a typo), and the help.
func lookup(name string) (*command, error) {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i], nil
		}
	}
	hint, hintEN := "", ""
	if near := nearestCommand(name); near != "" {
		hint, hintEN = fmt.Sprintf(" Maksud Anda `siaga %s`?", near), fmt.Sprintf(" Did you mean `siaga %s`?", near)
	}
	e := siaga.Errorf(siaga.EInvalid, "", "perintah %q tidak dikenal.", "unknown command %q.", name)
	e.Message += hint + " Daftar perintah: `siaga help`."
	e.MessageEN += hintEN + " The commands: `siaga help`."
	return nil, fmt.Errorf("%w: %w", errUnknownCommand, e)
}

// nearestCommand is the command within two edits of name, if any (the
// search box's distance: a swap of two letters is one edit).
func nearestCommand(name string) string {
	best, bestD := "", 3
	for _, c := range commands {
		if d := search.Distance(name, c.name, 2); d < bestD {
			best, bestD = c.name, d
		}
	}
	return best
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// help prints, on stdout, the list of commands or what a command's own
// --help prints: `siaga help user add` is `siaga user add --help`.
func help(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		usage(e.stdout)
		return nil
	}
	c, err := lookup(args[0])
	if err != nil {
		return err
	}
	out := *e
	out.stderr = e.stdout
	if c.verb && len(args) == 1 {
		fmt.Fprintln(out.stderr, "usage: siaga", c.usage)
		return nil
	}
	err = c.run(ctx, append(args[1:len(args):len(args)], "--help"), &out)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Siaga — Desk Pemilu: e-rekap dan kesiapan hari pemungutan suara (e-rekap and election-day readiness).\n\nPemakaian / usage:")
	for _, c := range commands {
		fmt.Fprintln(w, "  siaga", c.usage)
	}
	fmt.Fprintln(w, "\nsiaga help PERINTAH [VERB] menampilkan flag-nya (lists a command's flags).")
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
