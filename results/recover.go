package results

import (
	"context"
	"errors"
	"time"

	"github.com/deskpemilu/siaga"
)

// The slow path of the writer: a commit that failed. Whatever happened,
// each request is answered with what the store holds, never with a guess:
//
//   - the answer of COMMIT was lost (siaga.ErrCommitUnknown): read the
//     batch's ids back, on a fresh connection, asking again while the
//     database is unreachable. Stored: the commit happened, apply it and
//     answer as usual. Not stored: store again once, or answer 503.
//   - a unique violation: ids the store already holds (an earlier commit
//     whose answer was lost, another writer) are taken into the state and
//     answered as replays; the rest is stored again.
//   - a refusal of the database that names no request (a constraint, a
//     value it cannot store): split the batch in halves until the request
//     at fault is alone, so that it fails and the others are stored.
//   - the database unreachable or its disk full: 503, Retry-After.
//
// If even reading back fails, the ids stay in doubt (Engine.doubt) and the
// writer refuses everything until it can read them back.

// maxRounds bounds the store-again rounds of one settle; each round learns
// something (ids stored, a retry spent), so a few are enough.
const maxRounds = 8

// doubtWait bounds the read back of ids in doubt that precedes every
// batch while there are some: the store is known to be in trouble, so the
// batch is refused quickly rather than after the full recovery bound.
const doubtWait = time.Second

type recovery struct {
	e        *Engine
	deadline time.Time
	changes  []siaga.Change
	retried  bool // the one retry after an unavailable store is spent
	caughtUp bool // the one catch-up with the store's chain is spent
}

// recoverBatch answers a batch whose plan p the store refused with err.
func (e *Engine) recoverBatch(ctx context.Context, batch []*request, p plan, err error) {
	e.cfg.Logger.Warn("storing versions failed; finding out what is stored", "count", len(p.versions), "err", err)
	r := &recovery{e: e, deadline: time.Now().Add(e.cfg.Recovery)}
	answers := r.settle(ctx, batch, p, err)
	e.reply(batch, answers)
	e.feed.publish(r.changes)
}

// settle decides reqs, whose plan p failed with err, storing again what
// can be, and returns their answers.
func (r *recovery) settle(ctx context.Context, reqs []*request, p plan, err error) []answer {
	for range maxRounds {
		again, answers := r.resolve(ctx, reqs, &p, err)
		if !again {
			return answers
		}
		if p = r.e.planOf(reqs); len(p.versions) == 0 {
			return p.answers
		}
		if err = r.e.append(ctx, &p); err == nil {
			r.apply(&p)
			return p.answers
		}
		r.e.cfg.Logger.Warn("storing versions again failed", "count", len(p.versions), "err", err)
	}
	return p.refuse(errStoreUnavailable())
}

// resolve finds out what the failed commit of p did. Either it answers,
// or it reports that the state has learned something and reqs should be
// planned and stored again.
func (r *recovery) resolve(ctx context.Context, reqs []*request, p *plan, err error) (again bool, answers []answer) {
	unknown := errors.Is(err, siaga.ErrCommitUnknown)
	if unknown || siaga.ErrorCode(err) == siaga.EConflict {
		stored, rerr := r.e.readBack(ctx, p.submissions(), r.deadline)
		switch {
		case rerr != nil:
			if unknown {
				r.e.doubt = p.submissions()
			}
			r.e.cfg.Logger.Error("cannot read back a failed commit; answering 503", "count", len(p.versions), "err", rerr)
			return false, p.refuse(errStoreUnavailable())
		case p.committed(stored):
			r.e.cfg.Logger.Info("a commit whose answer was lost is stored", "count", len(p.versions))
			r.apply(p)
			return false, p.answers
		case len(stored) > 0:
			r.changes = append(r.changes, r.e.absorb(stored)...)
			return true, nil
		}
	}
	switch {
	case unknown || siaga.ErrorCode(err) == siaga.EUnavailable:
		if r.retried || time.Now().After(r.deadline) {
			return false, p.refuse(errStoreUnavailable())
		}
		r.retried = true
		return true, nil
	case p.fresh() > 1:
		return false, r.split(ctx, reqs)
	case siaga.ErrorCode(err) == siaga.EConflict && !r.caughtUp:
		// One version refused as a duplicate number: the store holds
		// versions of its slot that the state lacks.
		r.caughtUp = true
		if r.catchUp(ctx, p) {
			return true, nil
		}
	}
	return false, p.refuse(err)
}

// split stores the two halves of reqs one after the other, so that a
// request the database refuses fails alone.
func (r *recovery) split(ctx context.Context, reqs []*request) []answer {
	half := len(reqs) / 2
	return append(r.part(ctx, reqs[:half]), r.part(ctx, reqs[half:])...)
}

func (r *recovery) part(ctx context.Context, reqs []*request) []answer {
	p := r.e.planOf(reqs)
	if len(p.versions) == 0 {
		return p.answers
	}
	if r.e.doubt != nil {
		return p.refuse(errStoreUnavailable())
	}
	err := r.e.append(ctx, &p)
	if err == nil {
		r.apply(&p)
		return p.answers
	}
	return r.settle(ctx, reqs, p, err)
}

