package registry

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Island is one named island of the wilayah islands list (data/SOURCE.md):
// logistics ships to the TPS of an inhabited island by sea, and earlier.
type Island struct {
	Code      string  `json:"code"`    // plain: "360440009"
	Regency   string  `json:"regency"` // plain kab/kota code: "3604"
	Name      string  `json:"name"`    // "Pulau Tunda"
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Populated bool    `json:"populated"`
	Outermost bool    `json:"outermost"` // pulau-pulau kecil terluar
	// Desa is the desa/kelurahan on an inhabited island, "" when none is
	// known (only Banten has desa centroids) or the island is uninhabited:
	// the desa of the same kab/kota whose centroid is nearest to the
	// island's point, if it is within IslandRadiusKm. The list gives one point per island and no
	// boundaries; a desa whose centroid is that close lies on the island,
	// while a mainland desa that merely owns an islet (its centroid, and
	// its TPS, on the mainland) stays a mainland desa.
	Desa string `json:"desa,omitempty"`
}

// IslandRadiusKm is how near an island's point a desa centroid must be
// for the desa to count as on the island: Pulau Tunda's point is 0.3 km
// from Desa Wargasara's centroid, Pulau Panjang's 0.1 km from Desa Pulo
// Panjang's, while the nearest mainland desa of either is over 5 km away.
const IslandRadiusKm = 2.0

// Islands returns every island of Indonesia in the embedded list, in its
// order, with the desa on it where known.
func Islands() ([]Island, error) {
	cents, err := readCentroids()
	if err != nil {
		return nil, err
	}
	byRegency := map[string][]string{}
	for code := range cents {
		byRegency[code[:4]] = append(byRegency[code[:4]], code)
	}
	var out []Island
	line := 1
	err = readCSV("islands.csv.gz", func(rec []string) error {
		line++
		if len(rec) != 6 {
			return fmt.Errorf("registry: islands.csv line %d: %d fields, want 6", line, len(rec))
		}
		lat, lon, err := parseDMS(rec[2])
		if err != nil {
			return fmt.Errorf("registry: islands.csv line %d: %w", line, err)
		}
		isl := Island{Code: plain(rec[0]), Regency: plain(rec[1]), Name: rec[5], Lat: lat, Lon: lon,
			Populated: rec[3] == "1", Outermost: rec[4] == "1"}
		best := IslandRadiusKm
		if !isl.Populated {
			best = -1 // an islet near the coast is not where its desa's TPS are
		}
		for _, desa := range byRegency[isl.Regency] {
			c := cents[desa]
			if d := distanceKm(lat, lon, c.lat, c.lon); d <= best {
				best, isl.Desa = d, desa
			}
		}
		out = append(out, isl)
		return nil
	})
	return out, err
}

func plain(dotted string) string { return strings.ReplaceAll(dotted, ".", "") }

// dms matches the list's coordinates: 05°48'44.97" S 106°16'47.58" E.
var dms = regexp.MustCompile(`^(\d+)°(\d+)'([\d.]+)" ([NS]) (\d+)°(\d+)'([\d.]+)" ([EW])$`)

func parseDMS(s string) (lat, lon float64, err error) {
	m := dms.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, fmt.Errorf("coordinate %q is not degrees, minutes, seconds", s)
	}
	deg := func(d, mi, se, hemi string) float64 {
		a, _ := strconv.ParseFloat(d, 64)
		b, _ := strconv.ParseFloat(mi, 64)
		c, _ := strconv.ParseFloat(se, 64)
		v := a + b/60 + c/3600
		if hemi == "S" || hemi == "W" {
			v = -v
		}
		return v
	}
	return deg(m[1], m[2], m[3], m[4]), deg(m[5], m[6], m[7], m[8]), nil
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
