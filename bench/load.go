package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// newClient returns an HTTP client whose one transport keeps a connection
// per concurrent client alive, so that the benchmark measures requests and
// not TCP handshakes.
func newClient(clients int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        clients * 2,
		MaxIdleConnsPerHost: clients * 2,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}}
}

// loadResult is what one load run measured.
type loadResult struct {
	done   int
	failed int
	wall   time.Duration
	lat    histogram
	errs   map[string]int // first error text per kind, counted
}

func (r *loadResult) perSecond() float64 {
	if r.wall <= 0 {
		return 0
	}
	return float64(r.done) / r.wall.Seconds()
}

// runLoad calls do for i in [0, n) from clients goroutines, each taking the
// next i, until all are done or ctx ends. It records the latency of every
// call that returns nil.
func runLoad(ctx context.Context, clients, n int, do func(ctx context.Context, i int) error) *loadResult {
	var next atomic.Int64
	var mu sync.Mutex
	res := &loadResult{errs: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var h histogram
			ok, bad := 0, map[string]int{}
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				t0 := time.Now()
				if err := do(ctx, i); err != nil {
					bad[err.Error()]++
					continue
				}
				h.record(time.Since(t0))
				ok++
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat.merge(&h)
			res.done += ok
			for k, v := range bad {
				res.errs[k] += v
				res.failed += v
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	return res
}

// post sends body and returns the status and the response, read in full so
// the connection goes back to the pool.
func post(ctx context.Context, c *http.Client, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(c, req)
}

func do(c *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	return drain(resp)
}

// drain reads and closes the body so the connection can be reused.
func drain(resp *http.Response) (int, []byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading response of %s: %w", resp.Request.URL.Path, err)
	}
	return resp.StatusCode, b, nil
}

// statusError reports an unexpected answer, shortened so that errors group
// by kind in the report.
func statusError(status int, body []byte) error {
	const max = 160
	if len(body) > max {
		body = body[:max]
	}
	return fmt.Errorf("status %d: %s", status, bytes.TrimSpace(body))
}
