package election_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/google/go-cmp/cmp"
)

func fixture(tb testing.TB) *siaga.Election {
	tb.Helper()
	f, err := os.Open("testdata/minimal.json")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	e, err := election.Parse(f)
	if err != nil {
		tb.Fatalf("parse fixture: %v", err)
	}
	return e
}

// field returns the Field of the *siaga.Error in err, failing on any other
// error.
func field(tb testing.TB, err error) string {
	tb.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v is not a *siaga.Error", err)
	}
	if e.Code != siaga.EInvalid || e.Message == "" || e.MessageEN == "" {
		tb.Errorf("error %+v: want code invalid and both messages", e)
	}
	return e.Field
}

func TestParseFixture(t *testing.T) {
	e := fixture(t)
	want := siaga.Dapil{Contest: siaga.DPD, Name: "BANTEN", Seats: 4, Regions: []string{"36"}, Synthetic: true,
		Candidates: []siaga.Candidate{{ID: "D01", Number: 1, Name: "Ujang Suryadi"}, {ID: "D02", Number: 2, Name: "Neneng Marlina"}}}
	if d := cmp.Diff(want, e.Dapil[2]); d != "" {
		t.Errorf("DPD dapil (-want +got):\n%s", d)
	}
	if d := cmp.Diff(siaga.Ticket{Number: "02", SirekapID: "100026", President: "Prabowo Subianto", Vice: "Gibran Rakabuming Raka"}, e.Tickets[1]); d != "" {
		t.Errorf("ticket 02 (-want +got):\n%s", d)
	}
}

