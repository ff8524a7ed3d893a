package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

// request is one submission waiting for the writer, with everything that
// does not depend on the other versions already computed by the caller's
// goroutine: the writer is the one serial step, so it only numbers and
// chains.
type request struct {
	sub         *siaga.Submission
	id          uuid.UUID
	version     siaga.Version // without Number, PrevHash, Hash, Rules
	rec         *rec          // without version and hash
	rules       []string
	contentHash string
	body        [32]byte
	answer      chan answer
}

type answer struct {
	receipt siaga.Receipt
	replay  bool
	// dup is 1 + the index in the batch of the request whose new version
	// this one repeats (the same id twice in one batch), 0 otherwise: its
	// answer follows that one's if the commit fails.
	dup int
	err error
}

// SubmitEncoded stores a submission the intake (package intake) has
// authenticated, validated and encoded, and returns its receipt once the
// version is durable. canonical and form are sub.Canonical(); flags are
// the rules its form breaks (R1–R10, R12: rules.Checker), found with the
// validation: the engine adds R11, which needs the other sources. The same
// id with the same content returns the original receipt (replay); the
// same id with other content, or a correction of a version that is no
// longer the latest, is a conflict.
func (e *Engine) SubmitEncoded(ctx context.Context, sub *siaga.Submission, canonical, form []byte, author string, flags []string) (siaga.Receipt, bool, error) {
	id, err := uuid.Parse(sub.ID)
	if err != nil {
		return siaga.Receipt{}, false, siaga.Errorf(siaga.EInvalid, "id", "id harus UUID", "id must be a UUID")
	}
	if e.st.tpsIndex(sub.TPS) < 0 {
		return siaga.Receipt{}, false, siaga.Errorf(siaga.EInvalid, "tps", "TPS %s tidak terdaftar", "TPS %s is not in the registry", sub.TPS)
	}
	req, err := e.prepare(sub, id, canonical, form, author, flags)
	if err != nil {
		return siaga.Receipt{}, false, err
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
		return siaga.Receipt{}, false, errWaiting(ctx)
	}
}

// errWaiting is the answer to a caller whose deadline passed before the
// writer answered (it was busy, or resolving a failed commit): the form
// may yet be stored, and sending it again is safe.
func errWaiting(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return siaga.Errorf(siaga.EUnavailable, "", "Server sibuk; kirim ulang sebentar lagi", "the server is busy; send again shortly")
	}
	return ctx.Err()
}

// prepare does a request's share of the work that needs no other version.
func (e *Engine) prepare(sub *siaga.Submission, id uuid.UUID, canonical, formJSON []byte, author string, flags []string) (*request, error) {
	sum := sha256.Sum256(canonical)
	req := &request{
		sub: sub, id: id, rules: flags,
		contentHash: hex.EncodeToString(sum[:]),
		answer:      make(chan answer, 1),
	}
	req.version = siaga.Version{
		Key: sub.Key(), Submission: id.String(), Form: sub.Form, FormJSON: formJSON,
		Author: author, Reason: sub.Reason, ContentHash: req.contentHash,
		ReceivedAt: e.cfg.Now().UTC(),
	}
	req.body = bodyDigest(&req.version, formJSON)
	var err error
	req.rec, err = e.st.newRec(&req.version, id, req.contentHash, digestBytes(formJSON), req.rules)
	return req, err
}

// commit plans the batch against the current state, stores the new
// versions in one transaction and applies them only after that succeeded.
// A failed commit takes the slow path (recover.go).
func (e *Engine) commit(ctx context.Context, batch []*request) {
	if e.doubt != nil && !e.settleDoubt(ctx) {
		p := e.planOf(batch)
		e.reply(batch, p.refuse(errStoreUnavailable()))
		return
	}
	p := e.planOf(batch)
	if len(p.versions) > 0 {
		if err := e.append(ctx, &p); err != nil {
			e.recoverBatch(ctx, batch, p, err)
			return
		}
	}
	changes := e.applyPlan(&p)
	e.reply(batch, p.answers)
	e.feed.publish(changes)
}

func (e *Engine) planOf(reqs []*request) plan {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.st.plan(reqs)
}

// append stores p's versions. The deadline turns a connection that hangs
// without closing into an unknown outcome, which the slow path resolves,
// rather than a writer stuck for minutes.
func (e *Engine) append(ctx context.Context, p *plan) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.CommitTimeout)
	defer cancel()
	return e.cfg.Store.AppendVersions(ctx, p.versions, p.audit...)
}

// applyPlan applies p's stored versions to the state.
func (e *Engine) applyPlan(p *plan) []siaga.Change {
	e.mu.Lock()
	defer e.mu.Unlock()
	changes := make([]siaga.Change, 0, len(p.recs))
	for _, rec := range p.recs {
		changes = append(changes, e.st.apply(rec))
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, false)
	return changes
}

func (e *Engine) reply(batch []*request, answers []answer) {
	for i, r := range batch {
		r.answer <- answers[i]
	}
}
