package registry

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// Banten is the province of the first deployment; only it has official DPT
// per kab/kota, desa centroids and blank-spot counts here.
const Banten = "36"

// BlankSpots returns the number of blank-spot TPS Banten counted in 2024 per
// kab/kota (Lebak 360, Kab. Serang 63, Pandeglang 29); the others had none.
func BlankSpots() map[string]int {
	return map[string]int{"3601": 29, "3602": 360, "3604": 63}
}

// weakShare is the synthetic share of desa with a weak signal: rural kab
// more, cities less.
func weakShare(kab string) float64 {
	switch kab {
	case "3601":
		return 0.12
	case "3602":
		return 0.15
	case "3603":
		return 0.04
	case "3604":
		return 0.08
	}
	return 0.02
}

// Official is KPU's DPT and TPS count of one Banten kab/kota.
type Official struct {
	Code string
	Name string
	DPT  int
	TPS  int
}

// BantenOfficial returns KPU's 2024 figures per Banten kab/kota.
func BantenOfficial() ([]Official, error) { return bantenOfficial() }

func bantenOfficial() ([]Official, error) {
	var out []Official
	err := readCSV("banten_kabkota_2024.csv", func(rec []string) error {
		dpt, err1 := strconv.Atoi(rec[2])
		tps, err2 := strconv.Atoi(rec[3])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("kab/kota %s: bad numbers %q, %q", rec[0], rec[2], rec[3])
		}
		out = append(out, Official{Code: rec[0], Name: rec[1], DPT: dpt, TPS: tps})
		return nil
	})
	return out, err
}

type point struct{ lat, lon float64 }

func readCentroids() (map[string]point, error) {
	out := make(map[string]point, 1552)
	err := readCSV("banten_desa_kelurahan_centroid.csv", func(rec []string) error {
		lat, err1 := strconv.ParseFloat(rec[8], 64)
		lon, err2 := strconv.ParseFloat(rec[9], 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("desa %s: bad centroid %q, %q", rec[1], rec[8], rec[9])
		}
		out[rec[1]] = point{lat, lon}
		return nil
	})
	return out, err
}

// placeBanten gives Banten's TPS synthetic coordinates and connectivity.
func placeBanten(tps []siaga.TPS, seed int64) error {
	lo := sort.Search(len(tps), func(i int) bool { return tps[i].Code >= Banten })
	hi := sort.Search(len(tps), func(i int) bool { return tps[i].Code >= "37" })
	if lo == hi {
		return nil
	}
	cents, err := readCentroids()
	if err != nil {
		return err
	}
	jitter(tps[lo:hi], cents, rngFor(seed, "geo"+Banten))
	connect(tps[lo:hi], rngFor(seed, "conn"+Banten))
	return nil
}

// jitter puts each TPS within 400 m of its desa centroid (the kecamatan's
// mean centroid for a desa without one).
func jitter(tps []siaga.TPS, cents map[string]point, rng *rand.Rand) {
	kec := make(map[string]point)
	kecN := make(map[string]float64)
	for code, p := range cents {
		k := code[:6]
		n := kecN[k]
		kec[k] = point{(kec[k].lat*n + p.lat) / (n + 1), (kec[k].lon*n + p.lon) / (n + 1)}
		kecN[k] = n + 1
	}
	const metresPerDegree = 111_320.0
	for i := range tps {
		c, ok := cents[tps[i].Desa]
		if !ok {
			if c, ok = kec[tps[i].Desa[:6]]; !ok {
				continue
			}
		}
		r := 400 * math.Sqrt(rng.Float64())
		a := 2 * math.Pi * rng.Float64()
		lat := c.lat + r*math.Cos(a)/metresPerDegree
		lon := c.lon + r*math.Sin(a)/(metresPerDegree*math.Cos(c.lat*math.Pi/180))
		tps[i].Lat = math.Round(lat*1e6) / 1e6
		tps[i].Lon = math.Round(lon*1e6) / 1e6
	}
}

// span is the TPS of one desa: tps[lo:hi].
type span struct {
	desa   string
	lo, hi int
}

func spans(tps []siaga.TPS) []span {
	var out []span
	for i := 0; i < len(tps); {
		j := i
		for j < len(tps) && tps[j].Desa == tps[i].Desa {
			j++
		}
		out = append(out, span{tps[i].Desa, i, j})
		i = j
	}
	return out
}

// connect classes every TPS. Blank spots come in whole desa, desa of a few
// kecamatan at a time, so they cluster on the map as real ones do; kelurahan
// (urban, code 1xxx) are only used if the desa run out.
func connect(tps []siaga.TPS, rng *rand.Rand) {
	for i := range tps {
		tps[i].Connectivity = siaga.SignalGood
	}
	all := spans(tps)
	blank := BlankSpots()
	for lo := 0; lo < len(all); {
		kab := all[lo].desa[:4]
		hi := lo
		for hi < len(all) && all[hi].desa[:4] == kab {
			hi++
		}
		ordered := clusterOrder(all[lo:hi], rng)
		markBlank(tps, ordered, blank[kab])
		for _, s := range ordered {
			if tps[s.lo].Connectivity == siaga.SignalGood && rng.Float64() < weakShare(kab) {
				for i := s.lo; i < s.hi; i++ {
					tps[i].Connectivity = siaga.SignalWeak
				}
			}
		}
		lo = hi
	}
}

// clusterOrder shuffles the kecamatan, then the desa within each, putting
// rural desa before kelurahan.
func clusterOrder(ss []span, rng *rand.Rand) []span {
	byKec := make(map[string][]span)
	var kecs []string
	for _, s := range ss {
		k := s.desa[:6]
		if byKec[k] == nil {
			kecs = append(kecs, k)
		}
		byKec[k] = append(byKec[k], s)
	}
	rng.Shuffle(len(kecs), func(i, j int) { kecs[i], kecs[j] = kecs[j], kecs[i] })
	var rural, urban []span
	for _, k := range kecs {
		d := byKec[k]
		rng.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
		for _, s := range d {
			if s.desa[6] == '1' {
				urban = append(urban, s)
			} else {
				rural = append(rural, s)
			}
		}
	}
	return append(rural, urban...)
}

// markBlank takes whole desa while they fit in need, then tops up with part
// of the next desa so the count is exact.
func markBlank(tps []siaga.TPS, ordered []span, need int) {
	for _, s := range ordered {
		if n := s.hi - s.lo; n > 0 && n <= need {
			need -= n
			for i := s.lo; i < s.hi; i++ {
				tps[i].Connectivity = siaga.BlankSpot
			}
		}
	}
	for _, s := range ordered {
		for i := s.lo; i < s.hi && need > 0; i++ {
			if tps[i].Connectivity != siaga.BlankSpot {
				tps[i].Connectivity = siaga.BlankSpot
				need--
			}
		}
	}
}
