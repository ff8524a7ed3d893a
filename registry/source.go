package registry

import (
	"compress/gzip"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

//go:embed data/*.csv data/*.csv.gz
var data embed.FS

// desaTPS is one row of the TPS list: regular TPS 1..Regular and special
// TPS SpecialFirst..SpecialLast (0 when none).
type desaTPS struct {
	Code         string
	Regular      int
	SpecialFirst int
	SpecialLast  int
}

func (d desaTPS) count() int {
	n := d.Regular
	if d.SpecialFirst > 0 {
		n += d.SpecialLast - d.SpecialFirst + 1
	}
	return n
}

// source is the embedded data read for one province, before generation.
type source struct {
	regions    []siaga.Region // sorted by code
	desas      []desaTPS      // the selected province(s), sorted by code
	all        []desaTPS      // every province: the national DPT target is shared out by TPS count
	mismatches []Mismatch
}

func readSource(province string) (*source, error) {
	if err := checkProvince(province); err != nil {
		return nil, err
	}
	keep := func(code string) bool { return province == All || strings.HasPrefix(code, province) }
	all, err := readTPS()
	if err != nil {
		return nil, err
	}
	regions, err := readWilayah(keep)
	if err != nil {
		return nil, err
	}
	src := &source{all: all}
	for _, d := range all {
		if keep(d.Code) {
			src.desas = append(src.desas, d)
		}
	}
	if province != All && len(src.desas) == 0 {
		return nil, siaga.Errorf(siaga.ENotFound, "province",
			"provinsi %q tidak ada", "province %q does not exist", province)
	}
	src.regions, src.mismatches = reconcile(regions, src.desas)
	return src, nil
}

// reconcile adds a placeholder region for every desa (and missing ancestor)
// that has TPS but no name, and reports both directions of disagreement.
func reconcile(regions []siaga.Region, desas []desaTPS) ([]siaga.Region, []Mismatch) {
	known := make(map[string]bool, len(regions))
	for _, r := range regions {
		known[r.Code] = true
	}
	withTPS := make(map[string]bool, len(desas))
	var out []Mismatch
	for _, d := range desas {
		withTPS[d.Code] = true
		for _, code := range append([]string{d.Code}, siaga.Ancestors(d.Code)...) {
			if known[code] {
				break
			}
			known[code] = true
			lvl := siaga.LevelOf(code)
			regions = append(regions, siaga.Region{
				Code: code, Parent: siaga.ParentCode(code), Level: lvl,
				Name: fmt.Sprintf("%s %s (tanpa nama di data wilayah)", strings.ToUpper(lvl.String()[:1])+lvl.String()[1:], code),
			})
			out = append(out, Mismatch{Code: code, Kind: TPSWithoutRegion,
				Note: fmt.Sprintf("%s has %d TPS but no name in the wilayah data", code, d.count())})
		}
	}
	for _, r := range regions {
		if r.Level == siaga.LevelDesa && !withTPS[r.Code] {
			out = append(out, Mismatch{Code: r.Code, Kind: RegionWithoutTPS,
				Note: fmt.Sprintf("%s (%s) has no TPS in the 2024 list", r.Code, r.Name)})
		}
	}
	sortRegions(regions)
	slices.SortFunc(out, func(a, b Mismatch) int { return strings.Compare(a.Code, b.Code) })
	return regions, out
}

func readWilayah(keep func(string) bool) ([]siaga.Region, error) {
	var regions []siaga.Region
	files := []struct {
		name  string
		level siaga.Level
	}{
		{"provinces.csv", siaga.LevelProvince},
		{"regencies.csv", siaga.LevelKabKota},
		{"districts.csv", siaga.LevelKecamatan},
		{"villages.csv.gz", siaga.LevelDesa},
	}
	for _, f := range files {
		err := readCSV(f.name, func(rec []string) error {
			code := strings.ReplaceAll(rec[0], ".", "")
			if siaga.LevelOf(code) != f.level {
				return fmt.Errorf("code %q is not a %s code", rec[0], f.level)
			}
			if keep(code) {
				regions = append(regions, siaga.Region{
					Code: code, Parent: siaga.ParentCode(code), Level: f.level, Name: rec[len(rec)-1],
				})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return regions, nil
}

func readTPS() ([]desaTPS, error) {
	var out []desaTPS
	err := readCSV("tps_per_desa_2024.csv.gz", func(rec []string) error {
		d := desaTPS{Code: rec[0]}
		if siaga.LevelOf(d.Code) != siaga.LevelDesa {
			return fmt.Errorf("desa code %q is not 10 digits", d.Code)
		}
		var err error
		if d.Regular, err = strconv.Atoi(rec[1]); err != nil {
			return fmt.Errorf("desa %s: tps_regular: %w", d.Code, err)
		}
		if rec[2] != "" {
			d.SpecialFirst, err = strconv.Atoi(rec[2])
			if err == nil {
				d.SpecialLast, err = strconv.Atoi(rec[3])
			}
			if err != nil || d.SpecialFirst < 900 || d.SpecialLast < d.SpecialFirst || d.SpecialLast > 999 {
				return fmt.Errorf("desa %s: bad special TPS range %q..%q", d.Code, rec[2], rec[3])
			}
		}
		out = append(out, d)
		return nil
	})
	slices.SortFunc(out, func(a, b desaTPS) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

// readCSV calls fn for every record after the header of an embedded file,
// gunzipping files whose name ends in .gz.
func readCSV(name string, fn func(rec []string) error) error {
	f, err := data.Open("data/" + name)
	if err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("registry: %s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return fmt.Errorf("registry: %s: header: %w", name, err)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("registry: %s: %w", name, err)
		}
		if err := fn(rec); err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("registry: %s:%d: %w", name, line, err)
		}
	}
}
