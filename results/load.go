package results

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// Load fills the state from the stored versions, every one in stored
// order through the apply that live versions take, so the tallies, the
// replay receipts, R11 and the progress chart come back exactly as they
// were. It reads each form in place from its stored JSON (formScan) on
// every core while one goroutine applies them in order: a restart used to
// spend most of its time decoding forms into maps, on one core. Rebuild
// is the same replay decoding every form; Verify compares them.
func (e *Engine) Load(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := time.Now()
	n, err := e.readInParallel(ctx)
	if err != nil {
		return fmt.Errorf("results: rebuilding from the store: %w", err)
	}
	if err := e.loadReviews(ctx); err != nil {
		return fmt.Errorf("results: reading anomaly reviews: %w", err)
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, true)
	e.cfg.Logger.Info("tallies rebuilt", "versions", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// loadBatch is how many stored versions a reader takes at a time: enough
// that handing batches around costs nothing, few enough that the batches
// in flight stay a few megabytes.
const loadBatch = 256

// batch is a run of stored versions and, once read, their summaries.
type batch struct {
	vs   []siaga.Version
	recs []*rec
	err  error
	read chan struct{} // closed when recs or err is set
}

func (b *batch) readWith(s *state) {
	defer close(b.read)
	b.recs = make([]*rec, len(b.vs))
	for i := range b.vs {
		if b.recs[i], b.err = s.storedRecord(&b.vs[i]); b.err != nil {
			return
		}
	}
}

// readInParallel streams the stored versions into batches, has them read
// by one goroutine per core and applies them in stored order as they
// come. Reading a form touches nothing that applying changes.
func (e *Engine) readInParallel(ctx context.Context) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.NumCPU()
	toRead := make(chan *batch, workers)
	inOrder := make(chan *batch, 2*workers)
	var readers sync.WaitGroup
	for range workers {
		readers.Go(func() {
			for b := range toRead {
				b.readWith(e.st)
			}
		})
	}
	type outcome struct {
		n   int
		err error
	}
	applied := make(chan outcome, 1)
	go func() {
		n := 0
		for b := range inOrder {
			<-b.read
			if b.err != nil {
				cancel()
				applied <- outcome{n, b.err}
				return
			}
			for i, r := range b.recs {
				e.st.apply(r)
				// Sampling on the stored times redraws the progress chart
				// of the night as it happened.
				e.st.sample(b.vs[i].ReceivedAt, e.cfg.SeriesStep, false)
			}
			n += len(b.recs)
		}
		applied <- outcome{n, nil}
	}()
	cur := &batch{read: make(chan struct{})}
	send := func() error {
		for _, ch := range []chan *batch{inOrder, toRead} { // its place in the order first
			select {
			case ch <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		cur = &batch{read: make(chan struct{})}
		return nil
	}
	err := e.cfg.Store.EachVersionJSON(ctx, func(v *siaga.Version) error {
		v.FormJSON = bytes.Clone(v.FormJSON) // the store's buffer is reused
		cur.vs = append(cur.vs, *v)
		if len(cur.vs) < loadBatch {
			return nil
		}
		return send()
	})
	if err == nil && len(cur.vs) > 0 {
		err = send()
	}
	close(toRead)
	close(inOrder)
	readers.Wait()
	out := <-applied
	if out.err != nil {
		return out.n, out.err // the first failure; the store's is only the cancellation
	}
	return out.n, err
}

// Rebuild fills the state like Load but decodes every stored form and
// reads it as a submission is read, one version after the other: the
// reference the restart's reading is checked against (Verify, `siaga
// rebuild`), and what a restart did before.
func (e *Engine) Rebuild(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := time.Now()
	n := 0
	err := e.cfg.Store.EachVersion(ctx, func(v *siaga.Version) error {
		r, err := e.st.recordOf(v, stripR11(v.Rules))
		if err != nil {
			return err
		}
		e.st.apply(r)
		e.st.sample(v.ReceivedAt, e.cfg.SeriesStep, false)
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("results: rebuilding from the store: %w", err)
	}
	if err := e.loadReviews(ctx); err != nil {
		return fmt.Errorf("results: reading anomaly reviews: %w", err)
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, true)
	e.cfg.Logger.Info("tallies rebuilt, every form decoded", "versions", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Verify rebuilds a second state from the store the reference way
// (Rebuild) and lists, at most limit of them, the differences from this
// engine's: tallies of every region and contest, every TPS's latest
// versions and what they add, the replay receipts, the progress chart.
// None means the engine holds exactly what a full rebuild gives. It reads
// the whole store; call it on a node that takes no submissions.
func (e *Engine) Verify(ctx context.Context, limit int) ([]string, error) {
	ref, err := New(e.cfg)
	if err != nil {
		return nil, err
	}
	if err := ref.Rebuild(ctx); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	d := differ{limit: limit}
	e.st.compare(ref.st, &d)
	return d.out, nil
}
