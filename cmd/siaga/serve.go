package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/warning"
)

func runInit(ctx context.Context, args []string, e *env) error {
	fs := flags("init", e)
	cfg := storeFlags(fs)
	province := fs.String("province", "36", "province code (36 = Banten) or all")
	seed := fs.Int64("seed", 2024, "seed of the synthetic parts (DPT per TPS, coordinates)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Logger = e.logger
	if err := node.Init(ctx, *cfg, *province, *seed); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Folder data %s siap, provinsi %s (data folder ready).\n", cfg.DataDir, *province)
	return nil
}

func runServe(ctx context.Context, args []string, e *env) error {
	fs := flags("serve", e)
	cfg := serveFlags(fs)
	bomFlag(fs, cfg)
	vulnerabilityFlag(fs, cfg)
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file when it stops")
	memprofile := fs.String("memprofile", "", "write a heap profile (in use and allocated) to this file when it stops")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics on this address (e.g. 127.0.0.1:9090) instead of the public one")
	fs.Func("public-url", "the address phones reach this server at (https://pemilu.example), printed in enrolment QR codes (default: the address the operator's browser used)", func(v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--public-url %q: harus seperti / must look like https://pemilu.example", v)
		}
		cfg.PublicURL = strings.TrimSuffix(v, "/")
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Logger = e.logger
	if *cpuprofile != "" {
		stop, err := node.StartCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *memprofile != "" {
		defer func() {
			if err := node.WriteHeapProfile(*memprofile); err != nil {
				fmt.Fprintln(e.stderr, err)
			}
		}()
	}
	n, err := node.Open(ctx, *cfg)
	if err != nil {
		return err
	}
	if *metricsAddr != "" {
		ln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			n.Close()
			return fmt.Errorf("listening on %s: %w", *metricsAddr, err)
		}
		fmt.Fprintf(e.stdout, "Metrik: http://%s/metrics\n", ln.Addr())
		go n.ServeMetrics(ln)
	}
	return serveUntilDone(ctx, n, e)
}

// parsePrefix reads an address or a CIDR prefix.
func parsePrefix(v string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is neither an address nor a CIDR prefix", v)
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// serveUntilDone answers HTTP on the node's address until ctx ends.
func serveUntilDone(ctx context.Context, n *node.Node, e *env) error {
	ln, err := net.Listen("tcp", n.Config.Addr)
	if err != nil {
		n.Close()
		return fmt.Errorf("listening on %s: %w", n.Config.Addr, err)
	}
	fmt.Fprintf(e.stdout, "Dasbor: http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- n.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	if cerr := n.Close(); err == nil {
		err = cerr
	}
	return err
}

// storeFlags are the flags of every command that opens a data folder:
// where its database is. The server key comes from the environment, as
// every secret does: not from the process list.
func storeFlags(fs *flagSet) *node.Config {
	cfg := &node.Config{SecretKey: os.Getenv("SIAGA_SECRET_KEY")}
	fs.StringVar(&cfg.DataDir, "data", "siaga-data", "data folder")
	fs.StringVar(&cfg.DB, "db", "", "postgres:// URL (default: SQLite in the data folder)")
	return cfg
}

// thresholdFlag sets how signal surveys are classified, for every command
// that classifies them (serve, plan interventions), so that the same text
// gives the same classes everywhere.
func thresholdFlag(fs *flagSet, cfg *node.Config) {
	fs.Func("signal-thresholds", "how surveys are classified: "+connectivity.ThresholdsHelp, func(v string) error {
		th, err := connectivity.ParseThresholds(v)
		var e *siaga.Error
		if errors.As(err, &e) {
			fs.valueErr = e
			return e
		}
		cfg.SignalThresholds = &th
		return err
	})
}

// countingFlags are storeFlags and the choice of the counting source, for
// the commands that compute tallies.
func countingFlags(fs *flagSet) *node.Config {
	cfg := storeFlags(fs)
	fs.Func("counting", "source of the official tally: kpps (default) or sirekap", func(s string) error {
		if !siaga.Source(s).Valid() {
			return fs.refuse("sumber tidak dikenal; pilih salah satu: %s", "unknown source; one of: %s", sourceList())
		}
		cfg.Counting = siaga.Source(s)
		return nil
	})
	return cfg
}

// serveFlags are countingFlags and what only a listening server needs: its
// address, its limits, the SMS gateways' secrets.
func serveFlags(fs *flagSet) *node.Config {
	cfg := countingFlags(fs)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.IntVar(&cfg.MaxPasswordHashes, "max-password-hashes", 0, "password hashes computed at once, 19 MiB each (default 2)")
	fs.Func("trusted-proxy", "a reverse proxy (address or CIDR) whose X-Forwarded-For/-Proto are believed; repeatable", func(v string) error {
		p, err := parsePrefix(v)
		if err != nil {
			return fs.refuse("bukan alamat atau prefiks CIDR (contoh 10.0.0.5, 10.0.0.0/8)",
				"neither an address nor a CIDR prefix (e.g. 10.0.0.5, 10.0.0.0/8)")
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		return nil
	})
	fs.IntVar(&cfg.Limits.MaxConns, "max-conns", 4096, "connections open at once")
	fs.IntVar(&cfg.Limits.MaxConnsPerClient, "max-conns-per-client", 256, "connections open at once from one address (trusted proxies exempt)")
	fs.IntVar(&cfg.Limits.MaxStreams, "max-streams", 1000, "live-update (SSE) streams open at once")
	cfg.SMSWebhookSecret = os.Getenv("SIAGA_SMS_WEBHOOK_SECRET")
	cfg.SMSKannelKey = os.Getenv("SIAGA_SMS_KANNEL_KEY")
	fs.StringVar(&cfg.SMSNumber, "sms-number", os.Getenv("SIAGA_SMS_NUMBER"), "the desk's SMS number that phones text reports to, given at enrolment (default $SIAGA_SMS_NUMBER)")
	cfg.MetricsToken = os.Getenv("SIAGA_METRICS_TOKEN")
	thresholdFlag(fs, cfg)
	warningFlags(fs, cfg)
	return cfg
}

// warningFlags are the early warning's method file and its SMS gateway;
// the gateway's user and password come from the environment, like the
// other secrets.
func warningFlags(fs *flagSet, cfg *node.Config) {
	fs.Func("warning", "early-warning method, a JSON file (docs/security-incidents.md \"Early warning\"); default: the documented rules", func(v string) error {
		b, err := os.ReadFile(v)
		if err != nil {
			return fs.refuse("berkas tidak bisa dibaca: %v", "cannot read the file: %v", err)
		}
		c, err := warning.ParseConfig(b)
		var e *siaga.Error
		if errors.As(err, &e) {
			fs.valueErr = e
			return e
		}
		cfg.Warning = c
		return err
	})
	fs.StringVar(&cfg.SMSSend.URL, "sms-send-url", os.Getenv("SIAGA_SMS_SEND_URL"),
		"Kannel sendsms address for the early warning's SMS, e.g. http://127.0.0.1:13013/cgi-bin/sendsms (default $SIAGA_SMS_SEND_URL; user and password from $SIAGA_SMS_SEND_USER, $SIAGA_SMS_SEND_PASSWORD)")
	cfg.SMSSend.User = os.Getenv("SIAGA_SMS_SEND_USER")
	cfg.SMSSend.Password = os.Getenv("SIAGA_SMS_SEND_PASSWORD")
}

// sourceList is the valid sources, for messages.
func sourceList() string {
	names := make([]string, len(siaga.Sources))
	for i, s := range siaga.Sources {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
