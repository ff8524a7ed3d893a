package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

// request is one submission waiting for the writer.
type request struct {
	sub         *siaga.Submission
	id          uuid.UUID
	author      string
	rules       []string
	contentHash string
	answer      chan answer
}

type answer struct {
	receipt siaga.Receipt
	replay  bool
	err     error
}

// Submit stores an authenticated, validated submission and returns its
// receipt once the version is durable. The same id with the same content
// returns the original receipt (replay); the same id with other content, or
// a correction of a version that is no longer the latest, is a conflict.
func (e *Engine) Submit(ctx context.Context, sub *siaga.Submission, author string) (siaga.Receipt, bool, error) {
	id, err := uuid.Parse(sub.ID)
	if err != nil {
		return siaga.Receipt{}, false, siaga.Errorf(siaga.EInvalid, "id", "id harus UUID", "id must be a UUID")
	}
	if e.st.tpsIndex(sub.TPS) < 0 {
		return siaga.Receipt{}, false, siaga.Errorf(siaga.EInvalid, "tps", "TPS %s tidak terdaftar", "TPS %s is not in the registry", sub.TPS)
	}
	sum := sha256.Sum256(sub.CanonicalBytes())
	req := &request{
		sub: sub, id: id, author: author,
		rules:       e.cfg.Check(sub),
		contentHash: hex.EncodeToString(sum[:]),
		answer:      make(chan answer, 1),
	}
	select {
	case e.reqs <- req:
	case <-e.done:
		return siaga.Receipt{}, false, errShuttingDown()
	case <-ctx.Done():
		return siaga.Receipt{}, false, ctx.Err()
	}
	// Once queued the request is answered even if the caller gives up, so
	// the writer never blocks on a departed client.
	select {
	case a := <-req.answer:
		return a.receipt, a.replay, a.err
	case <-ctx.Done():
		return siaga.Receipt{}, false, ctx.Err()
	}
}

// commit plans the batch against the current state, stores the new
// versions in one transaction and applies them only after that succeeded.
func (e *Engine) commit(ctx context.Context, batch []*request) {
	e.mu.RLock()
	p := e.st.plan(batch, e.cfg.Now())
	e.mu.RUnlock()

	if len(p.versions) > 0 {
		if err := e.cfg.Store.AppendVersions(ctx, p.versions); err != nil {
			e.cfg.Logger.Error("storing versions", "count", len(p.versions), "err", err)
			failed := fmt.Errorf("results: storing %d versions: %w", len(p.versions), err)
			for i, r := range batch {
				if p.answers[i].err == nil && !p.answers[i].replay {
					p.answers[i] = answer{err: failed}
				}
				_ = r
			}
			e.reply(batch, p.answers)
			return
		}
	}

	e.mu.Lock()
	changes := make([]siaga.Change, 0, len(p.recs))
	for _, rec := range p.recs {
		changes = append(changes, e.st.apply(rec))
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, false)
	e.mu.Unlock()

	e.reply(batch, p.answers)
	e.feed.publish(changes)
}

func (e *Engine) reply(batch []*request, answers []answer) {
	for i, r := range batch {
		r.answer <- answers[i]
	}
}
