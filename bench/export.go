package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
)

// exportReport times the XLSX download of every TPS of each kab/kota, with
// its votes, after a full night: the file a KPU or Bawaslu official takes
// into a spreadsheet (issue 11's target: at most 2 s).
type exportReport struct {
	Benchmark   string         `json:"benchmark"`
	TPS         int            `json:"tps"`
	Submissions int            `json:"submissions"`
	NightWall   float64        `json:"night_wall_s"`
	Exports     []exportTiming `json:"exports"`
	MaxS        float64        `json:"max_s"`
	TargetS     float64        `json:"target_s"`
	// RateWaits counts the answers 429/503 that asked the benchmark, like
	// any client, to come back later: the server's bounds on downloads
	// (docs/security.md). The time waiting is not in any export's seconds.
	RateWaits int            `json:"rate_waits"`
	Failed    int            `json:"failed"`
	Errors    map[string]int `json:"errors,omitempty"`
	machine
}

type exportTiming struct {
	KabKota string        `json:"kabkota"`
	Name    string        `json:"name"`
	Contest siaga.Contest `json:"contest"`
	TPS     int           `json:"tps"`
	Seconds float64       `json:"seconds"`
	Bytes   int64         `json:"bytes"`
}

// exportContests are timed for every kab/kota: the presidential ballot
// (three columns of votes) and DPRD Kab/Kota, a ballot of eighteen parties.
var exportContests = []siaga.Contest{siaga.PPWP, siaga.DPRDKab}

func runExport(ctx context.Context, o options) (any, error) {
	srv, nr, stop, err := liveNight(ctx, o)
	if err != nil {
		return nil, err
	}
	defer stop()
	res := runLoad(ctx, o.clients, len(nr.items), nr.poster(newClient(o.clients), srv.url+"/api/v1/submissions"))
	r := exportReport{Benchmark: "export", TPS: len(nr.codes), Submissions: res.done,
		NightWall: math.Round(res.wall.Seconds()*100) / 100, TargetS: 2,
		Failed: res.failed, Errors: topErrors(res.errs), machine: machineInfo(o)}
	stopProfile, err := o.profile()
	if err != nil {
		return nil, err
	}
	defer stopProfile()
	client := newClient(1)
	tps := map[string]int{}
	for _, t := range srv.registry.TPS {
		tps[t.Code[:4]]++
	}
	for _, kab := range srv.registry.Regions {
		if kab.Level != siaga.LevelKabKota || kab.Parent != o.province {
			continue
		}
		for _, c := range exportContests {
			et, waits, err := timeExportPolitely(ctx, client, srv.url+"/wilayah/"+kab.Code+"/tps.xlsx?kontes="+string(c))
			r.RateWaits += waits
			if err != nil {
				return nil, fmt.Errorf("export of %s %s: %w", kab.Code, c, err)
			}
			et.KabKota, et.Name, et.Contest, et.TPS = kab.Code, kab.Name, c, tps[kab.Code]
			r.Exports = append(r.Exports, et)
			r.MaxS = max(r.MaxS, et.Seconds)
		}
	}
	if len(r.Exports) == 0 {
		return nil, fmt.Errorf("province %s has no kab/kota", o.province)
	}
	return r, nil
}

// timeExportPolitely times the download of url, coming back after the
// server's Retry-After when it says it is busy (at most 20 times).
func timeExportPolitely(ctx context.Context, c *http.Client, url string) (exportTiming, int, error) {
	for waits := 0; ; waits++ {
		et, retry, err := timeExport(ctx, c, url)
		if retry == 0 || waits == 20 {
			return et, waits, err
		}
		select {
		case <-time.After(retry):
		case <-ctx.Done():
			return et, waits, ctx.Err()
		}
	}
}

// timeExport downloads url whole, from the request to the last byte; a
// 429 or 503 gives how long the server asks to wait.
func timeExport(ctx context.Context, c *http.Client, url string) (exportTiming, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return exportTiming{}, 0, err
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return exportTiming{}, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	took := time.Since(start)
	if err != nil {
		return exportTiming{}, 0, err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return exportTiming{}, time.Duration(max(secs, 1)) * time.Second, fmt.Errorf("status %d", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return exportTiming{}, 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	return exportTiming{Seconds: math.Round(took.Seconds()*1000) / 1000, Bytes: n}, 0, nil
}
