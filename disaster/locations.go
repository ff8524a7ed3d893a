package disaster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// MaxLocationRows bounds a TPS location file: the whole country has
// 820,161 TPS.
const MaxLocationRows = 1_000_000

// kabKotaTolerance is how far outside its own kab/kota's drawn boundary a
// TPS may stand: the boundaries are not official (geo/data/SOURCE.md) and
// a few desa lie metres across them.
const kabKotaTolerance = 200.0 // metres

// ReadLocations reads a CSV of TPS locations: a header naming the
// columns tps, lat, lon and optionally address (in any order), then one
// row per TPS. Every row is checked — a known TPS, once only, a point in
// Indonesia and, where boundaries exist, in (or within 200 m of) the TPS's
// own kab/kota — and the first bad one fails the file with an error that
// names its row (the header is row 1, as a spreadsheet shows it) and
// column. at and by go on every location; source is siaga.LocationImported.
func (s *Service) ReadLocations(r io.Reader, at time.Time, by string) ([]siaga.TPSLocation, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(1, "", "Baris judul tidak terbaca: %v", "header row unreadable: %v", err)
	}
	cols, err := locationColumns(header)
	if err != nil {
		return nil, err
	}
	regions, err := s.boundaries()
	if err != nil {
		return nil, err
	}
	var out []siaga.TPSLocation
	seen := make(map[string]int)
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				row = pe.Line
			}
			return nil, csvError(row, "", "CSV tidak terbaca: %v", "unreadable CSV: %v", err)
		}
		if len(rec) != len(header) {
			return nil, csvError(row, "", "%d kolom, judul punya %d", "%d columns, the header has %d", len(rec), len(header))
		}
		if row > MaxLocationRows+1 {
			return nil, csvError(row, "", "Lebih dari %d baris", "over %d rows", MaxLocationRows)
		}
		l, err := s.readLocation(regions, row, rec, cols)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[l.TPS]; dup {
			return nil, csvError(row, "tps", "TPS %s sudah ada di baris %d", "TPS %s already on row %d", l.TPS, first)
		}
		seen[l.TPS] = row
		l.Source, l.At, l.By = siaga.LocationImported, at, by
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, csvError(2, "", "Tidak ada baris data", "no data rows")
	}
	return out, nil
}

// locationColumns maps each known column to its position.
func locationColumns(header []string) (map[string]int, error) {
	cols := make(map[string]int)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // a spreadsheet's BOM
		if !slices.Contains([]string{"tps", "lat", "lon", "address"}, h) {
			return nil, csvError(1, h, "Kolom %q tidak dikenal; kolomnya: tps, lat, lon[, address]",
				"unknown column %q; the columns are: tps, lat, lon[, address]", h)
		}
		if _, dup := cols[h]; dup {
			return nil, csvError(1, h, "Kolom %q dua kali", "column %q twice", h)
		}
		cols[h] = i
	}
	for _, need := range []string{"tps", "lat", "lon"} {
		if _, ok := cols[need]; !ok {
			return nil, csvError(1, need, "Kolom %q tidak ada", "column %q missing", need)
		}
	}
	return cols, nil
}

func (s *Service) readLocation(regions *geo.Regions, row int, rec []string, cols map[string]int) (siaga.TPSLocation, error) {
	var l siaga.TPSLocation
	l.TPS = strings.TrimSpace(rec[cols["tps"]])
	if _, ok := s.tpsIndex(l.TPS); !ok {
		return l, csvError(row, "tps", "TPS %q tidak terdaftar", "TPS %q is not registered", l.TPS)
	}
	var err error
	if l.Lat, err = coordinate(row, rec[cols["lat"]], "lat", -90, 90); err != nil {
		return l, err
	}
	if l.Lon, err = coordinate(row, rec[cols["lon"]], "lon", -180, 180); err != nil {
		return l, err
	}
	p := orb.Point{l.Lon, l.Lat}
	if !Indonesia.Contains(p) {
		col := "lat"
		if l.Lat >= Indonesia.Min[1] && l.Lat <= Indonesia.Max[1] {
			col = "lon"
		}
		return l, csvError(row, col, "Titik (%g, %g) di luar Indonesia (lintang dan bujur tertukar?)",
			"point (%g, %g) outside Indonesia (latitude and longitude swapped?)", l.Lat, l.Lon)
	}
	if err := inOwnKabKota(regions, row, l.TPS, p); err != nil {
		return l, err
	}
	if i, ok := cols["address"]; ok {
		l.Address = strings.TrimSpace(rec[i])
	}
	return l, nil
}

