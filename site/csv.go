// Package site reads the lists of candidate sites (siaga.Site) that a
// desk imports: schools, mosques and village offices a TPS can move to,
// and towers and rooftops where a booster or a mobile BTS can stand.
package site

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// Limits of a list: a province's schools, mosques and offices run to tens
// of thousands; more rows than MaxRows is a wrong file.
const (
	MaxRows    = 100_000
	maxText    = 200
	maxCode    = 64
	maxRadiusM = 50_000 // a mobile BTS reaches a few km; 50 km is a typo
	maxErrors  = 10     // a file with more bad rows is reported by its first ones
)

// Columns of the CSV: the first five are required, the others optional,
// in any order.
var (
	required = []string{"code", "name", "kind", "lat", "lon"}
	optional = []string{"intervention", "radius_m", "cost", "capacity", "source"}
)

// Interventions are the kinds an intervention column may name.
var Interventions = []string{siaga.InterventionBooster, siaga.InterventionVSAT, siaga.InterventionCOW, siaga.InterventionWalk}

// Indonesia's extent, with a margin: from Pulau Rondo (about 6.1° N) to
// Pulau Pamana (about 11° S), from Sabang (95° E) to Merauke (141° E).
const (
	minLat, maxLat = -11, 6.5
	minLon, maxLon = 94, 141.5
)

// ReadCSV reads a list of sites: a header naming the columns, then one
// site per row. Row numbers in errors count the header as row 1, as a
// spreadsheet shows them. A file whose header has semicolons and no
// commas is read as Excel writes it in an Indonesian locale: ';' between
// fields and ',' as the decimal mark.
//
// Each site's desa is found from its point in regions (Banten's
// boundaries) and left empty where regions has none; regions may be nil.
// The result has no bad row: any error refuses the whole file, naming up
// to the first ten bad rows and columns, in Indonesian and English.
func ReadCSV(r io.Reader, regions *geo.Regions) ([]siaga.Site, error) {
	br := newSniffer(r)
	cr := csv.NewReader(br)
	cr.Comma = br.comma()
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, siaga.Errorf(siaga.EInvalid, "", "berkas kosong: baris 1 harus judul kolom (%s)",
			"empty file: row 1 must be the header (%s)", strings.Join(required, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	rd := reader{cols: cols, decimalComma: cr.Comma == ';', regions: regions, seen: map[string]int{}}
	cr.FieldsPerRecord = len(header)
	var out []siaga.Site
	var errs []*siaga.Error
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			e, ok := csvError(err).(*siaga.Error)
			if !ok {
				return nil, err // reading failed, not the file
			}
			errs = append(errs, e)
			break // the reader's place in the file is lost
		}
		if row-1 > MaxRows {
			errs = append(errs, siaga.Errorf(siaga.ETooLarge, "", "lebih dari %d baris; pisahkan berkasnya",
				"more than %d rows; split the file", MaxRows))
			break
		}
		s, bad := rd.site(row, rec)
		if bad != nil {
			if errs = append(errs, bad); len(errs) == maxErrors {
				break
			}
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return out, nil
}

// joinErrors makes one error of the bad rows, a line each, so that every
// caller (the command line, an upload) shows them all.
func joinErrors(errs []*siaga.Error) *siaga.Error {
	out := *errs[0]
	for _, e := range errs[1:] {
		out.Message += "\n" + e.Message
		out.MessageEN += "\n" + e.MessageEN
	}
	if len(errs) == maxErrors {
		out.Message += "\n(mungkin ada baris salah lainnya)"
		out.MessageEN += "\n(there may be more bad rows)"
	}
	return &out
}

// readHeader maps each known column to its index in the header.
func readHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // Excel's BOM
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			return nil, siaga.Errorf(siaga.EInvalid, name, "baris 1, kolom %d: kolom %q tidak dikenal; kolomnya: %s",
				"row 1, column %d: unknown column %q; the columns are: %s", i+1, h, strings.Join(append(required, optional...), ","))
		}
		if _, dup := cols[name]; dup {
			return nil, siaga.Errorf(siaga.EInvalid, name, "baris 1: kolom %s muncul dua kali", "row 1: column %s appears twice", name)
		}
		cols[name] = i
	}
	for _, name := range required {
		if _, ok := cols[name]; !ok {
			return nil, siaga.Errorf(siaga.EInvalid, name, "baris 1: kolom %s wajib ada", "row 1: column %s is required", name)
		}
	}
	return cols, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return siaga.Errorf(siaga.EInvalid, "", "baris %d: CSV tidak sah (%v)", "row %d: invalid CSV (%v)", pe.Line, pe.Err)
	}
	return fmt.Errorf("read sites: %w", err)
}

// reader checks rows against the columns of one file.
type reader struct {
	cols         map[string]int
	decimalComma bool
	regions      *geo.Regions
	seen         map[string]int // code → the row it was on
}

