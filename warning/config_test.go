package warning

import (
	"os"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	file, err := os.ReadFile("testdata/warning.json")
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.Rules[siaga.IncidentViolence] = Rule{N: 2, RadiusKm: 1, Hours: 3}
	want.Rules[siaga.IncidentMoneyPolitic] = Rule{N: 8, RadiusKm: 4, Hours: 24}
	want.Baseline = Baseline{Days: 21, Lambda: 0.2, K: 3, MinCount: 3}
	want.Alpha = 0.0005
	tests := []struct {
		name string
		in   string
		want *Config // nil: an error
	}{
		{"testdata", string(file), &want},
		{"empty object keeps the defaults", `{}`, func() *Config { c := DefaultConfig(); return &c }()},
		{"unknown category", `{"rules":{"banjir":{"n":3,"radius_km":1,"hours":1}}}`, nil},
		{"n below 2", `{"rules":{"kekerasan":{"n":1,"radius_km":1,"hours":1}}}`, nil},
		{"radius zero", `{"rules":{"kekerasan":{"n":3,"radius_km":0,"hours":1}}}`, nil},
		{"lambda above 1", `{"baseline":{"days":28,"lambda":2,"k":3,"min_count":3}}`, nil},
		{"alpha negative", `{"alpha":-1}`, nil},
		{"unknown field", `{"radius":3}`, nil},
		{"not JSON", `rules: 3`, nil},
		{"wrong type", `{"alpha":"kecil"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig([]byte(tt.in))
			if tt.want == nil {
				if err == nil || siaga.ErrorCode(err) != siaga.EInvalid {
					t.Fatalf("err = %v, want %s", err, siaga.EInvalid)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseConfig: any input gives a checked config or an EInvalid error,
// and a config it accepts scans without panicking.
func FuzzParseConfig(f *testing.F) {
	if b, err := os.ReadFile("testdata/warning.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"alpha":1e-300,"lookback_hours":1e-300}`))
	f.Add([]byte(`{"rules":{"hoaks":{"n":1000,"radius_km":100,"hours":168}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err != nil {
			if siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("error %v is not %s", err, siaga.EInvalid)
			}
			return
		}
		if err := c.Check(); err != nil {
			t.Fatalf("accepted a config its check refuses: %v", err)
		}
		in := NewInput(c, explainNow)
		for i := range explainIncidents {
			in.Add(&explainIncidents[i])
		}
		Scan(in)
	})
}