func (r *recovery) apply(p *plan) {
	r.changes = append(r.changes, r.e.applyPlan(p)...)
}

// catchUp takes into the state the stored versions of the TPS of p's one
// new version.
func (r *recovery) catchUp(ctx context.Context, p *plan) bool {
	ctx, cancel := context.WithDeadline(ctx, r.deadline)
	defer cancel()
	vs, err := r.e.cfg.Store.VersionsOfTPS(ctx, p.versions[0].TPS)
	if err != nil {
		r.e.cfg.Logger.Error("reading the versions of a TPS to catch up", "tps", p.versions[0].TPS, "err", err)
		return false
	}
	r.changes = append(r.changes, r.e.absorb(vs)...)
	return true
}

// settleDoubt reads back the ids in doubt and takes what is stored into
// the state. It reports whether the doubt is over.
func (e *Engine) settleDoubt(ctx context.Context) bool {
	stored, err := e.readBack(ctx, e.doubt, time.Now().Add(doubtWait))
	if err != nil {
		return false
	}
	e.cfg.Logger.Info("the store answers again; commit in doubt resolved", "ids", len(e.doubt), "stored", len(stored))
	e.doubt = nil
	e.feed.publish(e.absorb(stored))
	return true
}

// readBack returns the stored versions among ids, asking again while the
// store is unavailable, until deadline.
func (e *Engine) readBack(ctx context.Context, ids []string, deadline time.Time) ([]siaga.Version, error) {
	wait := 20 * time.Millisecond
	for {
		rctx, cancel := context.WithDeadline(ctx, deadline)
		vs, err := e.cfg.Store.VersionsBySubmission(rctx, ids)
		cancel()
		if err == nil || siaga.ErrorCode(err) != siaga.EUnavailable || time.Now().Add(wait).After(deadline) {
			return vs, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// absorb takes into the state stored versions it does not know: applied
// when newer than their slot's latest, else only remembered for replays.
// vs is ordered by version number.
func (e *Engine) absorb(vs []siaga.Version) []siaga.Change {
	e.mu.Lock()
	defer e.mu.Unlock()
	var changes []siaga.Change
	for i := range vs {
		rec, err := e.st.recordOf(&vs[i], stripR11(vs[i].Rules))
		if err != nil {
			e.cfg.Logger.Error("a stored version the state cannot take", "submission", vs[i].Submission, "err", err)
			continue
		}
		if _, known := e.st.ids[rec.id]; known {
			continue
		}
		if cur := e.st.latest(slotKey{rec.tps, rec.contest, rec.source}); cur != nil && cur.version >= rec.version {
			e.st.remember(rec)
			continue
		}
		changes = append(changes, e.st.apply(rec))
	}
	e.st.sample(e.cfg.Now(), e.cfg.SeriesStep, false)
	return changes
}

// remember records a stored version that is not its slot's latest, so
// that its id is answered as a replay.
func (s *state) remember(r *rec) {
	s.ids[r.id] = idRef{tps: r.tps, contest: r.contest, source: r.source, version: r.version,
		rules: r.rules, receivedAt: r.receivedAt, hash: r.hash, contentHash: r.contentHash}
}

// submissions are the ids of p's new versions.
func (p *plan) submissions() []string {
	ids := make([]string, len(p.versions))
	for i := range p.versions {
		ids[i] = p.versions[i].Submission
	}
	return ids
}

// committed reports whether stored is exactly p's new versions: the
// commit happened.
func (p *plan) committed(stored []siaga.Version) bool {
	if len(stored) != len(p.versions) {
		return false
	}
	hashes := make(map[string]string, len(stored))
	for i := range stored {
		hashes[stored[i].Submission] = stored[i].Hash
	}
	for i := range p.versions {
		if h, ok := hashes[p.versions[i].Submission]; !ok || h != p.versions[i].Hash {
			return false
		}
	}
	return true
}

// fresh counts the requests of p that would store a new version.
func (p *plan) fresh() int {
	n := 0
	for _, a := range p.answers {
		if a.err == nil && !a.replay {
			n++
		}
	}
	return n
}

// refuse answers err to the requests of p that would store a new version,
// and to their repeats in the batch; replays of stored versions and the
// plan's own refusals keep their answers.
func (p *plan) refuse(err error) []answer {
	for i, a := range p.answers {
		if a.err == nil && !a.replay {
			p.answers[i] = answer{err: err}
		}
	}
	for i, a := range p.answers {
		if a.dup > 0 && p.answers[a.dup-1].err != nil {
			p.answers[i] = answer{err: p.answers[a.dup-1].err}
		}
	}
	return p.answers
}

func errStoreUnavailable() error {
	return siaga.Errorf(siaga.EUnavailable, "",
		"Penyimpanan sedang tidak tersedia; formulir belum pasti tersimpan, kirim ulang sebentar lagi",
		"storage is unavailable; the form may not be stored yet, send it again shortly")
}
