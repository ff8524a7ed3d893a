package sms

import (
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// The LAPOR grammar reports trouble by SMS (docs/security-incidents.md):
//
//	LAPOR <TPS code, 13 digits | desa code, 10 digits> <kategori> [! | !!] <text…> [K<code>]
//
// The kategori is a code of siaga.IncidentCategories or one of
// incidentAliases; "!" marks the report tinggi (high), "!!" kritis, none
// sedang. K<code> is the device's SMS code over the canonical text, as for
// counts: with it the report is the device's (ChannelSMS); without a code
// that a device of the TPS made, it is a public report (ChannelPublicSMS).

// LaporKeyword starts every incident report.
const LaporKeyword = "LAPOR"

// maxLaporText bounds an incident's text by SMS: ten SMS, as for counts.
const maxLaporText = maxText

// incidentAliases are the short words people type for a category; the
// categories' own codes (any case) are read too.
var incidentAliases = map[string]siaga.IncidentCategory{
	"KERAS": siaga.IncidentViolence, "BENTROK": siaga.IncidentViolence, "RUSUH": siaga.IncidentViolence,
	"ANCAM": siaga.IncidentIntimidation, "INTIMIDASI": siaga.IncidentIntimidation,
	"UANG": siaga.IncidentMoneyPolitic, "POLITIKUANG": siaga.IncidentMoneyPolitic, "SERANGANFAJAR": siaga.IncidentMoneyPolitic,
	"LOGISTIK": siaga.IncidentLogistics,
	"BANJIR":   siaga.IncidentDisaster, "BENCANA": siaga.IncidentDisaster,
	"SINYAL": siaga.IncidentNetwork, "LISTRIK": siaga.IncidentNetwork, "JARINGAN": siaga.IncidentNetwork,
	"HOAX": siaga.IncidentHoax, "HOAKS": siaga.IncidentHoax,
	"NETRAL": siaga.IncidentNeutrality, "ASN": siaga.IncidentNeutrality,
	"PROSEDUR": siaga.IncidentProcedure,
	"LAIN":     siaga.IncidentOther,
}

// Lapor is an incident report read from an SMS. Text is as typed (white
// space collapsed); the canonical text, which the code covers, is upper
// case so that a phone's auto-capitalisation does not break the code.
type Lapor struct {
	TPS      string // the TPS code, or "" when the report names a desa
	Region   string // the desa: the named one, or the TPS's
	Category siaga.IncidentCategory
	Severity siaga.Severity
	Text     string
	Code     string // canonical Crockford base32; "" when none was given
	// Plain is the text with what looked like a code kept as its last
	// word: a public sender's "…kebakaran" reads like K + 8 letters, and
	// when no device made that code the word is part of the report.
	Plain string
}

// IsLapor says whether text is an incident report rather than a count.
func IsLapor(text string) bool {
	f := strings.Fields(text)
	return len(f) > 0 && strings.EqualFold(f[0], LaporKeyword)
}

// ParseLapor reads an incident report. Errors are EInvalid on the field
// that could not be read (place, category, text), naming the bad token.
func ParseLapor(text string) (*Lapor, error) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "?")
	}
	tokens := strings.Fields(text)
	if len(tokens) == 0 || !strings.EqualFold(tokens[0], LaporKeyword) {
		return nil, errUnreadable("", "SMS tidak diawali LAPOR", "the SMS does not start with LAPOR")
	}
	tokens = tokens[1:]
	if len(tokens) == 0 {
		return nil, errUnreadable("place", "Kode TPS (13 angka) atau desa (10 angka) tidak ada", "TPS (13 digits) or desa (10 digits) code missing")
	}
	l := &Lapor{}
	place, ok := digits(strings.NewReplacer(".", "", "-", "").Replace(strings.ToUpper(tokens[0])))
	switch {
	case ok && len(place) == 13:
		l.TPS, l.Region = place, place[:10]
	case ok && len(place) == 10:
		l.Region = place
	default:
		return nil, errUnreadable("place", "Kode TPS (13 angka) atau desa (10 angka) salah: %q", "TPS (13 digits) or desa (10 digits) code wrong: %q", short(tokens[0]))
	}
	if len(tokens) < 2 {
		return nil, errUnreadable("category", "Kategori tidak ada", "category missing")
	}
	c, ok := incidentCategoryOf(tokens[1])
	if !ok {
		return nil, errUnreadable("category", "Kategori %q tidak dikenal", "unknown category %q", short(tokens[1]))
	}
	l.Category, l.Severity = c, siaga.SeverityMedium
	tokens = tokens[2:]
	if len(tokens) > 0 {
		switch tokens[0] {
		case "!":
			l.Severity, tokens = siaga.SeverityHigh, tokens[1:]
		case "!!":
			l.Severity, tokens = siaga.SeverityCritical, tokens[1:]
		}
	}
	l.Plain = strings.Join(tokens, " ")
	if code, rest, ok := laporCode(tokens); ok {
		l.Code, tokens = code, rest
	}
	l.Text = strings.Join(tokens, " ")
	if l.Text == "" {
		return nil, errUnreadable("text", "Isi laporan kosong: tulis apa yang terjadi", "the report is empty: write what happened")
	}
	if len(l.Plain) > maxLaporText {
		return nil, errUnreadable("text", "Isi laporan terlalu panjang (paling banyak %d huruf)", "the report is too long (at most %d characters)", maxLaporText)
	}
	return l, nil
}

