package logistics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/deskpemilu/siaga"
)

// MaxBOMBytes bounds a bill of materials file: a few dozen lines.
const MaxBOMBytes = 64 << 10

// maxQty bounds one quantity: a TPS needs a few hundred of anything but
// ballots, and a quantity is multiplied by 820,161 TPS in the national
// totals, which must not overflow.
const maxQty = 100_000

// ParseBOM reads a bill of materials in the JSON form of BOM
// (docs/logistics.md), as a KPU office would write its own: every field
// is checked and an error names it ("per_tps[2].qty"), in Bahasa
// Indonesia and in English.
func ParseBOM(r io.Reader) (*BOM, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBOMBytes+1))
	if err != nil {
		return nil, siaga.Errorf(siaga.EInvalid, "", "berkas BOM tidak terbaca: %v", "the BOM file cannot be read: %v", err)
	}
	if len(data) > MaxBOMBytes {
		return nil, siaga.Errorf(siaga.EInvalid, "", "berkas BOM lebih dari %d KiB", "the BOM file is over %d KiB", MaxBOMBytes>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b BOM
	if err := dec.Decode(&b); err != nil {
		return nil, jsonError(err)
	}
	if dec.More() {
		return nil, siaga.Errorf(siaga.EInvalid, "", "berkas BOM berisi lebih dari satu objek JSON", "the BOM file holds more than one JSON object")
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

// ReadBOMFile is ParseBOM of a file, its name in the errors.
func ReadBOMFile(name string) (*BOM, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, siaga.Errorf(siaga.EInvalid, "--bom", "berkas %s tidak dapat dibuka: %v", "cannot open %s: %v", name, err)
	}
	defer f.Close()
	b, err := ParseBOM(f)
	var e *siaga.Error
	if errors.As(err, &e) {
		e.Message, e.MessageEN = name+": "+e.Message, name+": "+e.MessageEN
	}
	return b, err
}

// jsonError names the field a JSON error is about, when it says.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return siaga.Errorf(siaga.EInvalid, te.Field, "kolom %s: jenis nilai salah (%s)", "field %s: wrong kind of value (%s)", te.Field, te.Value)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return siaga.Errorf(siaga.EInvalid, f, "kolom %s tidak dikenal", "unknown field %s", f)
	}
	return siaga.Errorf(siaga.EInvalid, "", "bukan JSON yang sah: %s", "not valid JSON: %s", msg)
}

// Validate checks a bill of materials: known contests once each, a
// reserve of 0–100%, item codes of lower-case letters, digits and "_",
// no ballot among the fixed items, each item once, quantities 0–100,000,
// and overrides on a region code of an item the BOM has.
func (b *BOM) Validate() error {
	seen := map[siaga.Contest]bool{}
	for i, c := range b.Ballots {
		f := fmt.Sprintf("ballots[%d]", i)
		if !c.Valid() {
			return siaga.Errorf(siaga.EInvalid, f, "kolom %s: %q bukan kontes (ppwp, dpr, dpd, dprd_prov, dprd_kab)",
				"field %s: %q is not a contest (ppwp, dpr, dpd, dprd_prov, dprd_kab)", f, c)
		}
		if seen[c] {
			return siaga.Errorf(siaga.EInvalid, f, "kolom %s: kontes %s disebut dua kali", "field %s: contest %s named twice", f, c)
		}
		seen[c] = true
	}
	if b.ReservePercent < 0 || b.ReservePercent > 100 {
		return siaga.Errorf(siaga.EInvalid, "reserve_percent", "kolom reserve_percent: harus 0–100, bukan %d",
			"field reserve_percent: must be 0–100, not %d", b.ReservePercent)
	}
	items := map[siaga.Item]bool{}
	for _, part := range []struct {
		name  string
		lines []siaga.Line
	}{{"per_tps", b.PerTPS}, {"per_contest", b.PerContest}} {
		for i, l := range part.lines {
			f := fmt.Sprintf("%s[%d]", part.name, i)
			if err := checkItem(f+".item", l.Item); err != nil {
				return err
			}
			if items[l.Item] {
				return siaga.Errorf(siaga.EInvalid, f+".item", "kolom %s.item: barang %s disebut dua kali", "field %s.item: item %s named twice", f, l.Item)
			}
			items[l.Item] = true
			if l.Dapil != "" {
				return siaga.Errorf(siaga.EInvalid, f+".dapil", "kolom %s.dapil: hanya surat suara yang punya dapil", "field %s.dapil: only ballots have a dapil", f)
			}
			if err := checkQty(f+".qty", l.Qty); err != nil {
				return err
			}
		}
	}
	for i, o := range b.Overrides {
		f := fmt.Sprintf("overrides[%d]", i)
		if !siaga.IsRegionCode(o.Region) || siaga.LevelOf(o.Region) == siaga.LevelTPS {
			return siaga.Errorf(siaga.EInvalid, f+".region", "kolom %s.region: %q bukan kode wilayah (mis. 31 atau 3601)",
				"field %s.region: %q is not a region code (e.g. 31 or 3601)", f, o.Region)
		}
		if !items[o.Item] {
			return siaga.Errorf(siaga.EInvalid, f+".item", "kolom %s.item: %q tidak ada di per_tps atau per_contest",
				"field %s.item: %q is not in per_tps or per_contest", f, o.Item)
		}
		if err := checkQty(f+".qty", o.Qty); err != nil {
			return err
		}
	}
	return nil
}

func checkItem(field string, it siaga.Item) error {
	if it == "" || len(it) > 40 {
		return siaga.Errorf(siaga.EInvalid, field, "kolom %s: kode barang kosong atau terlalu panjang", "field %s: item code empty or too long", field)
	}
	for _, r := range it {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return siaga.Errorf(siaga.EInvalid, field, "kolom %s: kode barang %q hanya boleh huruf kecil, angka dan _",
				"field %s: item code %q may hold only lower-case letters, digits and _", field, string(it))
		}
	}
	if strings.HasPrefix(string(it), "surat_suara_") {
		return siaga.Errorf(siaga.EInvalid, field, "kolom %s: surat suara dihitung dari DPT (kolom ballots), bukan jumlah tetap",
			"field %s: ballots come from the DPT (field ballots), not a fixed quantity", field)
	}
	return nil
}

func checkQty(field string, q int) error {
	if q < 0 || q > maxQty {
		return siaga.Errorf(siaga.EInvalid, field, "kolom %s: jumlah harus 0–%d, bukan %d", "field %s: quantity must be 0–%d, not %d", field, maxQty, q)
	}
	return nil
}
