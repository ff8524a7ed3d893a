package client_test

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/simulate"
)

// lossy is a TCP proxy that reads each HTTP request and, at random (seeded),
// passes it on and back, passes it on but drops the answer, or sends the
// server half of it and resets both connections: the failures of a weak
// mobile link that an outbox must survive without sending anything twice.
type lossy struct {
	ln     net.Listener
	target string
	drop   float64 // share of answers dropped after the server answered
	reset  float64 // share of requests cut half-way

	mu    sync.Mutex
	rng   *rand.Rand
	conns map[net.Conn]bool

	forwarded, dropped, resets atomic.Int64
	wg                         sync.WaitGroup
}

func newLossy(tb testing.TB, target string, seed uint64) *lossy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &lossy{ln: ln, target: target, drop: 0.3, reset: 0.1, rng: rand.New(rand.NewPCG(seed, seed)), conns: map[net.Conn]bool{}}
	p.wg.Go(p.accept)
	tb.Cleanup(p.close)
	return p
}

func (p *lossy) url() string { return "http://" + p.ln.Addr().String() }

func (p *lossy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Go(func() { p.serve(c) })
	}
}

func (p *lossy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

type fate int

const (
	pass fate = iota
	dropAnswer
	cut
)

func (p *lossy) draw() fate {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch x := p.rng.Float64(); {
	case x < p.reset:
		return cut
	case x < p.reset+p.drop:
		return dropAnswer
	}
	return pass
}

func (p *lossy) serve(c net.Conn) {
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		c.Close()
	}()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		var raw bytes.Buffer
		if err := req.Write(&raw); err != nil {
			return
		}
		answer, ok := p.roundTrip(req, raw.Bytes(), p.draw())
		if !ok {
			abort(c)
			return
		}
		if answer == nil {
			return // dropped: the server answered, the client never hears it
		}
		if _, err := c.Write(answer); err != nil {
			return
		}
	}
}

// roundTrip sends one request to the server. It returns the answer's bytes,
// nil when the answer is dropped, and ok=false when the request was cut.
func (p *lossy) roundTrip(req *http.Request, raw []byte, f fate) (answer []byte, ok bool) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return nil, false
	}
	defer up.Close()
	if f == cut {
		p.resets.Add(1)
		_, _ = up.Write(raw[:len(raw)/2])
		abort(up)
		return nil, false
	}
	if _, err := up.Write(raw); err != nil {
		return nil, false
	}
	resp, err := http.ReadResponse(bufio.NewReader(up), req)
	if err != nil {
		return nil, false
	}
	var out bytes.Buffer
	err = resp.Write(&out)
	resp.Body.Close()
	if err != nil {
		return nil, false
	}
	if f == dropAnswer {
		p.dropped.Add(1)
		return nil, true
	}
	p.forwarded.Add(1)
	return out.Bytes(), true
}