func coordinate(row int, v, col string, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		return 0, csvError(row, col, "%q bukan derajat antara %g dan %g", "%q is not degrees between %g and %g", v, lo, hi)
	}
	return f, nil
}

// inOwnKabKota refuses a point away from the TPS's kab/kota, where its
// boundary is known: a TPS of Lebak placed in Tangerang is a wrong row.
func inOwnKabKota(regions *geo.Regions, row int, tps string, p orb.Point) error {
	if regions == nil {
		return nil
	}
	kab := tps[:4]
	own, ok := regions.Boundary(kab)
	if !ok {
		return nil
	}
	if got, _ := regions.Locate(siaga.LevelKabKota, p); got == kab {
		return nil
	}
	if d := geo.DistanceTo(own.Geometry, p); d > kabKotaTolerance {
		return csvError(row, "lat", "Titik (%g, %g) %.1f km di luar kab/kota TPS ini (%s)",
			"point (%g, %g) is %.1f km outside this TPS's kab/kota (%s)", p[1], p[0], d/1000, kab)
	}
	return nil
}

// csvError names the row and column in both languages:
// "baris 7, kolom lat: …" / "row 7, column lat: …".
func csvError(row int, col, id, en string, args ...any) *siaga.Error {
	e := siaga.Errorf(siaga.EInvalid, col, id, en, args...)
	if col == "" {
		e.Message = fmt.Sprintf("baris %d: %s", row, e.Message)
		e.MessageEN = fmt.Sprintf("row %d: %s", row, e.MessageEN)
	} else {
		e.Message = fmt.Sprintf("baris %d, kolom %s: %s", row, col, e.Message)
		e.MessageEN = fmt.Sprintf("row %d, column %s: %s", row, col, e.MessageEN)
	}
	return e
}

// SyntheticLocations places every TPS of tps whose desa has a boundary in
// regions at a seeded random point inside that desa's polygon, for the
// demo: no public source gives TPS locations. Each is labelled
// siaga.LocationSynthetic. A TPS whose desa has no boundary is left out.
func SyntheticLocations(tps []siaga.TPS, regions *geo.Regions, seed uint64, at time.Time) []siaga.TPSLocation {
	rng := rand.New(rand.NewPCG(seed, 0x5e_1a_ca))
	var out []siaga.TPSLocation
	for _, t := range tps {
		f, ok := regions.Boundary(t.Desa)
		if !ok {
			continue
		}
		p, ok := pointInside(rng, f.Geometry)
		if !ok {
			continue
		}
		out = append(out, siaga.TPSLocation{TPS: t.Code, Lat: round6(p[1]), Lon: round6(p[0]),
			Source: siaga.LocationSynthetic, At: at, By: "demo"})
	}
	return out
}

// pointInside draws points in g's bound until one falls inside g. A desa
// fills a fair share of its bound, so a few draws do; a sliver that takes
// 10,000 gets none.
func pointInside(rng *rand.Rand, g orb.Geometry) (orb.Point, bool) {
	b := g.Bound()
	for range 10_000 {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		// Rounded as stored, so that the stored point is the one checked.
		p = orb.Point{round6(p[0]), round6(p[1])}
		if geo.Contains(g, p) {
			return p, true
		}
	}
	return orb.Point{}, false
}

// round6 rounds to a millionth of a degree, about 11 cm.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
