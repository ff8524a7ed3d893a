package results

import (
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

// plan is what a batch will do: the versions to store, their summaries to
// apply once stored, and the answer for every request.
type plan struct {
	versions []siaga.Version
	recs     []*rec
	answers  []answer
	// audit holds the entries of the forms users entered or corrected,
	// stored in the versions' own transaction.
	audit []siaga.AuditEvent
}

type slotKey struct {
	tps     int32
	contest uint8
	source  uint8
}

// plan decides every request of the batch against the current state and
// the versions planned earlier in the same batch. It changes nothing.
func (s *state) plan(batch []*request) plan {
	p := plan{answers: make([]answer, len(batch))}
	pending := map[slotKey]*rec{}
	pendingIDs := map[uuid.UUID]int{} // id → index into batch
	for i, req := range batch {
		p.answers[i] = s.planOne(&p, req, pending, pendingIDs, batch)
		if p.answers[i].err == nil && !p.answers[i].replay {
			pendingIDs[req.id] = i
		}
	}
	return p
}

func (s *state) planOne(p *plan, req *request, pending map[slotKey]*rec, pendingIDs map[uuid.UUID]int, batch []*request) answer {
	if j, ok := pendingIDs[req.id]; ok {
		if batch[j].contentHash != req.contentHash {
			return answer{err: errIDReused(req.id)}
		}
		a := p.answers[j]
		a.replay, a.dup = true, j+1
		return a
	}
	if ref, ok := s.ids[req.id]; ok {
		if ref.contentHash != req.contentHash {
			return answer{err: errIDReused(req.id)}
		}
		return answer{receipt: s.receipt(req.id, ref), replay: true}
	}
	sub := req.sub
	key := slotKey{tps: s.tpsIndex(sub.TPS), contest: uint8(contestIndex(sub.Contest)), source: uint8(sourceIndex(sub.Source))}
	cur := pending[key]
	if cur == nil {
		cur = s.latest(key)
	}
	var curVersion int32
	if cur != nil {
		curVersion = cur.version
	}
	// Replaces is compared as an int: narrowed to the state's int32 a
	// number above 2^31 would wrap onto another version.
	if cur != nil && (sub.Replaces == 0 || sub.Replaces == int(curVersion)) && cur.formDigest == req.rec.formDigest {
		// The same form again under a new id (a re-sent SMS, a repeated
		// import, a correction that changes nothing): the record holds it.
		return answer{receipt: s.receipt(cur.id, s.refOf(cur)), replay: true}
	}
	if sub.Replaces != int(curVersion) {
		return answer{err: errOutOfDate(sub.Replaces, int(curVersion))}
	}
	if sub.Replaces > 0 && strings.TrimSpace(sub.Reason) == "" {
		return answer{err: siaga.Errorf(siaga.EInvalid, "reason",
			"Koreksi wajib menyertakan alasan", "a correction needs a reason")}
	}
	v := req.version
	v.Number = int(curVersion) + 1
	if cur != nil {
		v.PrevHash = cur.hash
	}
	v.Hash = chainHash(v.PrevHash, v.Number, req.body)
	r := *req.rec
	r.version, r.hash = int32(v.Number), v.Hash
	v.Rules = ruleIDs(r.rules | s.r11With(key, &r, pending))
	pending[key] = &r
	p.versions = append(p.versions, v)
	p.recs = append(p.recs, &r)
	if strings.HasPrefix(v.Author, "user:") {
		p.audit = append(p.audit, correctionEntry(&v, sub.Replaces))
	}
	return answer{receipt: v.Receipt()}
}

// correctionEntry is the audit log's record of a form a user entered or
// corrected (always with a reason: auth.CanSubmit).
func correctionEntry(v *siaga.Version, replaces int) siaga.AuditEvent {
	return siaga.AuditEvent{At: v.ReceivedAt, Actor: v.Author, Action: siaga.AuditCorrection, Subject: v.Submission, Scope: v.TPS,
		Detail: siaga.AuditDetail(map[string]any{"contest": v.Contest, "source": v.Source, "version": v.Number,
			"replaces": replaces, "reason": v.Reason, "hash": v.Hash})}
}

func (s *state) latest(k slotKey) *rec {
	sl := s.tpsState[k.tps].slots[k.contest]
	if sl == nil {
		return nil
	}
	return sl.recs[k.source]
}

func (s *state) refOf(r *rec) idRef {
	if ref, ok := s.ids[r.id]; ok {
		return ref
	}
	return idRef{tps: r.tps, contest: r.contest, source: r.source, version: r.version,
		rules: r.rules, receivedAt: r.receivedAt, hash: r.hash, contentHash: r.contentHash}
}

// r11With is the R11 bit of the slot once r has replaced its source's
// version, counting versions planned earlier in the batch.
func (s *state) r11With(k slotKey, r *rec, pending map[slotKey]*rec) uint16 {
	var sl slot
	for src := 0; src < nSources; src++ {
		kk := k
		kk.source = uint8(src)
		if q := pending[kk]; q != nil {
			sl.recs[src] = q
		} else {
			sl.recs[src] = s.latest(kk)
		}
	}
	sl.recs[k.source] = r
	return s.slotR11(&sl)
}

func errIDReused(id uuid.UUID) error {
	return siaga.Errorf(siaga.EConflict, "id",
		"Id kiriman %s sudah dipakai untuk isi yang berbeda", "submission id %s was already used for different content", id)
}

func errOutOfDate(replaces, latest int) error {
	if replaces == 0 {
		return siaga.Errorf(siaga.EConflict, "replaces",
			"Formulir ini sudah tercatat (versi %d); kirim koreksi yang menyebut versi %d beserta alasannya",
			"this form is already recorded (version %d); send a correction naming version %d with a reason", latest, latest)
	}
	return siaga.Errorf(siaga.EConflict, "replaces",
		"Versi %d yang dikoreksi sudah usang; versi terakhir %d", "version %d is out of date; the latest is %d", replaces, latest)
}
