// Package sms takes count forms by SMS, the fallback where a TPS has voice
// signal but no data: a compact grammar read leniently, an authentication
// code derived from the device's enrolment secret, reassembly of
// multi-part reports in any order, dedup by content, replies in Bahasa
// Indonesia and a log of every message. docs/sms.md documents the grammar.
package sms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// MaxLen is the length of one SMS in GSM-7 characters. The grammar uses
// only characters of GSM-7's basic set, one septet each.
const MaxLen = 160

// MaxParts bounds a multi-part report: the longest legislative form fits
// in far fewer.
const MaxParts = 20

// Message is one SMS read into its parts. Body tokens are canonical:
// numbers in plain decimal, tags upper case.
type Message struct {
	TPS      string
	Contest  siaga.Contest
	Replaces int // R<n>: a correction of version n
	Part     int // 1-based; 0 for a report in one SMS
	Parts    int
	ID       string // the sender's id for the parts of one report
	Body     []string
	Code     string // the authentication code, canonical Crockford base32
}

// contestTokens maps what an officer may type to a contest; the first
// spelling of each contest is the canonical one.
var contestTokens = []struct {
	token   string
	contest siaga.Contest
}{
	{"P", siaga.PPWP}, {"PPWP", siaga.PPWP}, {"PILPRES", siaga.PPWP},
	{"DPR", siaga.DPR}, {"RI", siaga.DPR},
	{"DPD", siaga.DPD},
	{"PROV", siaga.DPRDProv}, {"DPRDPROV", siaga.DPRDProv}, {"DPRDP", siaga.DPRDProv}, {"DPRD1", siaga.DPRDProv},
	{"KAB", siaga.DPRDKab}, {"KOTA", siaga.DPRDKab}, {"DPRDKAB", siaga.DPRDKab}, {"DPRDKOTA", siaga.DPRDKab}, {"DPRDK", siaga.DPRDKab}, {"DPRD2", siaga.DPRDKab},
}

func contestOf(token string) (siaga.Contest, bool) {
	for _, c := range contestTokens {
		if c.token == token {
			return c.contest, true
		}
	}
	return "", false
}

// ContestToken is the canonical token of a contest.
func ContestToken(c siaga.Contest) string {
	for _, t := range contestTokens {
		if t.contest == c {
			return t.token
		}
	}
	return ""
}

// errUnreadable is the error of a text that is not in the grammar at all:
// it gets the help reply rather than an exact error.
func errUnreadable(field, id, en string, args ...any) *siaga.Error {
	return siaga.Errorf(siaga.EInvalid, field, id, en, args...)
}

// Parse reads the envelope of an SMS: keyword, TPS, contest, optional
// correction and part markers, the body tokens and the authentication
// code. It reads leniently (case, extra spaces and separators, O for 0 and
// I or l for 1 in numbers) and checks no count: that needs the ballot (see
// Read) and comes only after the code is verified.
func Parse(text string) (*Message, error) {
	tokens := tokenize(text)
	if len(tokens) == 0 || (tokens[0] != "SGA" && tokens[0] != "SIAGA") {
		return nil, errUnreadable("", "SMS tidak diawali SGA", "the SMS does not start with SGA")
	}
	tokens = tokens[1:]
	if len(tokens) < 2 {
		return nil, errUnreadable("tps", "Kode TPS dan jenis pemilihan tidak ada", "TPS code and contest missing")
	}
	m := &Message{}
	m.TPS = strings.NewReplacer(".", "", "-", "").Replace(tokens[0])
	if d, ok := digits(m.TPS); ok && len(d) == 13 {
		m.TPS = d
	} else {
		return nil, errUnreadable("tps", "Kode TPS harus 13 angka, terbaca %q", "TPS code must be 13 digits, read %q", tokens[0])
	}
	c, ok := contestOf(tokens[1])
	if !ok {
		return nil, errUnreadable("contest", "Jenis pemilihan %q tidak dikenal (P, DPR, DPD, PROV, KAB)",
			"unknown contest %q (P, DPR, DPD, PROV, KAB)", tokens[1])
	}
	m.Contest = c
	tokens = tokens[2:]
	code, rest, err := splitCode(tokens)
	if err != nil {
		return nil, err
	}
	m.Code = code
	rest, err = m.readMarkers(rest)
	if err != nil {
		return nil, err
	}
	m.Body = make([]string, len(rest))
	for i, t := range rest {
		m.Body[i] = canonicalToken(t)
	}
	return m, nil
}

