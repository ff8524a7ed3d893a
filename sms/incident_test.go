package sms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func TestParseLapor(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       *Lapor
		field      string // of the error, when it fails
	}{
		{"TPS, alias, code", "LAPOR 3601012001001 UANG amplop dibagikan di depan TPS K7Q2MX4AB",
			&Lapor{TPS: "3601012001001", Region: "3601012001", Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityMedium,
				Text: "amplop dibagikan di depan TPS", Code: "7Q2MX4AB", Plain: "amplop dibagikan di depan TPS K7Q2MX4AB"}, ""},
		{"lenient: case, dots, code in two tokens, O for 0", "lapor 36.01.01.2001.OO1 kekerasan !! dua kelompok bentrok k 7q2mx4ab",
			&Lapor{TPS: "3601012001001", Region: "3601012001", Category: siaga.IncidentViolence, Severity: siaga.SeverityCritical,
				Text: "dua kelompok bentrok", Code: "7Q2MX4AB", Plain: "dua kelompok bentrok k 7q2mx4ab"}, ""},
		{"desa, code of a category, high, no code", "LAPOR 3601012001 hoaks ! pesan berantai surat suara sudah dicoblos",
			&Lapor{Region: "3601012001", Category: siaga.IncidentHoax, Severity: siaga.SeverityHigh,
				Text: "pesan berantai surat suara sudah dicoblos", Plain: "pesan berantai surat suara sudah dicoblos"}, ""},
		{"a word that reads like a code", "LAPOR 3601012001 BENCANA rumah warga kebakaran",
			&Lapor{Region: "3601012001", Category: siaga.IncidentDisaster, Severity: siaga.SeverityMedium,
				Text: "rumah warga", Code: "EBAKARAN", Plain: "rumah warga kebakaran"}, ""},
		{"alias with underscore", "LAPOR 3601012001001 politik_uang ada",
			&Lapor{TPS: "3601012001001", Region: "3601012001", Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityMedium, Text: "ada", Plain: "ada"}, ""},
		{"script is text", "LAPOR 3601012001001 HOAX <script>alert(1)</script>",
			&Lapor{TPS: "3601012001001", Region: "3601012001", Category: siaga.IncidentHoax, Severity: siaga.SeverityMedium,
				Text: "<script>alert(1)</script>", Plain: "<script>alert(1)</script>"}, ""},
		{"no place", "LAPOR", nil, "place"},
		{"short place", "LAPOR 36010120 UANG amplop", nil, "place"},
		{"letters for place", "LAPOR TPS5 UANG amplop", nil, "place"},
		{"unknown category", "LAPOR 3601012001001 PENCURIAN motor hilang", nil, "category"},
		{"no category", "LAPOR 3601012001001", nil, "category"},
		{"no text", "LAPOR 3601012001001 UANG !", nil, "text"},
		{"only a code", "LAPOR 3601012001001 UANG K 7Q2MX4AB", &Lapor{TPS: "3601012001001", Region: "3601012001",
			Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityMedium, Text: "K 7Q2MX4AB", Plain: "K 7Q2MX4AB"}, ""},
		{"too long", "LAPOR 3601012001001 UANG " + strings.Repeat("a ", maxLaporText), nil, "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLapor(tc.text)
			if tc.field != "" {
				e, ok := err.(*siaga.Error)
				if !ok || e.Code != siaga.EInvalid || e.Field != tc.field {
					t.Fatalf("ParseLapor(%q) = %+v, %v; want EInvalid on %s", tc.text, got, err, tc.field)
				}
				if r := laporHelpReply(e); len(r) > MaxLen || !strings.Contains(r, "tidak terbaca") {
					t.Errorf("help reply %q", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLaporCanonical: the code covers the category's code and the severity
// whatever was typed, and never a count's text.
func TestLaporCanonical(t *testing.T) {
	a, _ := ParseLapor("lapor 3601012001001 uang ! Amplop  di TPS K7Q2MX4AB")
	b, _ := ParseLapor("LAPOR 3601012001001 POLITIK_UANG ! amplop di tps")
	if a.Canonical() != b.Canonical() || a.Canonical() != "LAPOR 3601012001001 POLITIK_UANG ! AMPLOP DI TPS" {
		t.Errorf("canonical %q and %q", a.Canonical(), b.Canonical())
	}
	c, _ := ParseLapor("LAPOR 3601012001001 POLITIK_UANG !! amplop di tps")
	if c.Canonical() == b.Canonical() {
		t.Error("severity not covered by the code")
	}
	if a.PublicCanonical() != "LAPOR 3601012001001 POLITIK_UANG ! AMPLOP DI TPS K7Q2MX4AB" {
		t.Errorf("public canonical %q", a.PublicCanonical())
	}
}

func TestLaporReplies(t *testing.T) {
	for _, r := range []string{
		laporReply(&siaga.Incident{ID: 1234567, Channel: siaga.ChannelSMS, Category: siaga.IncidentMoneyPolitic, Severity: siaga.SeverityCritical, TPS: "3601012001001", Status: siaga.IncidentNew}),
		laporReply(&siaga.Incident{ID: 1234567, Channel: siaga.ChannelPublicSMS}),
		laporLimitReply, laporOffReply,
		laporRefusedReply(siaga.Errorf(siaga.EInvalid, "region", "Wilayah %s tidak dikenal", "unknown region %s", "3601012001")),
	} {
		if len(r) > MaxLen || fit(r) != r {
			t.Errorf("reply %q is not one plain SMS", r)
		}
		if !strings.Contains(r, "/") {
			t.Errorf("reply %q is not in both languages", r)
		}
	}
}

func TestLaporTitle(t *testing.T) {
	long := strings.Repeat("kata ", 30)
	if got := title(long); len([]rune(got)) > laporTitle+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("title %q", got)
	}
	if got := title("pendek"); got != "pendek" {
		t.Errorf("title %q", got)
	}
}

// FuzzParseLapor: no input makes the reader panic, errors are EInvalid on
// a field, the help reply fits one SMS, and the canonical text of what it
// reads reads back the same.
func FuzzParseLapor(f *testing.F) {
	for _, seed := range []string{
		"LAPOR 3601012001001 UANG amplop K7Q2MX4AB",
		"lapor 36.01.01.2001 hoax ! pesan berantai k 7q2mx4ab",
		"LAPOR 3601012001001 kekerasan !! <script>alert(1)</script>",
		"LAPOR",
		"LAPOR 3601012001001 UANG K",
		"LAPOR \x00\xff 3601012001001 ÄÖ ß",
		"LAPOR 3601012001 LAIN ! ! !! K K K",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseLapor(text)
		if err != nil {
			e, ok := err.(*siaga.Error)
			if !ok || e.Code != siaga.EInvalid || (IsLapor(text) && e.Field == "") {
				t.Fatalf("ParseLapor(%q) error %v is not an EInvalid *siaga.Error on a field", text, err)
			}
			if r := laporHelpReply(e); len(r) > MaxLen {
				t.Fatalf("help reply %q longer than one SMS", r)
			}
			return
		}
		if !l.Category.Valid() || !l.Severity.Valid() || l.Text == "" {
			t.Fatalf("ParseLapor(%q) = %+v", text, l)
		}
		again, err := ParseLapor(l.Canonical() + " K" + strings.Repeat("0", CodeLen))
		if err != nil {
			t.Fatalf("canonical %q of %q does not read back: %v", l.Canonical(), text, err)
		}
		if again.Canonical() != l.Canonical() {
			t.Fatalf("canonical %q reads back as %q", l.Canonical(), again.Canonical())
		}
	})
}
