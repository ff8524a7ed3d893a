package simulate

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// voters is who came to vote at one TPS: the same people take all five
// ballots, so it is drawn once per TPS.
type voters struct {
	dpt             [2]int // men, women on the list
	dpt2, dptb, dpk [2]int // who voted: DPT users, transferred, special
	stock           int    // ballots received per contest
}

func (v voters) total() [2]int {
	return [2]int{v.dpt2[0] + v.dptb[0] + v.dpk[0], v.dpt2[1] + v.dptb[1] + v.dpk[1]}
}

func (n *Night) voters(i int) voters {
	r := n.rng(streamAdmin, i, "")
	dpt := n.reg.TPS[i].DPT
	var v voters
	v.dpt[0] = binomial(r, dpt, menShare)
	v.dpt[1] = dpt - v.dpt[0]
	v.stock = dpt + int(math.Ceil(0.02*float64(dpt)))

	turnout := min(max(turnoutDPT+0.06*r.NormFloat64(), 0.4), 1)
	users := int(math.Round(turnout * float64(dpt)))
	men := binomial(r, users, float64(v.dpt[0])/float64(max(dpt, 1)))
	// Nobody votes twice off the list: each sex is capped by its DPT.
	men = min(max(men, users-v.dpt[1]), v.dpt[0])
	v.dpt2 = [2]int{men, users - men}

	// Transferred and special voters must fit in the 2% reserve of ballots.
	room := v.stock - users
	b := min(poisson(r, dptbPerUser*float64(users)), room)
	k := min(poisson(r, dpkPerUser*float64(users)), room-b)
	bm, km := binomial(r, b, 0.5), binomial(r, k, 0.5)
	v.dptb = [2]int{bm, b - bm}
	v.dpk = [2]int{km, k - km}
	return v
}

// truth is the correct C.Hasil of TPS i for contest c.
func (n *Night) truth(i int, c siaga.Contest) siaga.Form {
	v := n.voters(i)
	r := n.rng(streamAdmin, i, c)
	tot := v.total()
	ballots := tot[0] + tot[1]
	invalid := min(poisson(r, invalidRate*float64(ballots)), ballots)
	spoiled := min(poisson(r, spoiledMean), v.stock-ballots)

	a := siaga.Admin{}
	triple := func(name string, p [2]int) {
		a[name+"_l"], a[name+"_p"], a[name+"_j"] = p[0], p[1], p[0]+p[1]
	}
	triple("pemilih_dpt", v.dpt)
	triple("pengguna_dpt", v.dpt2)
	triple("pengguna_dptb", v.dptb)
	triple("pengguna_non_dpt", v.dpk)
	triple("pengguna_total", tot)
	a["suara_total"] = ballots
	a["suara_tidak_sah"] = invalid
	a["suara_sah"] = ballots - invalid
	a["surat_suara_diterima"] = v.stock
	a["surat_suara_digunakan"] = ballots
	a["surat_suara_rusak"] = spoiled
	a["surat_suara_sisa"] = v.stock - ballots - spoiled
	return siaga.Form{Admin: a, Votes: n.votes(i, c, ballots-invalid)}
}

// Submission builds the form of it, deterministically from the seed and the
// item. It is unsigned and Device is left for the caller to fill.
func (n *Night) Submission(it Item) siaga.Submission {
	s := siaga.Submission{
		ID:      n.submissionID(it).String(),
		TPS:     n.reg.TPS[it.TPS].Code,
		Contest: it.Contest,
		Source:  it.Source,
		Form:    n.truth(it.TPS, it.Contest),
	}
	f := n.fate(it.TPS, it.Contest)
	switch it.Kind {
	case Report:
		switch {
		case f.slip:
			n.slip(&s.Form, it.TPS, it.Contest)
		case f.incomplete:
			n.dropSection(&s.Form, it.TPS, it.Contest)
		}
	case WitnessCopy:
		if f.disagree {
			n.disagree(&s.Form, it.TPS, it.Contest)
		}
	case Correction:
		s.Replaces = it.Version - 1
		s.Reason = correctionReason(f)
	}
	return s
}

// Flawed reports whether the KPPS report of it carries an injected slip or
// a missing section: what the rules should flag.
func (n *Night) Flawed(it Item) bool {
	if it.Kind != Report {
		return false
	}
	f := n.fate(it.TPS, it.Contest)
	return f.slip || f.incomplete
}

// namespace makes submission ids of simulated nights distinct from any
// other UUIDv5.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/deskpemilu/siaga/simulate"))

func (n *Night) submissionID(it Item) uuid.UUID {
	b := binary.BigEndian.AppendUint64(nil, uint64(n.cfg.Seed))
	b = fmt.Appendf(b, "|%s|%s|%s|%d|%d", n.reg.TPS[it.TPS].Code, it.Contest, it.Source, it.Kind, it.Version)
	return uuid.NewSHA1(namespace, b)
}

func correctionReason(f fate) string {
	if f.incomplete {
		return "Koreksi PPK: bagian formulir yang kosong dilengkapi dari C.Hasil plano"
	}
	return "Koreksi PPK: salah tulis angka pada C.Hasil, dicocokkan ulang dengan C.Hasil plano"
}
