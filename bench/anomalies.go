package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/deskpemilu/siaga/node"
)

// anomaliesReport is what `siaga bench anomalies` prints: the province's
// complete anomaly list paged through over HTTP after a full night, with
// the time of each page (target ≤ 100 ms).
type anomaliesReport struct {
	Benchmark string `json:"benchmark"`
	machine
	TPS      int     `json:"tps"`
	Versions int     `json:"versions"`
	Pages    int     `json:"pages"`
	Total    int     `json:"total"`
	Rows     int     `json:"rows"` // rows collected over every page: must equal total
	PageSize int     `json:"page_size"`
	P50MS    float64 `json:"page_p50_ms"`
	P99MS    float64 `json:"page_p99_ms"`
	MaxMS    float64 `json:"page_max_ms"`
}

// runAnomalies fills a data folder with a simulated night as the restart
// benchmark does (kept when it already holds one), serves it and pages
// through GET /api/v1/anomalies?region=PROVINCE with the API's default
// page size, one request at a time, as an official paging the list.
func runAnomalies(ctx context.Context, o options) (any, error) {
	cfg := node.Config{DataDir: o.data, DB: o.db, Addr: "127.0.0.1:0", Now: time.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var filled restartReport
	if _, err := fillNight(ctx, cfg, o, &filled); err != nil {
		return nil, err
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", o.data, err)
	}
	defer n.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go n.Serve(ln)
	r := anomaliesReport{Benchmark: "anomalies", machine: machineInfo(o), TPS: filled.TPS, Versions: int(n.Results.Seq())}
	base := "http://" + ln.Addr().String() + "/api/v1/anomalies?region=" + url.QueryEscape(rootCode(n.Registry))
	var h histogram
	var worst time.Duration
	for cursor := ""; ; {
		u := base
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		start := time.Now()
		page, err := fetchAnomalies(ctx, u)
		took := time.Since(start)
		if err != nil {
			return nil, err
		}
		h.record(took)
		worst = max(worst, took)
		r.Pages++
		r.Rows += page.Items
		r.Total = page.Total
		r.PageSize = max(r.PageSize, page.Items)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	r.P50MS, r.P99MS, r.MaxMS = ms(h.quantile(0.5)), ms(h.quantile(0.99)), ms(worst)
	if r.Rows != r.Total {
		return r, fmt.Errorf("paged through %d rows of %d", r.Rows, r.Total)
	}
	return r, nil
}

type anomalyPageInfo struct {
	Items int
	Total int
	Next  string
}

func fetchAnomalies(ctx context.Context, u string) (anomalyPageInfo, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return anomalyPageInfo{}, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return anomalyPageInfo{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return anomalyPageInfo{}, fmt.Errorf("GET %s: %d %s", u, res.StatusCode, b)
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
		Total int               `json:"total"`
		Next  string            `json:"next"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		return anomalyPageInfo{}, err
	}
	return anomalyPageInfo{len(page.Items), page.Total, page.Next}, nil
}