// readMarkers takes the optional correction (R<n>) and part (i/n/ID)
// markers that may precede the body, in either order.
func (m *Message) readMarkers(tokens []string) ([]string, error) {
	for len(tokens) > 0 {
		t := tokens[0]
		switch {
		case strings.Count(t, "/") == 2 && m.Parts == 0:
			if err := m.readPart(t); err != nil {
				return nil, err
			}
		case len(t) > 1 && t[0] == 'R' && m.Replaces == 0:
			n, ok := number(t[1:])
			if !ok || n < 1 {
				return nil, siaga.Errorf(siaga.EInvalid, "replaces", "Nomor versi koreksi %q tidak terbaca", "correction version %q unreadable", t)
			}
			m.Replaces = n
		default:
			return tokens, nil
		}
		tokens = tokens[1:]
	}
	return tokens, nil
}

func (m *Message) readPart(t string) error {
	f := strings.Split(t, "/")
	i, ok1 := number(f[0])
	n, ok2 := number(f[1])
	id := crockford(f[2])
	if !ok1 || !ok2 || i < 1 || i > n || n > MaxParts || len(id) < 1 || len(id) > 4 || !isCrockford(id) {
		return siaga.Errorf(siaga.EInvalid, "part",
			"Penanda bagian %q harus ke/jumlah/ID, misalnya 1/3/7Q", "part marker %q must be index/total/ID, e.g. 1/3/7Q", t)
	}
	if n == 1 {
		return siaga.Errorf(siaga.EInvalid, "part", "Laporan satu SMS tidak memakai penanda bagian", "a one-SMS report has no part marker")
	}
	m.Part, m.Parts, m.ID = i, n, id
	return nil
}

// splitCode takes the authentication code from the end: K followed by the
// code, in one token or two.
func splitCode(tokens []string) (code string, rest []string, err error) {
	n := len(tokens)
	var raw string
	switch {
	case n >= 2 && tokens[n-2] == "K":
		raw, rest = tokens[n-1], tokens[:n-2]
	case n >= 1 && len(tokens[n-1]) > 1 && tokens[n-1][0] == 'K':
		raw, rest = tokens[n-1][1:], tokens[:n-1]
	default:
		return "", nil, errUnreadable("code", "Kode autentikasi (K diikuti %d huruf/angka) tidak ada di akhir SMS",
			"authentication code (K and %d characters) missing at the end", CodeLen)
	}
	code = crockford(raw)
	if len(code) != CodeLen || !isCrockford(code) {
		return "", nil, errUnreadable("code", "Kode autentikasi harus %d huruf/angka, terbaca %q",
			"authentication code must be %d characters, read %q", CodeLen, raw)
	}
	return code, rest, nil
}

// Canonical is the normalised text that the authentication code covers:
// the message as the grammar reads it, without the code.
func (m *Message) Canonical() string {
	var b strings.Builder
	b.WriteString(m.header())
	if m.Parts > 0 {
		b.WriteString(" " + strconv.Itoa(m.Part) + "/" + strconv.Itoa(m.Parts) + "/" + m.ID)
	}
	for _, t := range m.Body {
		b.WriteString(" " + t)
	}
	return b.String()
}

func (m *Message) header() string {
	h := "SGA " + m.TPS + " " + ContestToken(m.Contest)
	if m.Replaces > 0 {
		h += " R" + strconv.Itoa(m.Replaces)
	}
	return h
}

// tokenize upper-cases text and splits it at white space and the
// separators people type between numbers. A lone P or = in the body is
// joined to the number after it.
func tokenize(text string) []string {
	fields := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		switch r {
		case ' ', '\t', '\r', '\n', ',', ';', '\u00a0':
			return true
		}
		return false
	})
	out := make([]string, 0, len(fields))
	for i := 0; i < len(fields); i++ {
		t := fields[i]
		if (t == "P" || t == "=") && i+1 < len(fields) && len(out) >= 3 {
			if _, ok := digits(fields[i+1]); ok {
				t += fields[i+1]
				i++
			}
		}
		out = append(out, t)
	}
	return out
}

// canonicalToken writes numbers, and numbers behind a P or = tag, in plain
// decimal. Anything else is kept as typed: the body reader names it.
func canonicalToken(t string) string {
	if n, ok := number(t); ok {
		return strconv.Itoa(n)
	}
	if len(t) > 1 && (t[0] == 'P' || t[0] == '=') {
		if n, ok := number(t[1:]); ok {
			return t[:1] + strconv.Itoa(n)
		}
	}
	return t
}

// digits reads the digits of t, taking O for 0 and I or L for 1: the
// confusions of someone copying numbers from a screen or paper.
func digits(t string) (string, bool) {
	if t == "" || !utf8.ValidString(t) {
		return "", false
	}
	b := []byte(t)
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == 'O':
			b[i] = '0'
		case c == 'I' || c == 'L':
			b[i] = '1'
		default:
			return "", false
		}
	}
	return string(b), true
}

// number reads a count; more than nine digits is no count of a TPS.
func number(t string) (int, bool) {
	d, ok := digits(t)
	if !ok || len(d) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(d)
	return n, err == nil
}
