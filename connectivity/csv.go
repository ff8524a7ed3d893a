package connectivity

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// SurveyColumns are the columns of a survey CSV, in the order a template
// has them; a file may order them as it likes but must have them all.
var SurveyColumns = []string{"tps", "operator", "tech", "rsrp", "rssi", "data_ok", "down_kbps", "up_kbps", "rtt_ms",
	"lat", "lon", "surveyor", "at"}

// MaxSurveyRows bounds one import: Indonesia's 820,161 TPS surveyed once
// would be more, but one province's round of surveys is far less.
const MaxSurveyRows = 500_000

// timeLayouts are the forms "at" may take; without a zone the time is WIB,
// the time of the surveyors' phones in Banten.
var timeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly}

// ReadSurveysCSV reads a survey CSV (SurveyColumns, header first, comma
// separated) into surveys of source SurveyImport. Every row must hold a
// possible measurement (CheckSurvey): the first that does not is an
// EInvalid naming its row (the file's line, the header being line 1) and
// column, in Bahasa Indonesia and English, and nothing is returned.
// Empty cells are measurements not taken; data_ok is ya/tidak (or
// true/false, 1/0).
func ReadSurveysCSV(r io.Reader, tps TPSIndex, now time.Time) ([]siaga.Survey, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, siaga.Errorf(siaga.EInvalid, "", "berkas kosong: baris pertama harus kepala kolom %s", "empty file: the first line must be the header %s",
			strings.Join(SurveyColumns, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	col, err := surveyHeader(header)
	if err != nil {
		return nil, err
	}
	var out []siaga.Survey
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) == MaxSurveyRows {
			return nil, siaga.Errorf(siaga.ETooLarge, "", "baris %d: paling banyak %d survei sekali impor", "row %d: at most %d surveys in one import", line, MaxSurveyRows)
		}
		s, e := surveyRow(rec, col)
		if e == nil {
			e = CheckSurvey(&s, tps, now)
		}
		if e != nil {
			return nil, &siaga.Error{Code: siaga.EInvalid, Field: e.Field,
				Message:   fmt.Sprintf("baris %d, kolom %s: %s", line, e.Field, e.Message),
				MessageEN: fmt.Sprintf("row %d, column %s: %s", line, e.Field, e.MessageEN)}
		}
		out = append(out, s)
	}
}

// surveyHeader maps each of SurveyColumns to its position in header.
func surveyHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // a spreadsheet's byte-order mark
		if !slices.Contains(SurveyColumns, h) {
			return nil, siaga.Errorf(siaga.EInvalid, h, "baris 1, kolom %q tidak dikenal; kolomnya: %s", "row 1, unknown column %q; the columns are: %s",
				h, strings.Join(SurveyColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, siaga.Errorf(siaga.EInvalid, h, "baris 1, kolom %s muncul dua kali", "row 1, column %s appears twice", h)
		}
		col[h] = i
	}
	for _, c := range SurveyColumns {
		if _, ok := col[c]; !ok {
			return nil, siaga.Errorf(siaga.EInvalid, c, "baris 1: kolom %s tidak ada; kolomnya: %s", "row 1: column %s is missing; the columns are: %s",
				c, strings.Join(SurveyColumns, ","))
		}
	}
	return col, nil
}

// surveyRow parses one record; the error's field is the column.
func surveyRow(rec []string, col map[string]int) (siaga.Survey, *siaga.Error) {
	cell := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
	s := siaga.Survey{
		TPS: cell("tps"), Operator: strings.ToLower(cell("operator")), Tech: strings.ToLower(cell("tech")),
		Surveyor: cell("surveyor"), Source: siaga.SurveyImport,
	}
	var err *siaga.Error
	num := func(name string) *float64 {
		v := strings.ReplaceAll(cell(name), "\u2212", "-") // a typographic minus, pasted from a report
		if v == "" || err != nil {
			return nil
		}
		f, perr := strconv.ParseFloat(v, 64)
		if perr != nil {
			err = siaga.Errorf(siaga.EInvalid, name, "%q bukan angka (titik desimal, mis. -101.5)", "%q is not a number (decimal point, e.g. -101.5)", v)
			return nil
		}
		return &f
	}
	s.RSRP, s.RSSI = num("rsrp"), num("rssi")
	s.DownKbps, s.UpKbps, s.RTTms = num("down_kbps"), num("up_kbps"), num("rtt_ms")
	lat, lon := num("lat"), num("lon")
	if err != nil {
		return s, err
	}
	if (lat == nil) != (lon == nil) {
		name := "lat"
		if lat != nil {
			name = "lon"
		}
		return s, siaga.Errorf(siaga.EInvalid, name, "lat dan lon diisi berdua atau dikosongkan berdua", "lat and lon are both given or both left empty")
	}
	if lat != nil {
		if *lat == 0 && *lon == 0 {
			return s, siaga.Errorf(siaga.EInvalid, "lat", "titik 0, 0 di luar Indonesia", "point 0, 0 is outside Indonesia")
		}
		s.Lat, s.Lon = *lat, *lon
	}
	switch v := strings.ToLower(cell("data_ok")); v {
	case "":
	case "ya", "true", "1", "lulus", "yes":
		s.DataOK = ptr(true)
	case "tidak", "false", "0", "gagal", "no":
		s.DataOK = ptr(false)
	default:
		return s, siaga.Errorf(siaga.EInvalid, "data_ok", "%q: isi ya atau tidak (kosong: uji data tidak dilakukan)", "%q: give ya or tidak (empty: no data test was run)", v)
	}
	at, perr := parseTime(cell("at"))
	if perr != nil {
		return s, siaga.Errorf(siaga.EInvalid, "at", "%q bukan waktu; tulis 2024-02-10 09:30 (WIB) atau RFC 3339", "%q is not a time; write 2024-02-10 09:30 (WIB) or RFC 3339", cell("at"))
	}
	s.At = at
	return s, nil
}

func parseTime(v string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, v, siaga.WIB); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", v)
}

// csvError is a malformed CSV (a stray quote, a row of another width),
// with its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return siaga.Errorf(siaga.EInvalid, "", "baris %d: CSV rusak: %v", "row %d: malformed CSV: %v", pe.Line, pe.Err)
	}
	return fmt.Errorf("reading the survey CSV: %w", err)
}

func ptr[T any](v T) *T { return &v }
