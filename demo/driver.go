package demo

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/simulate"
)

// driver plays the simulated night against the server: items are released
// at their time on the compressed clock and sent by a pool of workers.
type driver struct {
	n        *node.Node
	reg      *siaga.Registry // the part of the registry the night covers
	night    *simulate.Night
	operator *client.Client // KPU: KPPS phones and corrections
	witness  *client.Client // the witness coordinator: saksi phones
	device   *client.Client
	cfg      Config

	mu      sync.Mutex
	devices map[deviceKey]*phone
	codes   map[deviceKey]string

	// items is the night's schedule; the first opened of them are sent
	// before the dashboard opens, at openAt on the night's clock.
	items  []simulate.Item
	opened int
	openAt time.Duration

	sent, refused atomic.Int64

	// reported holds, per TPS and contest, a channel closed once the KPPS
	// report has had its answer: a correction is sent only then. On the
	// compressed clock a correction can fall due within milliseconds of
	// its original, and two workers would race; the server rightly
	// refuses a correction of a version it does not hold yet (409), which
	// the night's end showed as a handful of refusals.
	reported map[reportKey]chan struct{}
}

type reportKey struct {
	tps     int
	contest siaga.Contest
}

type deviceKey struct {
	tps  string
	role siaga.Role
}

func newDriver(n *node.Node, url string, tokens issuerTokens, cfg Config) *driver {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Workers}, Timeout: 30 * time.Second}
	reg := within(n.Registry, cfg.Region)
	return &driver{
		n:        n,
		reg:      reg,
		night:    simulate.New(reg, n.Election, simulate.Config{Seed: cfg.Seed, Night: cfg.Night}),
		operator: &client.Client{BaseURL: url, HTTP: hc, Token: tokens.kpu},
		witness:  &client.Client{BaseURL: url, HTTP: hc, Token: tokens.witness},
		device:   &client.Client{BaseURL: url, HTTP: hc},
		cfg:      cfg,
		devices:  map[deviceKey]*phone{},
		reported: map[reportKey]chan struct{}{},
		codes:    map[deviceKey]string{},
	}
}

// issueCodes prints, as KPU and the witness coordinator would the week
// before, a one-time code for the KPPS and witness phones of every TPS,
// one request per kab/kota.
func (d *driver) issueCodes(ctx context.Context) error {
	for _, kab := range d.n.Regions.Children(d.n.Registry.Regions[0].Code) {
		var list []string
		for _, t := range d.n.Regions.TPSOf(kab.Code) {
			if strings.HasPrefix(t.Code, d.cfg.Region) {
				list = append(list, t.Code)
			}
		}
		if len(list) == 0 {
			continue
		}
		for role, issuer := range map[siaga.Role]*client.Client{siaga.RoleKPPS: d.operator, siaga.RoleSaksi: d.witness} {
			codes, err := issuer.IssueEnrolments(ctx, list, role)
			if err != nil {
				return fmt.Errorf("issuing enrolment codes for %s: %w", kab.Name, err)
			}
			for tps, code := range codes {
				d.codes[deviceKey{tps, role}] = code
			}
		}
	}
	return nil
}

// within is the part of the registry below a region code ("" for all).
func within(reg *siaga.Registry, region string) *siaga.Registry {
	if region == "" {
		return reg
	}
	part := &siaga.Registry{}
	for _, r := range reg.Regions {
		if strings.HasPrefix(r.Code, region) || strings.HasPrefix(region, r.Code) {
			part.Regions = append(part.Regions, r)
		}
	}
	for _, t := range reg.TPS {
		if strings.HasPrefix(t.Code, region) {
			part.TPS = append(part.TPS, t)
		}
	}
	return part
}

// open plays the night up to its first results: the codes issued the
// week before, then every form sent before a share (Config.Open) of the
// TPS has its presidential count in, as fast as the server takes them.
// The hour after the polls close, when nothing has come in yet, is
// skipped: a visitor sees a count under way.
func (d *driver) open(ctx context.Context) error {
	if err := d.issueCodes(ctx); err != nil {
		return err
	}
	d.items = d.night.Schedule()
	d.opened, d.openAt = opening(d.items, d.cfg.Open, len(d.reg.TPS))
	work, wait := d.workers(ctx)
	for _, it := range d.items[:d.opened] {
		work <- it
	}
	close(work)
	wait()
	return ctx.Err()
}

