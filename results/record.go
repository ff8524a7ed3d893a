package results

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/google/uuid"
)

// rulesMask turns rule ids ("R1".."R12") into bits; unknown ids are ignored
// because the stored list is the record, the mask only feeds counters.
func rulesMask(ids []string) uint16 {
	var m uint16
	for _, id := range ids {
		if n, err := strconv.Atoi(id[min(1, len(id)):]); err == nil && n > 0 && n < nRules {
			m |= 1 << n
		}
	}
	return m
}

// ruleIDs turns bits back into sorted rule ids.
func ruleIDs(m uint16) []string {
	out := []string{}
	for n := 1; n < nRules; n++ {
		if m&(1<<n) != 0 {
			out = append(out, "R"+strconv.Itoa(n))
		}
	}
	return out
}

func stripR11(ids []string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == "R11" })
}

// adminSlot numbers the admin fields for the compact copy in rec.
var adminSlot = func() map[string]int {
	m := make(map[string]int, len(siaga.AdminFields))
	for i, f := range siaga.AdminFields {
		m[f] = i
	}
	return m
}()

// newRec summarises a version. formRules excludes R11. It reads only what
// never changes after New, so SubmitEncoded calls it outside the engine's lock.
func (s *state) newRec(v *siaga.Version, id uuid.UUID, contentHash string, formDigest uint64, formRules []string) (*rec, error) {
	t := s.tpsIndex(v.TPS)
	c, src := contestIndex(v.Contest), sourceIndex(v.Source)
	if t < 0 || c < 0 || src < 0 {
		return nil, fmt.Errorf("results: version %s of %s/%s/%s names an unknown TPS, contest or source", v.Submission, v.TPS, v.Contest, v.Source)
	}
	r := &rec{
		tps: t, contest: uint8(c), source: uint8(src), version: int32(v.Number), id: id,
		hash: v.Hash, contentHash: contentHash, formDigest: formDigest,
		hasVotes: v.Form.Votes != nil, receivedAt: v.ReceivedAt.UnixNano(),
		rules: rulesMask(formRules),
	}
	if r.hasVotes {
		r.votesDigest = votesDigest(v.Form.Votes)
		r.votesRead = len(v.Form.Votes.Options)+len(v.Form.Votes.Parties) > 0
	}
	for k, n := range v.Form.Admin {
		if i, ok := adminSlot[k]; ok {
			r.adminMask |= 1 << i
			r.admin[i] = int32(n)
		}
	}
	if src == s.counting && r.hasVotes {
		set := s.options[c]
		for k, n := range v.Form.Votes.OptionTotals() {
			r.opts = append(r.opts, optVal{idx: set.index(k), n: int32(n)})
		}
	}
	return r, nil
}

// recordOf summarises a stored version with its decoded form: how a
// full rebuild reads every version (Engine.Rebuild), and how a restart
// reads a form formScan does not know.
func (s *state) recordOf(v *siaga.Version, formRules []string) (*rec, error) {
	id, err := uuid.Parse(v.Submission)
	if err != nil {
		return nil, fmt.Errorf("results: stored version has a bad submission id %q: %w", v.Submission, err)
	}
	// The form digest is over the canonical bytes, as Submit computes it
	// from the submission, so that a form sent again after a restart is
	// still recognised as the one stored.
	canonical := siaga.Submission{Form: v.Form}
	_, form := canonical.Canonical()
	return s.newRec(v, id, v.ContentHash, digestBytes(form), formRules)
}

// storedRecord summarises a version streamed with its stored form JSON
// (Engine.Load): the form is read in place when formScan knows its
// shape, else decoded and read as a rebuild reads it.
func (s *state) storedRecord(v *siaga.Version) (*rec, error) {
	id, err := uuid.Parse(v.Submission)
	if err != nil {
		return nil, fmt.Errorf("results: stored version has a bad submission id %q: %w", v.Submission, err)
	}
	t := s.tpsIndex(v.TPS)
	c, src := contestIndex(v.Contest), sourceIndex(v.Source)
	if t < 0 || c < 0 || src < 0 {
		return nil, fmt.Errorf("results: version %s of %s/%s/%s names an unknown TPS, contest or source", v.Submission, v.TPS, v.Contest, v.Source)
	}
	r := &rec{
		tps: t, contest: uint8(c), source: uint8(src), version: int32(v.Number), id: id,
		hash: v.Hash, contentHash: v.ContentHash, receivedAt: v.ReceivedAt.UnixNano(),
		rules: rulesMask(v.Rules) &^ (1 << ruleR11),
	}
	if s.scanForm(r, v.FormJSON, src == s.counting) {
		return r, nil
	}
	if err := json.Unmarshal(v.FormJSON, &v.Form); err != nil {
		return nil, fmt.Errorf("results: decoding the form of %s: %w", v.Submission, err)
	}
	return s.recordOf(v, stripR11(v.Rules))
}

// disagree reports whether two sources' forms differ in any number both
// carry (rule R11): an admin field present in both, or the vote sections.
func disagree(a, b *rec) bool {
	both := a.adminMask & b.adminMask
	for i := 0; both != 0; i++ {
		if both&1 != 0 && a.admin[i] != b.admin[i] {
			return true
		}
		both >>= 1
	}
	return a.hasVotes && b.hasVotes && a.votesDigest != b.votesDigest
}

// receipt builds the receipt of a stored version from its id entry.
func (s *state) receipt(id uuid.UUID, ref idRef) siaga.Receipt {
	return siaga.Receipt{
		Submission: id.String(),
		TPS:        s.tps[ref.tps].Code,
		Contest:    siaga.Contests[ref.contest],
		Source:     siaga.Sources[ref.source],
		Version:    int(ref.version),
		Hash:       ref.hash,
		Rules:      ruleIDs(ref.rules),
		ReceivedAt: unixTime(ref.receivedAt),
	}
}

// votesDigest fingerprints a vote section without encoding it: the sum of
// a hash of every entry does not depend on map order, so no sorting.
func votesDigest(v *siaga.Votes) uint64 {
	var d uint64
	for k, n := range v.Options {
		d += entryHash('o', k, "", n)
	}
	for k, p := range v.Parties {
		d += entryHash('p', k, "", p.Party)
		if p.Total != nil {
			d += entryHash('t', k, "", *p.Total)
		}
		for c, n := range p.Candidates {
			d += entryHash('c', k, c, n)
		}
	}
	return d
}

// entryHash is FNV-1a over kind, keys and value, finished with a
// multiply-xorshift so that sums of hashes stay well spread. Keys are
// strings, or bytes of a stored form read in place (formScan).
func entryHash[S ~string | ~[]byte](kind byte, a, b S, n int) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * prime
	}
	h = (h ^ '/') * prime
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * prime
	}
	h = (h ^ uint64(n)) * prime
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