// laporCode takes a code from the end, K and the code in one token or
// two, when it reads as one.
func laporCode(tokens []string) (code string, rest []string, ok bool) {
	n := len(tokens)
	if n >= 3 && strings.EqualFold(tokens[n-2], "K") {
		if code, ok := codeOf(tokens[n-1]); ok {
			return code, tokens[:n-2], true
		}
	}
	if n >= 2 && len(tokens[n-1]) == CodeLen+1 && (tokens[n-1][0] == 'K' || tokens[n-1][0] == 'k') {
		if code, ok := codeOf(tokens[n-1][1:]); ok {
			return code, tokens[:n-1], true
		}
	}
	return "", tokens, false
}

func codeOf(raw string) (string, bool) {
	code := crockford(raw)
	return code, len(code) == CodeLen && isCrockford(code)
}

func incidentCategoryOf(token string) (siaga.IncidentCategory, bool) {
	t := strings.ToUpper(token)
	if c := siaga.IncidentCategory(strings.ToLower(t)); c.Valid() {
		return c, true
	}
	c, ok := incidentAliases[strings.NewReplacer("_", "", "-", "").Replace(t)]
	return c, ok
}

// Canonical is the text the code covers: keyword, place, category code,
// severity mark and the text, upper case, single spaces. It starts with
// LAPOR, so no count's canonical text (SGA …) is ever one.
func (l *Lapor) Canonical() string { return l.canonical(l.Text) }

// PublicCanonical is the canonical text of the report read as a public
// one: what looked like a code is part of the text.
func (l *Lapor) PublicCanonical() string { return l.canonical(l.Plain) }

func (l *Lapor) canonical(text string) string {
	var b strings.Builder
	b.WriteString(LaporKeyword + " ")
	if l.TPS != "" {
		b.WriteString(l.TPS)
	} else {
		b.WriteString(l.Region)
	}
	b.WriteString(" " + strings.ToUpper(string(l.Category)))
	switch l.Severity {
	case siaga.SeverityHigh:
		b.WriteString(" !")
	case siaga.SeverityCritical:
		b.WriteString(" !!")
	}
	b.WriteString(" " + strings.ToUpper(text))
	return b.String()
}

// short keeps a bad token short enough for the reply to name it.
func short(t string) string {
	if utf8.RuneCountInString(t) <= 20 {
		return t
	}
	return string([]rune(t)[:20]) + ".."
}
