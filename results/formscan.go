package results

import "bytes"

// formScan reads a stored form's JSON straight into a rec, without
// building the form's maps: a restart reads every stored form, and
// decoding them took most of its time. It knows the shapes Siaga's own
// encoders write (compact, members in declaration order, map keys sorted)
// and gives up on anything else; the caller then decodes the form the
// reference way (recordOf), so an unusual form costs time, never a
// different tally. Engine.Verify checks the two ways agree.
type formScan struct {
	b []byte
	i int
	// canonical stays true while the bytes are exactly what the canonical
	// encoding of the form would be, so their digest is the form digest.
	canonical bool
}

// scanForm fills r's admin numbers, vote digest, vote flags and, when
// withOpts, its option totals from the stored JSON raw. It reports false
// when raw is not in a shape it knows; r is then half filled.
func (s *state) scanForm(r *rec, raw []byte, withOpts bool) bool {
	sc := formScan{b: raw, canonical: true}
	if !sc.lit('{') {
		return false
	}
	seen := 0 // 1: administrasi, 2: suara
	for !sc.lit('}') {
		if seen > 0 && !sc.lit(',') {
			return false
		}
		name, ok := sc.key()
		if !ok || !sc.lit(':') {
			return false
		}
		var bit int
		switch string(name) {
		case "administrasi":
			bit, ok = 1, sc.null() || sc.counts(func(k []byte, n int) bool { return r.setAdmin(k, n) })
		case "suara":
			bit = 2
			if !sc.null() {
				r.hasVotes = true
				ok = sc.votes(r, s, withOpts)
			}
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		if seen > bit {
			sc.canonical = false // suara before administrasi
		}
		seen |= bit
	}
	if sc.i != len(sc.b) {
		return false
	}
	if sc.canonical {
		r.formDigest = digestBytes(raw)
	}
	return sc.canonical
}

// setAdmin keeps a known admin field as newRec does; others are ignored.
func (r *rec) setAdmin(k []byte, n int) bool {
	if i, ok := adminSlot[string(k)]; ok {
		r.adminMask |= 1 << i
		r.admin[i] = int32(n)
	}
	return true
}

// votes reads the vote section: party blocks, then options.
func (sc *formScan) votes(r *rec, s *state, withOpts bool) bool {
	if !sc.lit('{') {
		return false
	}
	entries, seen := 0, 0 // 1: partai, 2: pilihan
	for !sc.lit('}') {
		if seen > 0 && !sc.lit(',') {
			return false
		}
		name, ok := sc.key()
		if !ok || !sc.lit(':') {
			return false
		}
		var bit int
		switch string(name) {
		case "partai":
			bit, ok = 1, sc.null() || sc.parties(r, s, withOpts, &entries)
		case "pilihan":
			bit, ok = 2, sc.null() || sc.counts(func(k []byte, n int) bool {
				entries++
				r.votesDigest += entryHash('o', k, nil, n)
				if withOpts {
					s.addOpt(r, k, n)
				}
				return true
			})
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		if seen > bit {
			sc.canonical = false
		}
		seen |= bit
	}
	r.votesRead = entries > 0
	return true
}

// parties reads the party blocks of a legislative form.
func (sc *formScan) parties(r *rec, s *state, withOpts bool, entries *int) bool {
	return sc.object(func(k []byte) bool {
		*entries++
		p, ok := sc.party(r, k)
		if ok && withOpts {
			s.addOpt(r, k, p)
		}
		return ok
	})
}

// party reads one party block and returns its tally: party-only marks
// plus every candidate's, as PartyVotes.Sum.
func (sc *formScan) party(r *rec, party []byte) (int, bool) {
	if !sc.lit('{') {
		return 0, false
	}
	sum, marks, seen := 0, 0, 0 // 1: caleg, 2: jumlah, 4: suara_partai
	for !sc.lit('}') {
		if seen > 0 && !sc.lit(',') {
			return 0, false
		}
		name, ok := sc.key()
		if !ok || !sc.lit(':') {
			return 0, false
		}
		var bit int
		switch string(name) {
		case "caleg":
			bit, ok = 1, sc.null() || sc.counts(func(c []byte, n int) bool {
				sum += n
				r.votesDigest += entryHash('c', party, c, n)
				return true
			})
		case "jumlah":
			bit = 2
			if !sc.null() {
				var total int
				total, ok = sc.int()
				r.votesDigest += entryHash('t', party, nil, total)
			}
		case "suara_partai":
			bit = 4
			marks, ok = sc.int()
		default:
			return 0, false
		}
		if !ok || seen&bit != 0 {
			return 0, false
		}
		if seen > bit {
			sc.canonical = false
		}
		seen |= bit
	}
	if seen&4 == 0 {
		sc.canonical = false // the canonical encoding always writes it
	}
	// The digest counts the party-only marks even when zero or absent,
	// as votesDigest does.
	r.votesDigest += entryHash('p', party, nil, marks)
	return sum + marks, true
}

// addOpt adds n votes for option key to r's totals; a key that is both
// an option and a party block adds up, as Votes.OptionTotals does.
func (s *state) addOpt(r *rec, key []byte, n int) {
	idx := s.options[r.contest].indexBytes(key)
	for i := range r.opts {
		if r.opts[i].idx == idx {
			r.opts[i].n += int32(n)
			return
		}
	}
	r.opts = append(r.opts, optVal{idx: idx, n: int32(n)})
}

// counts reads an object of whole numbers, calling fn for each entry.
func (sc *formScan) counts(fn func(k []byte, n int) bool) bool {
	return sc.object(func(k []byte) bool {
		n, ok := sc.int()
		return ok && fn(k, n)
	})
}

// object reads {"key":value,…}, value read by fn. Keys must be unique,
// as decoding would keep only the last; out of order, or none at all
// (the canonical encoding leaves out empty maps), the bytes are not
// canonical.
func (sc *formScan) object(fn func(k []byte) bool) bool {
	if !sc.lit('{') {
		return false
	}
	var prev []byte
	first := true
	for !sc.lit('}') {
		if !first && !sc.lit(',') {
			return false
		}
		k, ok := sc.key()
		if !ok || !sc.lit(':') {
			return false
		}
		if !first {
			switch c := bytes.Compare(prev, k); {
			case c == 0:
				return false
			case c > 0:
				sc.canonical = false
			}
		}
		if !fn(k) {
			return false
		}
		prev, first = k, false
	}
	if first {
		sc.canonical = false
	}
	return true
}

func (sc *formScan) lit(c byte) bool {
	if sc.i < len(sc.b) && sc.b[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// null reads a JSON null: a section or field the canonical encoding
// leaves out.
func (sc *formScan) null() bool {
	if bytes.HasPrefix(sc.b[sc.i:], []byte("null")) {
		sc.i += 4
		sc.canonical = false
		return true
	}
	return false
}

// key reads a string without escapes. Bytes beyond ASCII may be written
// otherwise by the canonical encoding, so they end the fast digest.
func (sc *formScan) key() ([]byte, bool) {
	if !sc.lit('"') {
		return nil, false
	}
	start := sc.i
	for ; sc.i < len(sc.b); sc.i++ {
		switch c := sc.b[sc.i]; {
		case c == '"':
			sc.i++
			return sc.b[start : sc.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			sc.canonical = false
		}
	}
	return nil, false
}

// int reads a whole number as the canonical encoding writes it (no
// leading zeros); a fraction, an exponent or a huge number is left to
// the decoder.
func (sc *formScan) int() (int, bool) {
	neg := sc.lit('-')
	start := sc.i
	n := 0
	for sc.i < len(sc.b) && sc.b[sc.i] >= '0' && sc.b[sc.i] <= '9' {
		n = n*10 + int(sc.b[sc.i]-'0')
		sc.i++
	}
	digits := sc.i - start
	switch {
	case digits == 0 || digits > 15:
		return 0, false
	case digits > 1 && sc.b[start] == '0':
		return 0, false // not JSON: the decoder refuses it
	case sc.i < len(sc.b) && (sc.b[sc.i] == '.' || sc.b[sc.i] == 'e' || sc.b[sc.i] == 'E'):
		return 0, false
	}
	if neg {
		if n == 0 {
			sc.canonical = false // -0
		}
		n = -n
	}
	return n, true
}
