package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/search"
)

// searchReport is what `siaga bench search` prints.
type searchReport struct {
	Benchmark string `json:"benchmark"`
	Province  string `json:"province"`
	Regions   int    `json:"regions"`
	Names     int    `json:"names"`
	TPS       int    `json:"tps"`
	// BuildS is the time to build the index from the loaded registry, as
	// a node does at start; IndexMB the heap it holds after a collection
	// (the registry's codes and names are shared, not counted).
	BuildS     float64 `json:"build_s"`
	IndexMB    float64 `json:"index_mb"`
	EstimateMB float64 `json:"index_estimate_mb"` // search.Index.Bytes, what the node logs
	Queries    int     `json:"queries"`
	// Mix counts the queries of each kind.
	Mix       map[string]int `json:"mix"`
	InProcess latency        `json:"in_process"`
	HTTP      latency        `json:"http"`
	Clients   int            `json:"http_clients"`
	// TypoFound is the share of the queries with injected typing mistakes
	// whose first page (10 hits) holds a region of the name meant.
	TypoFound float64        `json:"typo_found"`
	Failed    int            `json:"failed"`
	Errors    map[string]int `json:"errors,omitempty"`
	machine
}

type latency struct {
	P50 float64 `json:"p50_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

func latencyOf(h *histogram, max time.Duration) latency {
	return latency{P50: ms(h.quantile(0.5)), P99: ms(h.quantile(0.99)), Max: ms(max)}
}

// searchQuery is one query of the workload and, for a name with typing
// mistakes, the name meant.
type searchQuery struct {
	kind  string
	q     string
	meant string // Key of the name meant, for typo queries
}

// searchPageSize is what the suggestions ask for, and the page of
// TypoFound.
const searchPageSize = 10

// runSearch times the search of a whole registry (by default the
// national one): the build, then the queries answered in-process and over
// HTTP by a node serving that registry.
func runSearch(ctx context.Context, o options) (any, error) {
	// Many officials behind one proxy: the benchmark's requests come
	// through 127.0.0.1 as a trusted proxy, each from its own address, so
	// that the per-address rate of /api/v1/search bounds no one here.
	cfg := node.Config{
		DataDir: o.data, DB: o.db, Addr: "127.0.0.1:0", Now: time.Now,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	if err := node.Init(ctx, cfg, o.province, o.seed); err != nil {
		return nil, fmt.Errorf("initialising %s: %w", o.data, err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", o.data, err)
	}
	defer n.Close()

	// The node built its index at start; build it again here to time and
	// weigh it alone.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	x := search.New(n.Registry)
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	sz := x.Sizes()
	r := searchReport{
		Benchmark: "search", Province: o.province, Regions: sz.Regions, Names: sz.Names, TPS: sz.TPS,
		BuildS:     math.Round(build.Seconds()*1000) / 1000,
		IndexMB:    math.Round(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20)*10) / 10,
		EstimateMB: math.Round(float64(x.Bytes())/(1<<20)*10) / 10,
		Mix:        map[string]int{}, Clients: o.clients, Errors: map[string]int{},
		machine: machineInfo(o),
	}
	qs := searchQueries(n.Registry, o.n, o.seed)
	r.Queries = len(qs)
	for _, q := range qs {
		r.Mix[q.kind]++
	}

	var h histogram
	var worst time.Duration
	typos, found := 0, 0
	for _, q := range qs {
		t0 := time.Now()
		res, err := x.Search(q.q, "", searchPageSize)
		d := time.Since(t0)
		if err != nil {
			r.Failed++
			r.Errors[err.Error()]++
			continue
		}
		h.record(d)
		worst = max(worst, d)
		if q.meant != "" {
			typos++
			for _, hit := range res.Hits {
				if search.Key(hit.Name) == q.meant {
					found++
					break
				}
			}
		}
	}
	r.InProcess = latencyOf(&h, worst)
	if typos > 0 {
		r.TypoFound = math.Round(float64(found)/float64(typos)*1000) / 1000
	}
	runtime.KeepAlive(x)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	served := make(chan error, 1)
	go func() { served <- n.Serve(ln) }()
	defer func() { ln.Close(); <-served }()
	base := "http://" + ln.Addr().String() + "/api/v1/search?"
	client := newClient(o.clients)
	var worstHTTP atomicMax
	res := runLoad(ctx, o.clients, len(qs), func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			base+url.Values{"q": {qs[i].q}, "limit": {fmt.Sprint(searchPageSize)}}.Encode(), nil)
		if err != nil {
			return err
		}
		// One official in 65,536: the rate per address never bites.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.1", i>>8&255, i&255))
		t0 := time.Now()
		status, body, err := do(client, req)
		worstHTTP.observe(time.Since(t0))
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return statusError(status, body)
		}
		var a struct {
			Total int `json:"total"`
		}
		return json.Unmarshal(body, &a)
	})
	r.HTTP = latencyOf(&res.lat, worstHTTP.get())
	r.Failed += res.failed
	for k, v := range res.errs {
		r.Errors[k] += v
	}
	return r, nil
}

// searchQueries makes n queries as officials type them, from the
// registry's own names and codes: names with one or two typing mistakes,
// names whole, with "kec."/"kab."/"kota" before them, names half typed,
// TPS codes whole or dotted and code prefixes.
func searchQueries(reg *siaga.Registry, n int, seed int64) []searchQuery {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5ea4c4))
	var byLevel [5][]siaga.Region
	for _, r := range reg.Regions {
		if r.Level >= siaga.LevelProvince && r.Level <= siaga.LevelDesa {
			byLevel[r.Level] = append(byLevel[r.Level], r)
		}
	}
	pick := func(l siaga.Level) siaga.Region { return byLevel[l][rng.IntN(len(byLevel[l]))] }
	out := make([]searchQuery, 0, n)
	for len(out) < n {
		var q searchQuery
		switch k := rng.IntN(100); {
		case k < 35: // a desa or kecamatan with typing mistakes
			r := pick(siaga.LevelDesa)
			if k < 10 {
				r = pick(siaga.LevelKecamatan)
			}
			key := search.Key(r.Name)
			if len(key) < 5 {
				continue
			}
			typos := 1
			if len(key) >= 9 && rng.IntN(3) == 0 {
				typos = 2
			}
			q = searchQuery{kind: "typo", q: mistype(rng, strings.ToLower(r.Name), typos), meant: key}
		case k < 50:
			q = searchQuery{kind: "desa", q: pick(siaga.LevelDesa).Name}
		case k < 60:
			q = searchQuery{kind: "kecamatan", q: "kec " + pick(siaga.LevelKecamatan).Name}
		case k < 65:
			q = searchQuery{kind: "kabkota", q: strings.Replace(pick(siaga.LevelKabKota).Name, "Kabupaten", "kab.", 1)}
		case k < 82: // the first letters, as typed into the box
			name := strings.ToLower(pick(siaga.LevelDesa).Name)
			q = searchQuery{kind: "prefix", q: name[:min(len(name), 1+rng.IntN(6))]}
		case k < 92:
			t := reg.TPS[rng.IntN(len(reg.TPS))].Code
			if rng.IntN(2) == 0 {
				t = t[:2] + "." + t[2:4] + "." + t[4:6] + "." + t[6:10] + "." + t[10:]
			}
			q = searchQuery{kind: "tps_code", q: t}
		default:
			t := reg.TPS[rng.IntN(len(reg.TPS))].Code
			q = searchQuery{kind: "code_prefix", q: t[:2+rng.IntN(10)]}
		}
		out = append(out, q)
	}
	return out
}

// mistype makes typos typing mistakes in s, away from the first letter
// (which people rarely get wrong): a letter dropped, doubled, replaced by
// its neighbour on the keyboard, or two letters swapped.
func mistype(rng *rand.Rand, s string, typos int) string {
	b := []byte(s)
	for range typos {
		if len(b) < 3 {
			break
		}
		i := 1 + rng.IntN(len(b)-2)
		switch rng.IntN(4) {
		case 0:
			b = append(b[:i], b[i+1:]...)
		case 1:
			b = append(b[:i+1], b[i:]...)
		case 2:
			b[i] = neighbour(b[i])
		default:
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

// neighbour is the key to the right of c on a QWERTY keyboard.
func neighbour(c byte) byte {
	const rows = "qwertyuiop asdfghjkl zxcvbnm"
	if i := strings.IndexByte(rows, c); i >= 0 && i+1 < len(rows) && rows[i+1] != ' ' {
		return rows[i+1]
	}
	if c >= 'a' && c <= 'z' {
		return 'a' + (c-'a'+1)%26
	}
	return c
}

// atomicMax keeps the longest duration observed by several goroutines.
type atomicMax struct{ v atomic.Int64 }

func (m *atomicMax) observe(d time.Duration) {
	for {
		old := m.v.Load()
		if int64(d) <= old || m.v.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

func (m *atomicMax) get() time.Duration { return time.Duration(m.v.Load()) }
