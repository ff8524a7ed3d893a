package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// readResult is what the readers measured, printed as JSON by the readers
// child.
type readResult struct {
	Reads  int            `json:"reads"`
	Hits   int            `json:"hits"`
	P50    float64        `json:"p50_ms"`
	P90    float64        `json:"p90_ms"`
	P99    float64        `json:"p99_ms"`
	P999   float64        `json:"p999_ms"`
	WallS  float64        `json:"wall_s"`
	Failed int            `json:"failed"`
	Errors map[string]int `json:"errors,omitempty"`
}

// readers reads region totals until stopped: from this process's
// goroutines, or from a child process, as the desk's browsers are not the
// phones that post the forms.
type readers interface {
	finish() (readResult, error)
}

// startReaders starts o.readers readers of url over the regions.
func startReaders(ctx context.Context, o options, url string, regions [3][]string) (readers, error) {
	if o.inprocess {
		return readInProcess(ctx, url, regions, o.readers, o.readRate, o.seed), nil
	}
	exe, err := executable()
	if err != nil {
		return nil, err
	}
	levels := make([]string, len(regions))
	for i, codes := range regions {
		levels[i] = strings.Join(codes, ",")
	}
	c, err := startChild(ctx, exe, "bench", ReadersChild, "-url", url, "-readers", fmt.Sprint(o.readers),
		"-rate", fmt.Sprint(o.readRate), "-seed", fmt.Sprint(o.seed), "-regions", strings.Join(levels, ";"))
	if err != nil {
		return nil, err
	}
	return childReaders{c}, nil
}

type childReaders struct{ c *child }

func (cr childReaders) finish() (readResult, error) {
	var r readResult
	if err := cr.c.stop(); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(cr.c.stdout.String()), &r); err != nil {
		return r, fmt.Errorf("reading the readers' report %q: %w", cr.c.stdout, err)
	}
	return r, nil
}

// ReadersChild is the internal `siaga bench` subcommand that reads region
// totals in a process of its own until it is stopped.
const ReadersChild = "readers"

// RunReaders reads until ctx ends (SIGTERM, from the parent benchmark), then
// prints its readResult as JSON.
func RunReaders(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("siaga bench "+ReadersChild, flag.ContinueOnError)
	url := fs.String("url", "", "the node's base URL")
	n := fs.Int("readers", 8, "concurrent readers")
	rate := fs.Float64("rate", 0, "reads per second in all (0: as fast as answered)")
	seed := fs.Int64("seed", 1, "seed of the regions' order")
	list := fs.String("regions", "", "region codes: levels separated by ';', codes by ','")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var regions [3][]string
	for i, level := range strings.SplitN(*list, ";", 3) {
		if level != "" {
			regions[i] = strings.Split(level, ",")
		}
	}
	rd := readInProcess(ctx, *url, regions, *n, *rate, *seed)
	fmt.Fprintf(out, "Membaca %s/\n", *url)
	<-ctx.Done()
	r, err := rd.finish()
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(r)
}

// readInProcess starts n reader goroutines; they stop at finish (or when
// ctx ends) and never count a request cut short by stopping as a failure.
// With a rate, each reader keeps its share of a fixed schedule.
func readInProcess(ctx context.Context, url string, regions [3][]string, n int, rate float64, seed int64) *reader {
	rd := &reader{url: url, client: newClient(n), regions: regions, errs: map[string]int{},
		stop: make(chan struct{}), start: time.Now()}
	for k := range n {
		s := newSchedule(rd.start, rate, n, k)
		rd.wg.Go(func() { rd.loop(ctx, s, rand.New(rand.NewPCG(uint64(seed), uint64(k)))) })
	}
	return rd
}

// schedule says when a reader's next read is due. Open loop, a read's
// latency counts from when it was due, not from when it was sent, so a
// server that falls behind pays for the reads queued behind a slow one
// (no coordinated omission).
type schedule struct {
	next  time.Time
	every time.Duration // 0: closed loop, every read as soon as the last is answered
}

// newSchedule gives reader k of n its share of rate reads per second,
// staggered so that the n readers do not fire together.
func newSchedule(start time.Time, rate float64, n, k int) schedule {
	if rate <= 0 {
		return schedule{}
	}
	every := time.Duration(float64(n) / rate * float64(time.Second))
	return schedule{next: start.Add(every * time.Duration(k) / time.Duration(n)), every: every}
}

// due waits until the next read is due and returns the time its latency
// counts from; false when stopped first.
func (s *schedule) due(ctx context.Context, stop <-chan struct{}) (time.Time, bool) {
	if s.every == 0 {
		select {
		case <-stop:
			return time.Time{}, false
		case <-ctx.Done():
			return time.Time{}, false
		default:
			return time.Now(), true
		}
	}
	t := s.next
	s.next = t.Add(s.every)
	wait := time.Until(t)
	if wait <= 0 {
		return t, true // behind because of slow answers: they count
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-stop:
		return time.Time{}, false
	case <-ctx.Done():
		return time.Time{}, false
	case <-timer.C:
		// Go's timers fire up to a millisecond late; that lateness is the
		// reader's, not the server's.
		return time.Now(), true
	}
}

type reader struct {
	url     string
	client  *http.Client
	regions [3][]string
	hits    atomic.Int64
	stop    chan struct{}
	start   time.Time
	wg      sync.WaitGroup
	mu      sync.Mutex
	hist    histogram
	failed  int
	errs    map[string]int
}

func (rd *reader) finish() (readResult, error) {
	close(rd.stop)
	rd.wg.Wait()
	r := readResult{
		Reads: int(rd.hist.n), Hits: int(rd.hits.Load()),
		P50: ms(rd.hist.quantile(0.5)), P90: ms(rd.hist.quantile(0.9)),
		P99: ms(rd.hist.quantile(0.99)), P999: ms(rd.hist.quantile(0.999)),
		WallS: math.Round(time.Since(rd.start).Seconds()*100) / 100, Failed: rd.failed, Errors: rd.errs,
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	return r, nil
}

// loop reads random regions until stopped, keeping the ETag of each region
// it has seen as a browser would.
func (rd *reader) loop(ctx context.Context, s schedule, r *rand.Rand) {
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
		t0, ok := s.due(ctx, rd.stop)
		if !ok {
			return
		}
		level := rd.regions[r.IntN(3)]
		if len(level) == 0 {
			continue
		}
		code := level[r.IntN(len(level))]
		status, etag, err := rd.get(ctx, code, etags[code])
		if err != nil {
			if ctx.Err() != nil {
				return // stopped mid-request: not a failure of the server
			}
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
