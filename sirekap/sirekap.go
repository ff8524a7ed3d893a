// Package sirekap imports KPU's public Sirekap per-TPS JSON (the objects
// under sirekap-obj-data.kpu.go.id/pemilu/hhcw/...) into count forms.
//
// Sirekap is read by OCR from photos of the forms, so records are often
// partial: a page not read is null and becomes a missing section of the
// form (rule R12), never zeros.
package sirekap

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
)

// MaxSize is the largest record Parse accepts; real ones are about 2 KiB.
const MaxSize = 1 << 20

// Record is one TPS's record for one contest.
type Record struct {
	TPS     string
	Contest siaga.Contest
	Form    siaga.Form
	// Images are the photo URLs of the form's pages in page order; a page
	// without a photo is "" so that positions keep their meaning.
	Images []string
	// UpdatedAt is when KPU last changed the record (zero when unknown).
	UpdatedAt time.Time
	// StatusSuara and StatusAdm say whether KPU marked the vote and the
	// administrative page as read.
	StatusSuara, StatusAdm bool
}

// document is the wire form. Counts stay raw so that null, fractions and
// negatives can be told apart and named.
type document struct {
	Chart        map[string]json.RawMessage `json:"chart"`
	Images       []*string                  `json:"images"`
	Administrasi map[string]json.RawMessage `json:"administrasi"`
	TS           *string                    `json:"ts"`
	StatusSuara  bool                       `json:"status_suara"`
	StatusAdm    bool                       `json:"status_adm"`
}

// Tickets maps the Sirekap candidate ids of e's tickets to ticket numbers,
// the tickets argument of Parse and Walk.
func Tickets(e *siaga.Election) map[string]string {
	out := make(map[string]string, len(e.Tickets))
	for _, t := range e.Tickets {
		if t.SirekapID != "" {
			out[t.SirekapID] = t.Number
		}
	}
	return out
}

// Parse reads the record of TPS tps (13 digits) for ppwp. tickets maps the
// Sirekap ids of the chart ("100025") to the option keys of the form
// ("01"); an id it lacks is refused, since its votes would be lost.
// Malformed records give a *siaga.Error naming the field at fault.
func Parse(tps string, data []byte, tickets map[string]string) (*Record, error) {
	if len(data) > MaxSize {
		return nil, siaga.Errorf(siaga.ETooLarge, "", "Berkas Sirekap lebih dari %d bita",
			"Sirekap record is over %d bytes", MaxSize)
	}
	if !siaga.IsTPSCode(tps) {
		return nil, siaga.Errorf(siaga.EInvalid, "tps", "Kode TPS %q harus 13 angka", "TPS code %q must be 13 digits", tps)
	}
	var doc document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, decodeError(err)
	}
	rec := &Record{TPS: tps, Contest: siaga.PPWP, StatusSuara: doc.StatusSuara, StatusAdm: doc.StatusAdm}
	var err error
	if rec.Form.Votes, err = votes(doc.Chart, tickets); err != nil {
		return nil, err
	}
	if rec.Form.Admin, err = admin(doc.Administrasi); err != nil {
		return nil, err
	}
	if doc.TS != nil && *doc.TS != "" {
		if rec.UpdatedAt, err = time.ParseInLocation(time.DateTime, *doc.TS, siaga.WIB); err != nil {
			return nil, siaga.Errorf(siaga.EInvalid, "ts", "Waktu %q tidak dikenali", "unreadable time %q", *doc.TS)
		}
	}
	for _, u := range doc.Images {
		if u == nil {
			rec.Images = append(rec.Images, "")
		} else {
			rec.Images = append(rec.Images, *u)
		}
	}
	return rec, nil
}

func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return siaga.Errorf(siaga.EInvalid, te.Field, "Isian %s bertipe salah", "field %s has the wrong type", te.Field)
	}
	return siaga.Errorf(siaga.EInvalid, "", "Berkas Sirekap bukan JSON yang sah: %v",
		"Sirekap record is not valid JSON: %v", err)
}

// votes reads the chart. The stray "null" key of real records and null
// counts are dropped; a chart with no count left means the page was not
// read, like a null chart.
func votes(chart map[string]json.RawMessage, tickets map[string]string) (*siaga.Votes, error) {
	opts := make(map[string]int, len(chart))
	for _, id := range slices.Sorted(maps.Keys(chart)) {
		raw := chart[id]
		if id == "null" || isNull(raw) {
			continue
		}
		field := "chart." + id
		option, ok := tickets[id]
		if !ok {
			return nil, siaga.Errorf(siaga.EInvalid, field, "Calon Sirekap %s tidak dikenal",
				"unknown Sirekap candidate id %s", id)
		}
		if _, dup := opts[option]; dup {
			return nil, siaga.Errorf(siaga.EInvalid, field, "Paslon %s muncul dua kali",
				"ticket %s appears twice", option)
		}
		n, err := count(field, raw)
		if err != nil {
			return nil, err
		}
		opts[option] = n
	}
	if len(opts) == 0 {
		return nil, nil
	}
	return &siaga.Votes{Options: opts}, nil
}

// admin keeps the known fields of administrasi; Sirekap has added keys over
// time and they carry nothing the rules use.
func admin(in map[string]json.RawMessage) (siaga.Admin, error) {
	var out siaga.Admin
	for _, name := range siaga.AdminFields {
		raw, ok := in[name]
		if !ok || isNull(raw) {
			continue
		}
		n, err := count("administrasi."+name, raw)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make(siaga.Admin, len(in))
		}
		out[name] = n
	}
	return out, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(raw, []byte("null")) }

// count reads a non-negative whole number. A whole number written as a
// fraction (12.0) is accepted: it is the same count.
func count(field string, raw json.RawMessage) (int, error) {
	s := string(raw)
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return 0, siaga.Errorf(siaga.EInvalid, field, "Angka %s bukan bilangan bulat",
				"count %s is not a whole number", s)
		}
		n = int(f)
	}
	if n < 0 {
		return 0, siaga.Errorf(siaga.EInvalid, field, "Angka tidak boleh negatif (%d)",
			"count must not be negative (%d)", n)
	}
	return n, nil
}
