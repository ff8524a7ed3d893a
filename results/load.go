package results

import (
	"context"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

// Load fills the state from the stored versions, every one in stored
// order through the apply that live versions take, so the tallies, the
// replay receipts, R11 and the progress chart come back exactly as they
// were. It reads each form in place from its stored JSON (formScan): a
// restart used to spend most of its time decoding forms into maps.
// Rebuild is the same replay decoding every form; Verify compares them.
func (e *Engine) Load(ctx context.Context) error {
	return e.replay(ctx, "restart", e.cfg.Store.EachVersionJSON, e.st.storedRecord)
}

// Rebuild fills the state like Load but decodes every stored form and
// reads it as a submission is read: the reference the restart's fast
// reading is checked against (Verify, `siaga rebuild`), and what a
// restart did before.
func (e *Engine) Rebuild(ctx context.Context) error {
	return e.replay(ctx, "rebuild", e.cfg.Store.EachVersion, func(v *siaga.Version) (*rec, error) {
		return e.st.recordOf(v, stripR11(v.Rules))
	})
}

func (e *Engine) replay(ctx context.Context, what string, each func(context.Context, func(*siaga.Version) error) error, read func(*siaga.Version) (*rec, error)) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := time.Now()
	n := 0
	err := each(ctx, func(v *siaga.Version) error {
		r, err := read(v)
		if err != nil {
			return err
		}
		e.st.apply(r)
		// Sampling on the stored times redraws the progress chart of the
		// night as it happened.
		e.st.sample(v.ReceivedAt, e.cfg.SeriesStep, false)
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("results: rebuilding from the store: %w", err)
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, true)
	e.cfg.Logger.Info("tallies rebuilt", "how", what, "versions", n, "took", time.Since(start).Round(time.Millisecond))
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