func TestParseRefusesBadJSON(t *testing.T) {
	tests := []struct {
		name, in, field string
	}{
		{"unknown field", `{"id":"x","colour":"red"}`, "colour"},
		{"unknown nested field", `{"tickets":[{"number":"01","photo":"a.jpg"}]}`, "photo"},
		{"wrong type", `{"parties":[{"number":"satu"}]}`, "parties.number"},
		{"syntax", `{"id":`, ""},
		{"empty", ``, ""},
		{"two objects", `{"id":"a"} {"id":"b"}`, ""},
		{"not an object", `[1,2]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := election.Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("Parse accepted it")
			}
			if got := field(t, err); got != tt.field {
				t.Errorf("field %q, want %q (error %v)", got, tt.field, err)
			}
		})
	}
}

func TestParseRefusesTrailingDataAfterValidDefinition(t *testing.T) {
	var b bytes.Buffer
	if err := election.Write(&b, fixture(t)); err != nil {
		t.Fatal(err)
	}
	b.WriteString("{}")
	if _, err := election.Parse(&b); err == nil {
		t.Error("Parse accepted trailing data")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(e *siaga.Election)
		field  string
	}{
		{"valid", func(e *siaga.Election) {}, ""},
		{"no id", func(e *siaga.Election) { e.ID = " " }, "id"},
		{"no name", func(e *siaga.Election) { e.Name = "" }, "name"},
		{"date format", func(e *siaga.Election) { e.Date = "14-02-2024" }, "date"},
		{"province", func(e *siaga.Election) { e.Province = "036" }, "province"},
		{"ticket number", func(e *siaga.Election) { e.Tickets[0].Number = "1" }, "tickets[0].number"},
		{"ticket twice", func(e *siaga.Election) { e.Tickets[1].Number = "01" }, "tickets[1].number"},
		{"sirekap id twice", func(e *siaga.Election) { e.Tickets[1].SirekapID = "100025" }, "tickets[1].sirekap_id"},
		{"sirekap id not digits", func(e *siaga.Election) { e.Tickets[0].SirekapID = "abc" }, "tickets[0].sirekap_id"},
		{"no president", func(e *siaga.Election) { e.Tickets[0].President = "" }, "tickets[0].president"},
		{"no vice", func(e *siaga.Election) { e.Tickets[1].Vice = "" }, "tickets[1].vice_president"},
		{"party zero", func(e *siaga.Election) { e.Parties[0].Number = 0 }, "parties[0].number"},
		{"party twice", func(e *siaga.Election) { e.Parties[1].Number = 1 }, "parties[1].number"},
		{"party short twice", func(e *siaga.Election) { e.Parties[1].Short = "PKB" }, "parties[1].short"},
		{"party no name", func(e *siaga.Election) { e.Parties[1].Name = "" }, "parties[1].name"},
		{"party colour not hex", func(e *siaga.Election) { e.Parties[0].Color = "red" }, "parties[0].color"},
		{"party colour twice", func(e *siaga.Election) { e.Parties[0].Color, e.Parties[1].Color = "#E2231A", "#e2231a" }, "parties[1].color"},
		{"threshold on DPD", func(e *siaga.Election) { e.SeatThresholds = map[siaga.Contest]float64{siaga.DPD: 0.04} }, "seat_thresholds.dpd"},
		{"threshold as percent", func(e *siaga.Election) { e.SeatThresholds = map[siaga.Contest]float64{siaga.DPR: 4} }, "seat_thresholds.dpr"},
		{"ppwp dapil", func(e *siaga.Election) { e.Dapil[0].Contest = siaga.PPWP }, "dapil[0].contest"},
		{"unknown contest", func(e *siaga.Election) { e.Dapil[1].Contest = "dprd" }, "dapil[1].contest"},
		{"dapil no name", func(e *siaga.Election) { e.Dapil[0].Name = "" }, "dapil[0].name"},
		{"dapil name twice", func(e *siaga.Election) { e.Dapil[1].Name = "BANTEN I" }, "dapil[1].name"},
		{"dpr seats above 10", func(e *siaga.Election) { e.Dapil[0].Seats = 11 }, "dapil[0].seats"},
		{"dpd seats not 4", func(e *siaga.Election) { e.Dapil[2].Seats = 5 }, "dapil[2].seats"},
		{"no regions", func(e *siaga.Election) { e.Dapil[1].Regions = nil }, "dapil[1].regions"},
		{"region outside province", func(e *siaga.Election) { e.Dapil[1].Regions = []string{"3201"} }, "dapil[1].regions[0]"},
		{"region is a TPS", func(e *siaga.Election) { e.Dapil[1].Regions = []string{"3604012001001"} }, "dapil[1].regions[0]"},
		{"region not digits", func(e *siaga.Election) { e.Dapil[1].Regions = []string{"36.04"} }, "dapil[1].regions[0]"},
		{"same region twice", func(e *siaga.Election) { e.Dapil[1].Regions = []string{"3604", "3602"} }, "dapil[1].regions[1]"},
		{"region inside another dapil", func(e *siaga.Election) { e.Dapil[1].Regions = []string{"3604", "360201"} }, "dapil[1].regions[1]"},
		{"region around another dapil", func(e *siaga.Election) { e.Dapil[0].Regions = []string{"360401"} }, "dapil[0].regions[0]"},
		{"candidate party unknown", func(e *siaga.Election) { e.Dapil[0].Candidates[2].Party = 2 }, "dapil[0].candidates[2].party"},
		{"candidate number above seats", func(e *siaga.Election) {
			e.Dapil[0].Candidates[1].Number, e.Dapil[0].Candidates[1].ID = 4, "01-4"
		}, "dapil[0].candidates[1].number"},
		{"candidate id", func(e *siaga.Election) { e.Dapil[0].Candidates[0].ID = "1-1" }, "dapil[0].candidates[0].id"},
		{"candidate twice", func(e *siaga.Election) { e.Dapil[0].Candidates[1] = e.Dapil[0].Candidates[0] }, "dapil[0].candidates[1].id"},
		{"candidate no name", func(e *siaga.Election) { e.Dapil[1].Candidates[0].Name = "" }, "dapil[1].candidates[0].name"},
		{"dpd candidate with party", func(e *siaga.Election) { e.Dapil[2].Candidates[1].Party = 1 }, "dapil[2].candidates[1].party"},
		{"dpd candidate id", func(e *siaga.Election) { e.Dapil[2].Candidates[0].ID = "D1" }, "dapil[2].candidates[0].id"},
		{"dpd candidate number", func(e *siaga.Election) { e.Dapil[2].Candidates[0].Number = 0 }, "dapil[2].candidates[0].number"},
		{"empty synthetic note", func(e *siaga.Election) { e.Synthetic = append(e.Synthetic, "") }, "synthetic[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fixture(t)
			tt.break_(e)
			err := election.Validate(e)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted it, want an error on %s", tt.field)
			}
			if got := field(t, err); got != tt.field {
				t.Errorf("field %q, want %q (error %v)", got, tt.field, err)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		if err := election.Validate(nil); err == nil {
			t.Error("Validate(nil) = nil")
		}
	})
}

func TestWriteRoundTrips(t *testing.T) {
	tests := []struct {
		name string
		e    *siaga.Election
	}{
		{"fixture", fixture(t)},
		{"banten", election.Banten2024(bantenRegistry(t), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := election.Write(&b, tt.e); err != nil {
				t.Fatal(err)
			}
			got, err := election.Parse(&b)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.e, got); d != "" {
				t.Errorf("Parse(Write(e)) differs (-want +got):\n%s", d)
			}
		})
	}
}

func TestWriteRefusesInvalid(t *testing.T) {
	e := fixture(t)
	e.Date = ""
	var b bytes.Buffer
	if err := election.Write(&b, e); err == nil || b.Len() != 0 {
		t.Errorf("Write = %v and %d bytes, want an error and nothing written", err, b.Len())
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"x","name":"y","date":"2024-02-14","province":"36","dapil":[{"contest":"dpd","name":"B","seats":4,"regions":["36"],"candidates":[]}]}`))
	f.Add([]byte(`{"dapil":[{"contest":"dpr","regions":["3601","360101"]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := election.Parse(bytes.NewReader(in))
		if err != nil {
			var se *siaga.Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *siaga.Error", err)
			}
			return
		}
		var b bytes.Buffer
		if err := election.Write(&b, e); err != nil {
			t.Fatalf("Write of a parsed election: %v", err)
		}
		again, err := election.Parse(&b)
		if err != nil {
			t.Fatalf("Parse(Write(e)): %v", err)
		}
		if d := cmp.Diff(e, again); d != "" {
			t.Errorf("round trip differs:\n%s", d)
		}
	})
}