// abort resets a connection rather than closing it politely.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// TestExactlyOnceThroughLossyLink sends 200 signed submissions (reports and
// corrections of every contest from 20 phones) and 40 photo pages through a
// link that loses answers and cuts requests, and checks that the server
// holds every submission exactly once and every photo whole.
func TestExactlyOnceThroughLossyLink(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	site := nodetest.Start(t, nil)
	n := site.Node
	t.Logf("node ready in %v", time.Since(began).Round(time.Millisecond))
	proxy := newLossy(t, strings.TrimPrefix(site.URL, "http://"), 20240214)

	devices, tpsIndex := enrolPhones(t, site, 10)
	box := &client.Outbox{
		Client:     &client.Client{BaseURL: proxy.url(), HTTP: &http.Client{Timeout: 20 * time.Second}},
		Workers:    8,
		MinBackoff: 2 * time.Millisecond, MaxBackoff: 40 * time.Millisecond,
		Rand: rand.New(rand.NewPCG(7, 7)),
	}
	night := simulate.New(n.Registry, n.Election, simulate.Config{Seed: 3})
	type photo struct {
		sub  string
		page int
		jpeg []byte
	}
	var (
		subs   []*siaga.Submission
		photos []photo
	)
	for i, dev := range devices {
		for _, c := range siaga.Contests {
			report, fix := reportAndCorrection(t, n, night, tpsIndex[i], c, dev.Role.SubmitSource())
			dev.Sign(report)
			dev.Sign(fix)
			subs = append(subs, report, fix)
			if c == siaga.PPWP { // two pages, queued before the numbers: they go after them
				for page := 1; page <= 2; page++ {
					photos = append(photos, photo{report.ID, page, noiseJPEG(t, uint64(i*10+page))})
					box.AddPhoto(dev, report.ID, page, 2, photos[len(photos)-1].jpeg)
				}
			}
			box.Add(report)
			box.Add(fix)
		}
	}

	start := time.Now()
	if err := box.Run(ctx); err != nil {
		t.Fatalf("outbox did not finish: %v", err)
	}
	attempts, replays := 0, 0
	receipts := map[string]siaga.Receipt{}
	for _, it := range box.Items() {
		attempts += it.Attempts
		if it.State != client.Received {
			t.Errorf("item %+v ended %s: %v", it.Submission, it.State, it.Reason)
			continue
		}
		if it.Replay {
			replays++
		}
		if it.Submission != nil {
			receipts[it.Submission.ID] = it.Receipt
		}
	}
	t.Logf("%d items in %v: %d attempts, %d replays; proxy passed %d answers, dropped %d, cut %d requests",
		len(box.Items()), time.Since(start).Round(time.Millisecond), attempts, replays,
		proxy.forwarded.Load(), proxy.dropped.Load(), proxy.resets.Load())
	if proxy.dropped.Load() == 0 || proxy.resets.Load() == 0 || replays == 0 {
		t.Errorf("the link lost nothing (dropped %d, cut %d, replays %d): the test proves nothing",
			proxy.dropped.Load(), proxy.resets.Load(), replays)
	}

	stored := map[string]int{}
	err := n.Store.EachVersion(ctx, func(v *siaga.Version) error {
		stored[v.Submission]++
		if rc, ok := receipts[v.Submission]; !ok || rc.Hash != v.Hash || rc.Version != v.Number {
			t.Errorf("stored version %s #%d hash %s; receipt %+v", v.Submission, v.Number, v.Hash, rc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(subs) || len(subs) != 200 {
		t.Errorf("server holds %d submissions, sent %d (want 200)", len(stored), len(subs))
	}
	for _, s := range subs {
		if stored[s.ID] != 1 {
			t.Errorf("submission %s stored %d times", s.ID, stored[s.ID])
		}
	}
	for _, ph := range photos {
		p, err := n.Store.Photo(ctx, ph.sub, ph.page)
		if err != nil || !p.Complete {
			t.Errorf("photo %s/%d: %+v %v", ph.sub, ph.page, p, err)
			continue
		}
		got, err := os.ReadFile(filepath.Join(n.Config.DataDir, "photos", ph.sub, strconv.Itoa(ph.page)+".jpg"))
		if err != nil || !bytes.Equal(got, ph.jpeg) {
			t.Errorf("photo %s/%d on disk: %d bytes, want %d identical (%v)", ph.sub, ph.page, len(got), len(ph.jpeg), err)
		}
	}
}

// enrolPhones enrols a KPPS and a saksi phone at each of k TPS spread over
// the province, directly, and returns them with their TPS's index.
func enrolPhones(t *testing.T, site *nodetest.Site, k int) ([]*client.Device, []int) {
	t.Helper()
	all := site.Registry.TPS
	var (
		devs []*client.Device
		idx  []int
		tps  []string
	)
	for i := 0; i < k; i++ {
		idx = append(idx, i*len(all)/k)
		tps = append(tps, all[idx[i]].Code)
	}
	for _, role := range []siaga.Role{siaga.RoleKPPS, siaga.RoleSaksi} {
		devs = append(devs, site.Phones(t, role, tps...)...)
	}
	return devs, append(idx, idx...)
}

// reportAndCorrection is a TPS's first form of a contest and a correction
// of it that changes one number.
func reportAndCorrection(t *testing.T, n *node.Node, night *simulate.Night, tps int, c siaga.Contest, src siaga.Source) (*siaga.Submission, *siaga.Submission) {
	t.Helper()
	report := night.Submission(simulate.Item{TPS: tps, Contest: c, Source: src, Kind: simulate.Report, Version: 1})
	fix := night.Submission(simulate.Item{TPS: tps, Contest: c, Source: src, Kind: simulate.Correction, Version: 2})
	if report.Form.Admin == nil {
		report.Form.Admin = siaga.Admin{}
	}
	fix.Form.Admin["suara_tidak_sah"] = report.Form.Admin["suara_tidak_sah"] + 1
	for _, s := range []*siaga.Submission{&report, &fix} {
		if err := n.Rules.Validate(s); err != nil {
			t.Fatalf("simulated %s form of TPS %s is refused: %v", c, s.TPS, err)
		}
	}
	return &report, &fix
}

// noiseJPEG is a real JPEG of seeded noise, about 40 KB: two chunks.
func noiseJPEG(tb testing.TB, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	img := image.NewGray(image.Rect(0, 0, 200, 160))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 75}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
