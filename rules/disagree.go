package rules

import "github.com/deskpemilu/siaga"

// R11 reports whether any two of forms (one per source, for the same TPS
// and contest) disagree. Nil forms are skipped.
func R11(forms []*siaga.Form) bool {
	for i, a := range forms {
		for _, b := range forms[i+1:] {
			if Disagree(a, b) {
				return true
			}
		}
	}
	return false
}

// Disagree reports whether two forms of the same TPS and contest differ on
// any number they both carry. Administrative fields count only when both
// forms have them: a field one source did not read is not a disagreement.
// Within vote sections that both forms have, an option one form omits
// counts as zero votes, since a vote section lists every option counted.
func Disagree(a, b *siaga.Form) bool {
	if a == nil || b == nil {
		return false
	}
	for k, x := range a.Admin {
		if y, ok := b.Admin[k]; ok && x != y {
			return true
		}
	}
	if a.Votes == nil || b.Votes == nil {
		return false
	}
	return countsDiffer(a.Votes.Options, b.Votes.Options) || partiesDiffer(a.Votes.Parties, b.Votes.Parties)
}

func countsDiffer(a, b map[string]int) bool {
	for k, x := range a {
		if b[k] != x {
			return true
		}
	}
	for k, y := range b {
		if a[k] != y {
			return true
		}
	}
	return false
}

func partiesDiffer(a, b map[string]siaga.PartyVotes) bool {
	for k, p := range a {
		if partyDiffers(p, b[k]) {
			return true
		}
	}
	for k, q := range b {
		if _, ok := a[k]; !ok && partyDiffers(siaga.PartyVotes{}, q) {
			return true
		}
	}
	return false
}

func partyDiffers(p, q siaga.PartyVotes) bool {
	if p.Party != q.Party || countsDiffer(p.Candidates, q.Candidates) {
		return true
	}
	return p.Total != nil && q.Total != nil && *p.Total != *q.Total
}
