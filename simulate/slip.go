package simulate

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// slip makes the kind of mistake a tired KPPS makes copying the plano onto
// C.Hasil: one number miscopied, which breaks R1 or R2.
func (n *Night) slip(f *siaga.Form, i int, c siaga.Contest) {
	r := n.rng(streamSlip, i, c)
	switch u := r.Float64(); {
	case u < 0.25:
		f.Admin["suara_sah"] = miscopy(r, f.Admin["suara_sah"]) // R1 and R2
	case u < 0.5:
		f.Admin["suara_tidak_sah"] = miscopy(r, f.Admin["suara_tidak_sah"]) // R2
	default:
		if !n.slipVote(r, f.Votes, c) {
			f.Admin["suara_sah"] = miscopy(r, f.Admin["suara_sah"])
		}
	}
}

// slipVote miscopies one vote count (false if there is none). On a legislative form it hits the
// party-only marks and the party total alike, so only R1 breaks whether a
// rule sums the marks or the written totals.
func (n *Night) slipVote(r *rand.Rand, v *siaga.Votes, c siaga.Contest) bool {
	if c.Legislative() {
		keys := slices.Sorted(maps.Keys(v.Parties))
		if len(keys) == 0 {
			return false
		}
		k := keys[r.IntN(len(keys))]
		p := v.Parties[k]
		p.Party = miscopy(r, p.Party)
		total := p.Sum()
		p.Total = &total
		v.Parties[k] = p
		return true
	}
	keys := slices.Sorted(maps.Keys(v.Options))
	if len(keys) == 0 {
		return false
	}
	k := keys[r.IntN(len(keys))]
	v.Options[k] = miscopy(r, v.Options[k])
	return true
}

// miscopy returns a number that differs from x as a copying slip would:
// two neighbouring digits swapped (123 → 132) or one digit misread
// (11 → 41).
func miscopy(r *rand.Rand, x int) int {
	d := []byte(strconv.Itoa(x))
	if len(d) >= 2 {
		j := r.IntN(len(d) - 1)
		if d[j] != d[j+1] && !(j == 0 && d[j+1] == '0') {
			d[j], d[j+1] = d[j+1], d[j]
			return atoi(d)
		}
	}
	j := r.IntN(len(d))
	lo := byte('0')
	if j == 0 && len(d) > 1 {
		lo = '1' // no leading zero
	}
	for {
		b := lo + byte(r.IntN(int('9'-lo)+1))
		if b != d[j] {
			d[j] = b
			return atoi(d)
		}
	}
}

func atoi(d []byte) int {
	x, err := strconv.Atoi(string(d))
	if err != nil {
		panic("simulate: miscopy made a non-number: " + string(d))
	}
	return x
}

// dropSection leaves out the vote section (most often: the second page was
// not photographed) or the administrative one.
func (n *Night) dropSection(f *siaga.Form, i int, c siaga.Contest) {
	r := n.rng(streamSlip, i, c)
	if r.Float64() < 0.7 {
		f.Votes = nil
		return
	}
	f.Admin = nil
}

// disagree changes one number on a witness copy by a few votes.
func (n *Night) disagree(f *siaga.Form, i int, c siaga.Contest) {
	r := n.rng(streamWitness, i, c)
	if f.Votes == nil || len(f.Votes.Options) == 0 {
		f.Admin["suara_tidak_sah"] += 1 + r.IntN(5)
		return
	}
	keys := slices.Sorted(maps.Keys(f.Votes.Options))
	k := keys[r.IntN(len(keys))]
	delta := 1 + r.IntN(5)
	if f.Votes.Options[k] >= delta && r.IntN(2) == 0 {
		delta = -delta
	}
	f.Votes.Options[k] += delta
}
