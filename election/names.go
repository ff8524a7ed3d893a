package election

import (
	"math/rand/v2"
	"strings"
)

// Name parts common in Banten and West Java. Constants, so the generator
// holds no package state.
const (
	maleFirst = "Ahmad Muhammad Agus Budi Dedi Asep Ujang Iwan Hendra Rudi Eko Yusuf Rahmat Dadang Cecep " +
		"Wahyu Andi Fajar Arief Hasan Irfan Taufik Surya Bambang Dodi Endang Hadi Jajang Maman Nana Ade " +
		"Usep Ridwan Syarif Fahmi Rizal Yayan Deden Iman Soleh Encep Furqon Komarudin Mulyana Sukma"
	femaleFirst = "Siti Nur Dewi Sri Rina Euis Neneng Yanti Lilis Ratna Wulan Fitri Ani Eka Intan Rini Tuti " +
		"Nia Yuli Aisyah Fatimah Ayu Dian Maya Nurul Putri Lina Evi Imas Iis Heni Cucu Enung Ratu Nenden"
	maleLast = "Hidayat Saputra Setiawan Kurniawan Nugraha Permana Gunawan Hermawan Suryadi Sulaeman Rohman " +
		"Fauzi Maulana Ramdani Hakim Syahputra Wijaya Firmansyah Kusnadi Mulyadi Supriatna Sopian Haryanto " +
		"Suhendar Jaenudin Hamdani Rosadi Sanusi Jamaludin Hasanudin"
	femaleLast = "Lestari Rahayu Handayani Yulianti Susanti Nurhayati Fitriani Marlina Komalasari Sari " +
		"Rahmawati Kartika Anggraeni Nurjanah Maryati Kurniasih Mulyani Rosita Fauziah Hasanah"
	degrees = "S.H. S.E. S.Pd. S.Ag. S.IP. S.T. M.Si. M.M. S.Kom. Lc."
)

// names makes plausible, made-up Indonesian names from a seeded stream; no
// name repeats within one generator's scope (see reset).
type names struct {
	rng                                *rand.Rand
	maleFirst, femaleFirst             []string
	maleLast, femaleLast, degreeSuffix []string
	used                               map[string]bool
}

func newNames(rng *rand.Rand) *names {
	return &names{
		rng:          rng,
		maleFirst:    strings.Fields(maleFirst),
		femaleFirst:  strings.Fields(femaleFirst),
		maleLast:     strings.Fields(maleLast),
		femaleLast:   strings.Fields(femaleLast),
		degreeSuffix: strings.Fields(degrees),
		used:         map[string]bool{},
	}
}

// reset starts a new scope (a dapil): names may repeat across dapil.
func (n *names) reset() { clear(n.used) }

func (n *names) pick(xs []string) string { return xs[n.rng.IntN(len(xs))] }

// next returns a new name; woman chooses the female lists and the Hajjah
// title.
func (n *names) next(woman bool) string {
	for {
		firsts, lasts, title := n.maleFirst, n.maleLast, "H. "
		if woman {
			firsts, lasts, title = n.femaleFirst, n.femaleLast, "Hj. "
		}
		name := n.pick(firsts) + " " + n.pick(lasts)
		if extra := n.pick(firsts); n.rng.IntN(4) == 0 && !strings.HasPrefix(name, extra+" ") {
			name = extra + " " + name
		}
		if n.rng.IntN(6) == 0 {
			name = title + name
		}
		if n.rng.IntN(4) == 0 {
			name += ", " + n.pick(n.degreeSuffix)
		}
		if !n.used[name] {
			n.used[name] = true
			return name
		}
	}
}