// site reads one row.
func (rd *reader) site(row int, rec []string) (siaga.Site, *siaga.Error) {
	f := field{row: row, rec: rec, cols: rd.cols, decimalComma: rd.decimalComma}
	s := siaga.Site{
		Code:         f.text("code", maxCode, true),
		Name:         f.text("name", maxText, true),
		Kind:         f.oneOf("kind", siaga.SiteKinds, true),
		Lat:          f.number("lat", minLat, maxLat, true),
		Lon:          f.number("lon", minLon, maxLon, true),
		Intervention: f.oneOf("intervention", Interventions, false),
		RadiusM:      f.number("radius_m", 0, maxRadiusM, false),
		Cost:         f.integer("cost"),
		Capacity:     int(f.integer("capacity")),
		Source:       f.text("source", maxText, false),
	}
	if f.err != nil {
		return siaga.Site{}, f.err
	}
	if first, dup := rd.seen[s.Code]; dup {
		return siaga.Site{}, f.fail("code", "kode %q sudah ada di baris %d", "code %q is already on row %d", s.Code, first)
	}
	rd.seen[s.Code] = row
	switch {
	case s.Intervention == "" && s.RadiusM > 0:
		return siaga.Site{}, f.fail("radius_m", "jangkauan hanya untuk calon intervensi: isi kolom intervention",
			"a radius is only for an intervention candidate: fill in the intervention column")
	case s.Intervention == "" && s.Cost > 0:
		return siaga.Site{}, f.fail("cost", "biaya hanya untuk calon intervensi: isi kolom intervention",
			"a cost is only for an intervention candidate: fill in the intervention column")
	case (s.Intervention == siaga.InterventionBooster || s.Intervention == siaga.InterventionCOW) && s.RadiusM == 0:
		return siaga.Site{}, f.fail("radius_m", "%s perlu jangkauan dalam meter", "a %s needs a radius in metres", s.Intervention)
	}
	if rd.regions != nil {
		s.Desa, _ = rd.regions.Locate(siaga.LevelDesa, orb.Point{s.Lon, s.Lat})
	}
	return s, nil
}

// field reads the cells of one row, keeping the first error.
type field struct {
	row          int
	rec          []string
	cols         map[string]int
	decimalComma bool
	err          *siaga.Error
}

func (f *field) fail(col, id, en string, args ...any) *siaga.Error {
	e := siaga.Errorf(siaga.EInvalid, col, id, en, args...)
	if f.row == 0 { // a form's field (FromFields), not a file's row
		e.Message, e.MessageEN = fmt.Sprintf("kolom %s: %s", col, e.Message), fmt.Sprintf("field %s: %s", col, e.MessageEN)
		return e
	}
	e.Message = fmt.Sprintf("baris %d, kolom %s: %s", f.row, col, e.Message)
	e.MessageEN = fmt.Sprintf("row %d, column %s: %s", f.row, col, e.MessageEN)
	return e
}

// FromFields reads one site from named values (the columns of the CSV),
// by the same rules as a file's row: the candidate a desk officer draws on
// the planning page's map is checked as the importer checks one. The
// error names the field.
func FromFields(values map[string]string, regions *geo.Regions) (siaga.Site, error) {
	rd := &reader{cols: map[string]int{}, regions: regions, seen: map[string]int{}}
	var rec []string
	for k, v := range values {
		rd.cols[k] = len(rec)
		rec = append(rec, v)
	}
	s, err := rd.site(0, rec)
	if err != nil {
		return siaga.Site{}, err
	}
	return s, nil
}

// cell is the trimmed value of a column, "" when the file lacks it or
// an earlier cell failed.
func (f *field) cell(col string, required bool) string {
	i, ok := f.cols[col]
	if !ok || f.err != nil {
		return ""
	}
	v := strings.TrimSpace(f.rec[i])
	if v == "" && required {
		f.err = f.fail(col, "wajib diisi", "is required")
	}
	return v
}

func (f *field) text(col string, max int, required bool) string {
	v := f.cell(col, required)
	switch {
	case !utf8.ValidString(v):
		f.err = f.fail(col, "bukan teks UTF-8", "is not UTF-8 text")
	case utf8.RuneCountInString(v) > max:
		f.err = f.fail(col, "lebih dari %d huruf", "longer than %d characters", max)
	case strings.ContainsFunc(v, func(r rune) bool { return r < ' ' }):
		f.err = f.fail(col, "berisi karakter kendali", "contains a control character")
	}
	return v
}

func (f *field) oneOf(col string, allowed []string, required bool) string {
	v := strings.ToLower(f.cell(col, required))
	if v != "" && !slices.Contains(allowed, v) && f.err == nil {
		f.err = f.fail(col, "%q tidak dikenal; pilihannya: %s", "unknown %q; the choices are: %s",
			truncate(v), strings.Join(allowed, ", "))
	}
	return v
}

func (f *field) number(col string, lo, hi float64, required bool) float64 {
	v := f.cell(col, required)
	if v == "" || f.err != nil {
		return 0
	}
	if f.decimalComma {
		v = strings.Replace(v, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		f.err = f.fail(col, "%q bukan angka", "%q is not a number", truncate(v))
	case x < lo || x > hi:
		f.err = f.fail(col, "%v di luar batas %v sampai %v", "%v is outside %v to %v", x, lo, hi)
	}
	return x
}

// integer reads a count or an amount in rupiah: digits only, since "1.500"
// means fifteen hundred in Indonesia and one and a half elsewhere.
func (f *field) integer(col string) int64 {
	v := f.cell(col, false)
	if v == "" || f.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1e15 {
		f.err = f.fail(col, "%q bukan bilangan bulat 0 sampai 10¹⁵ tanpa titik atau koma", "%q is not a whole number from 0 to 10¹⁵ without dots or commas", truncate(v))
	}
	return n
}

// truncate shortens a value quoted back in an error.
func truncate(v string) string {
	if utf8.RuneCountInString(v) <= 40 {
		return v
	}
	return string([]rune(v)[:40]) + "…"
}
