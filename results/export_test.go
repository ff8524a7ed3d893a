package results

import (
	"context"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

// Answer is what Submit returns, for Batch.
type Answer struct {
	Receipt siaga.Receipt
	Replay  bool
	Err     error
}

// Batch commits subs as one batch of the writer, as Run does with what it
// drained, and returns their answers: a batch of a chosen make-up without
// racing the writer. Run must not be running. The forms are not flagged:
// these batches are about commits, not rules.
func (e *Engine) Batch(ctx context.Context, subs []siaga.Submission, author string) []Answer {
	batch := make([]*request, len(subs))
	for i := range subs {
		canonical, form := subs[i].Canonical()
		req, err := e.prepare(&subs[i], uuid.MustParse(subs[i].ID), canonical, form, author, nil)
		if err != nil {
			panic(err)
		}
		batch[i] = req
	}
	e.commit(ctx, batch)
	out := make([]Answer, len(batch))
	for i, r := range batch {
		a := <-r.answer
		out[i] = Answer{a.receipt, a.replay, a.err}
	}
	return out
}