// opening is how many items come before the first results are shown and
// when that is on the night's clock: the moment the presidential reports
// of share of tps TPS are in, or the first report for a share ≤ 0.
func opening(items []simulate.Item, share float64, tps int) (int, time.Duration) {
	if len(items) == 0 {
		return 0, 0
	}
	want := int(math.Ceil(share * float64(tps)))
	if want <= 0 {
		return 0, items[0].At
	}
	in := 0
	for i, it := range items {
		if it.Contest == siaga.PPWP && it.Kind == simulate.Report {
			in++
		}
		if in >= want {
			return i + 1, it.At
		}
	}
	return len(items), items[len(items)-1].At
}

// run plays the rest of the night on the compressed clock, from the
// moment the dashboard opened.
func (d *driver) run(ctx context.Context) error {
	rest := d.items[d.opened:]
	work, wait := d.workers(ctx)
	stopReport := d.reportEvery(ctx, 30*time.Second, len(d.items))
	start := d.cfg.Now()
	for _, it := range rest {
		if wait := it.At - d.openAt - d.cfg.Now().Sub(start); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		work <- it
	}
	close(work)
	wait()
	stopReport()
	fmt.Fprintf(d.cfg.Out, "Terkirim %d formulir, %d ditolak.\n", d.sent.Load(), d.refused.Load())
	return ctx.Err()
}

// workers starts the pool that sends items; close work, then wait.
func (d *driver) workers(ctx context.Context) (work chan<- simulate.Item, wait func()) {
	ch := make(chan simulate.Item, d.cfg.Workers)
	var wg sync.WaitGroup
	for range d.cfg.Workers {
		wg.Go(func() {
			for it := range ch {
				d.send(ctx, it)
			}
		})
	}
	return ch, wg.Wait
}

func (d *driver) send(ctx context.Context, it simulate.Item) {
	switch {
	case it.Kind == simulate.Report && it.Source == siaga.SourceKPPS:
		defer close(d.reportDone(it))
	case it.Kind == simulate.Correction:
		select {
		case <-d.reportDone(it):
		case <-ctx.Done():
			return
		}
	}
	sub := d.night.Submission(it)
	var err error
	if it.Kind == simulate.Correction {
		// Corrections are entered by the recap operator, with a reason.
		_, _, err = d.operator.Submit(ctx, &sub)
	} else {
		err = d.sendSigned(ctx, &sub)
	}
	if err != nil {
		d.refused.Add(1)
		if ctx.Err() == nil {
			d.cfg.Logger.Warn("demo form refused", "tps", sub.TPS, "contest", sub.Contest, "source", sub.Source, "err", err)
		}
		return
	}
	d.sent.Add(1)
}

// reportDone is the channel closed when the KPPS report that it concerns
// has been answered.
func (d *driver) reportDone(it simulate.Item) chan struct{} {
	k := reportKey{it.TPS, it.Contest}
	d.mu.Lock()
	defer d.mu.Unlock()
	ch, ok := d.reported[k]
	if !ok {
		ch = make(chan struct{})
		d.reported[k] = ch
	}
	return ch
}

func (d *driver) sendSigned(ctx context.Context, sub *siaga.Submission) error {
	dev, err := d.deviceFor(ctx, sub.TPS, roleOf(sub.Source))
	if err != nil {
		return err
	}
	dev.Sign(sub)
	_, _, err = d.device.Submit(ctx, sub)
	return err
}

func roleOf(s siaga.Source) siaga.Role {
	switch s {
	case siaga.SourceSaksi:
		return siaga.RoleSaksi
	case siaga.SourcePTPS:
		return siaga.RolePTPS
	}
	return siaga.RoleKPPS
}

// deviceFor enrols the phone of a TPS the first time it reports, as an
// officer would on the morning of the vote. Two forms of one TPS may ask
// at once; the phone is enrolled once.
func (d *driver) deviceFor(ctx context.Context, tps string, role siaga.Role) (*client.Device, error) {
	k := deviceKey{tps, role}
	d.mu.Lock()
	p := d.devices[k]
	if p == nil {
		p = &phone{}
		d.devices[k] = p
	}
	code := d.codes[k]
	d.mu.Unlock()
	p.once.Do(func() {
		p.dev, p.err = d.device.Enrol(ctx, code)
		if p.err != nil {
			p.err = fmt.Errorf("enrolling a device for %s: %w", tps, p.err)
		}
	})
	return p.dev, p.err
}

// phone is a device enrolled once, on first use.
type phone struct {
	once sync.Once
	dev  *client.Device
	err  error
}

func (d *driver) reportEvery(ctx context.Context, every time.Duration, total int) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p, _ := d.n.Results.Progress(d.n.Registry.Regions[0].Code)
				fmt.Fprintf(d.cfg.Out, "… %d/%d formulir terkirim; Pilpres %d/%d TPS masuk\n",
					d.sent.Load(), total, p.Reported[siaga.PPWP], p.TPSTotal)
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(done) }
}
