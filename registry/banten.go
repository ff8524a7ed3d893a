package registry

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

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
func placeBanten(tps []siaga.TPS, regions []siaga.Region, seed int64) error {
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
	names := make(map[string]string)
	for _, r := range regions {
		if strings.HasPrefix(r.Code, Banten) && (r.Level == siaga.LevelKecamatan || r.Level == siaga.LevelDesa) {
			names[r.Code] = r.Name
		}
	}
	connect(tps[lo:hi], names, rngFor(seed, "conn"+Banten))
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

// connect classes every TPS. Blank spots are spread over the kecamatan
// the reports name (blankSpread), an even share in each, in whole desa
// where they fit; kelurahan (urban, code 1xxx) are taken last.
func connect(tps []siaga.TPS, names map[string]string, rng *rand.Rand) {
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
		kecs := spreadOrder(all[lo:hi], names, blankSpread[kab], rng)
		need, chosen := blank[kab], min(max(blankSpread[kab].Kecamatan, 1), len(kecs))
		for i, k := range kecs {
			share := 0
			if i < chosen {
				share = need / (chosen - i) // an even share of what is left
			} else if i == chosen {
				share = need // the rest, if the chosen ones ran out
			}
			// A desa the reports name is blank whole, beyond the share.
			for _, d := range k {
				if slices.Contains(blankSpread[kab].Desa, names[d.desa]) {
					share = min(max(share, d.hi-d.lo), need)
				}
			}
			need -= markBlank(tps, k, share)
		}
		for _, k := range kecs {
			for _, s := range k {
				if tps[s.lo].Connectivity == siaga.SignalGood && rng.Float64() < weakShare(kab) {
					for i := s.lo; i < s.hi; i++ {
						tps[i].Connectivity = siaga.SignalWeak
					}
				}
			}
		}
		lo = hi
	}
}

// spread is where a kab/kota's blank spots were reported: the desa named
// first, in the kecamatan named first, in Kecamatan kecamatan in all.
type spread struct {
	Desa      []string // desa names
	Named     []string // kecamatan names
	Kecamatan int
}

// blankSpread follows the 2024 reports (registry/data/SOURCE.md, "Blank
// spots"): Lebak's blank spots lay across its 28 kecamatan, Desa Kanekes
// (the Baduy, 24 TPS) among them; Kab. Serang's boosters went to 63 TPS in
// 10 kecamatan, Bojonegara's and Pulau Panjang (Desa Pulo Panjang, Kec.
// Pulo Ampel) among them; Pandeglang's field check named 10 kecamatan.
var blankSpread = map[string]spread{
	"3601": {Named: []string{"Carita", "Labuan", "Pagelaran", "Patia", "Sukaresmi", "Sobang", "Cikeusik", "Munjul",
		"Sindangresmi", "Picung"}, Kecamatan: 10},
	"3602": {Desa: []string{"Kanekes"}, Kecamatan: 28},
	"3604": {Desa: []string{"Pulo Panjang"}, Named: []string{"Bojonegara", "Pulo Ampel"}, Kecamatan: 10},
}

// spreadOrder groups the desa of one kab/kota by kecamatan, the named
// kecamatan first and the others shuffled; within each, the named desa,
// then the rural desa shuffled, then the kelurahan.
func spreadOrder(ss []span, names map[string]string, sp spread, rng *rand.Rand) [][]span {
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
	rank := func(name string, list []string) int { return b2i(!slices.Contains(list, name)) }
	slices.SortStableFunc(kecs, func(a, b string) int {
		return cmp.Compare(rank(names[a], sp.Named), rank(names[b], sp.Named))
	})
	out := make([][]span, len(kecs))
	for i, k := range kecs {
		d := byKec[k]
		rng.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
		slices.SortStableFunc(d, func(a, b span) int {
			return cmp.Or(cmp.Compare(rank(names[a.desa], sp.Desa), rank(names[b.desa], sp.Desa)),
				cmp.Compare(b2i(a.desa[6] == '1'), b2i(b.desa[6] == '1')))
		})
		out[i] = d
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// markBlank marks up to need TPS of one kecamatan's desa blank: whole
// desa while they fit, then part of the next one so the count is exact,
// and says how many it marked.
func markBlank(tps []siaga.TPS, desa []span, need int) int {
	marked := 0
	for _, s := range desa {
		if n := s.hi - s.lo; n > 0 && n <= need-marked {
			marked += n
			for i := s.lo; i < s.hi; i++ {
				tps[i].Connectivity = siaga.BlankSpot
			}
		}
	}
	for _, s := range desa {
		for i := s.lo; i < s.hi && marked < need; i++ {
			if tps[i].Connectivity != siaga.BlankSpot {
				tps[i].Connectivity = siaga.BlankSpot
				marked++
			}
		}
	}
	return marked
}
