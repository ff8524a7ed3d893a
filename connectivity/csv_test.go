package connectivity_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

func TestReadSurveysCSV(t *testing.T) {
	f, err := os.Open("testdata/surveys.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := connectivity.ReadSurveysCSV(f, connectivity.New(connectivity.Config{Registry: testRegistry()}), t0)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, siaga.WIB)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	want := []siaga.Survey{
		{TPS: "3604012005001", Operator: "telkomsel", Tech: "4g", RSRP: ptr(-108.5), DataOK: ptr(true), DownKbps: ptr(420.0),
			UpKbps: ptr(180.0), RTTms: ptr(380.0), Lat: -5.90012, Lon: 106.05003, Surveyor: "Asep Saepudin", Source: siaga.SurveyImport,
			At: at("2024-02-08 10:15")},
		{TPS: "3604012005001", Operator: "xl", Tech: "3g", RSSI: ptr(-99.0), DataOK: ptr(false), Lat: -5.90012, Lon: 106.05003,
			Surveyor: "Asep Saepudin", Source: siaga.SurveyImport, At: at("2024-02-08 10:25")},
		{TPS: "3604012005003", Operator: "indosat", Tech: "none", Surveyor: "Dedi", Source: siaga.SurveyImport, At: at("2024-02-08 14:00")},
		{TPS: "3602012003014", Operator: "smartfren", Tech: "4g", RSRP: ptr(-121.0), Lat: -6.6501, Lon: 106.2002,
			Surveyor: "Siti, PPS Kanekes", Source: siaga.SurveyImport, At: at("2024-02-09 00:00")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("ReadSurveysCSV (-want +got):\n%s", diff)
	}
}

func TestReadSurveysCSVRefuses(t *testing.T) {
	const header = "tps,operator,tech,rsrp,rssi,data_ok,down_kbps,up_kbps,rtt_ms,lat,lon,surveyor,at\n"
	const ok = "3604012005001,telkomsel,4g,-101,,,,,,-5.9,106.05,Asep,2024-02-08 10:15\n"
	for _, tc := range []struct {
		name, csv, id, en string
	}{
		{"empty", "", "berkas kosong", "empty file"},
		{"unknown column", strings.Replace(header, "rsrp", "rscp", 1) + ok, "baris 1, kolom \"rscp\" tidak dikenal", "row 1, unknown column \"rscp\""},
		{"missing column", strings.Replace(header, ",at\n", "\n", 1), "baris 1: kolom at tidak ada", "row 1: column at is missing"},
		{"duplicate column", strings.Replace(header, "rssi", "rsrp", 1), "kolom rsrp muncul dua kali", "column rsrp appears twice"},
		{"RSRP of +20 dBm", header + ok + strings.Replace(ok, "-101", "20", 1), "baris 3, kolom rsrp: 20 dBm mustahil", "row 3, column rsrp: 20 dBm is impossible"},
		{"RSSI of 5 dBm", header + strings.Replace(ok, "4g,-101,", "3g,,5", 1), "baris 2, kolom rssi", "row 2, column rssi: 5 dBm is impossible"},
		{"not a number", header + strings.Replace(ok, "-101", "-101,5", 1), "baris 2: CSV rusak", "row 2: malformed CSV"},
		{"comma decimal quoted", header + strings.Replace(ok, "-101", "\"-101,5\"", 1), "baris 2, kolom rsrp: \"-101,5\" bukan angka", "row 2, column rsrp: \"-101,5\" is not a number"},
		{"outside Indonesia", header + strings.Replace(ok, "-5.9,106.05", "48.85,2.35", 1), "baris 2, kolom lat", "row 2, column lat: point 48.85000, 2.35000 is outside Indonesia"},
		{"point 0,0", header + strings.Replace(ok, "-5.9,106.05", "0,0", 1), "baris 2, kolom lat", "row 2, column lat: point 0, 0 is outside Indonesia"},
		{"half a point", header + strings.Replace(ok, "-5.9,106.05", "-5.9,", 1), "baris 2, kolom lon", "row 2, column lon"},
		{"unknown TPS", header + strings.Replace(ok, "3604012005001", "3604012005099", 1), "baris 2, kolom tps", "row 2, column tps: no TPS \"3604012005099\" in the registry"},
		{"in the future", header + strings.Replace(ok, "2024-02-08", "2024-03-01", 1), "baris 2, kolom at", "row 2, column at: 2024-03-01T10:15:00+07:00 is in the future"},
		{"not a time", header + strings.Replace(ok, "2024-02-08 10:15", "kemarin", 1), "baris 2, kolom at", "row 2, column at: \"kemarin\" is not a time"},
		{"data_ok not yes or no", header + strings.Replace(ok, "-101,,,", "-101,,mungkin,", 1), "baris 2, kolom data_ok", "row 2, column data_ok"},
		{"unknown operator", header + strings.Replace(ok, "telkomsel", "esia", 1), "baris 2, kolom operator", "row 2, column operator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := connectivity.ReadSurveysCSV(strings.NewReader(tc.csv), connectivity.New(connectivity.Config{Registry: testRegistry()}), t0)
			var e *siaga.Error
			if !errors.As(err, &e) || e.Code != siaga.EInvalid {
				t.Fatalf("ReadSurveysCSV = %d surveys, %v; want an invalid error", len(got), err)
			}
			if got != nil {
				t.Errorf("%d surveys returned with the error, want none", len(got))
			}
			if !strings.Contains(e.Message, tc.id) || !strings.Contains(e.MessageEN, tc.en) {
				t.Errorf("error\n  %s\n  %s\nwant it to say %q and %q", e.Message, e.MessageEN, tc.id, tc.en)
			}
		})
	}
}

// FuzzReadSurveysCSV: whatever the file, the reader returns surveys that
// pass CheckSurvey, or an error in both languages; it never panics.
func FuzzReadSurveysCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/surveys.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("tps,operator,tech,rsrp,rssi,data_ok,down_kbps,up_kbps,rtt_ms,lat,lon,surveyor,at\n3604012005001,xl,2g,,-90,1,1e3,NaN,,-5.9,106.05,a,2024-02-08\n")
	f.Add("\ufefftps,at\n\"")
	tps := connectivity.New(connectivity.Config{Registry: testRegistry()})
	f.Fuzz(func(t *testing.T, in string) {
		ss, err := connectivity.ReadSurveysCSV(strings.NewReader(in), tps, t0)
		if err != nil {
			var e *siaga.Error
			if errors.As(err, &e) && (e.Message == "" || e.MessageEN == "") {
				t.Fatalf("error without both languages: %#v", e)
			}
			return
		}
		for i := range ss {
			if e := connectivity.CheckSurvey(&ss[i], tps, t0); e != nil {
				t.Fatalf("survey %d accepted but fails CheckSurvey: %v", i, e)
			}
		}
	})
}
