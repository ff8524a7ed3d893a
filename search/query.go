package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a region is called: a level, and for kab/kota and desa the
// two words an official may type ("Kota Serang" is not "Kab. Serang").
type kind uint8

const (
	kindNone kind = iota
	kindProv
	kindKab
	kindKota
	kindKec
	kindDesa
	kindKel
)

// hintWords are the words that say which kind of region is meant. In a
// name they are dropped ("Desa Baru" is found as "baru"); in a query they
// rank that kind first.
var hintWords = map[string]kind{
	"provinsi": kindProv, "prov": kindProv, "propinsi": kindProv,
	"kabupaten": kindKab, "kab": kindKab,
	"kota": kindKota, "kotamadya": kindKota,
	"kecamatan": kindKec, "kec": kindKec, "distrik": kindKec,
	"desa":      kindDesa,
	"kelurahan": kindKel, "kel": kindKel,
}

// fillerWords follow a hint word in official names and say nothing:
// "Kota Administrasi Jakarta Pusat", "Kab. Adm. Kepulauan Seribu".
var fillerWords = map[string]bool{"administrasi": true, "adm": true}

// matches says whether a region of kind k is what hint asks for. "desa"
// is how most people say desa/kelurahan, so it takes both.
func (hint kind) matches(k kind) bool {
	return hint == k || hint == kindDesa && k == kindKel
}

// words splits s into lower-case words of letters and digits. Apostrophes
// vanish ("Ba'u" is "bau"); every other punctuation separates words
// ("Lang-Lang", "Lawe. Berigin", "I/II"). Latin letters lose their accents.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '`':
			// inside a word: "Ba'u"
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(fold(unicode.ToLower(r)))
		default:
			flush()
		}
	}
	flush()
	return out
}

// fold drops the accent of the Latin letters that turn up in names.
func fold(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		return 'a'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'ö', 'õ':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}

// stripHint drops the leading kind words of ws and returns what is left
// and the kind they named. Nothing is dropped when nothing would be left:
// a desa called "Kota" is still "kota".
func stripHint(ws []string) ([]string, kind) {
	k, i := kindNone, 0
	for i < len(ws) {
		if h, ok := hintWords[ws[i]]; ok && k == kindNone {
			k = h
		} else if !(fillerWords[ws[i]] && k != kindNone) {
			break
		}
		i++
	}
	if i == len(ws) {
		return ws, kindNone
	}
	return ws[i:], k
}

// Key is a query or name as the index compares it: the words joined
// without spaces, since "Mekar Jaya" and "Mekarjaya" are the same desa
// spelt two ways, after any leading kind words ("desa", "kel.", "kec.",
// "kab.", "kota") are dropped.
func Key(s string) string {
	ws, _ := stripHint(words(s))
	return strings.Join(ws, "")
}

// nameWords are the words of a region's name without the kind words of
// its own level: "Kabupaten Lebak" is "lebak", but a desa called "Kota
// Baru" keeps its "kota".
func nameWords(name string, k kind) []string {
	ws := words(name)
	rest, hint := stripHint(ws)
	if hint != kindNone && (hint == k || k == kindKab && hint == kindKota || k == kindDesa && hint == kindKel || k == kindKel && hint == kindDesa) {
		return rest
	}
	return ws
}

// query is a parsed search query.
type query struct {
	// code is the digits of a query made of digits and separators
	// ("36.01.01", "3601 01"): a code or the start of one.
	code string
	// variants are the ways to read the query's words, each with the kind
	// of region it asks for: as typed, and without its leading kind word.
	variants []variant
}

type variant struct {
	key   string // Key of the words
	words []string
	hint  kind
}

// maxCodeDigits is the length of a TPS code, the longest code.
const maxCodeDigits = 13

// parseQuery reads a query. It never fails: a query that means nothing has
// no code and no variants, and finds nothing.
func parseQuery(q string) query {
	if code, ok := codeOf(q); ok {
		return query{code: code}
	}
	ws := words(q)
	if len(ws) == 0 {
		return query{}
	}
	p := query{variants: []variant{{key: strings.Join(ws, ""), words: ws}}}
	if rest, k := stripHint(ws); k != kindNone {
		p.variants = append(p.variants, variant{key: strings.Join(rest, ""), words: rest, hint: k})
	}
	return p
}

// codeOf reads a query of digits and the separators of written codes
// (".", " ", "-", "/"): "36.01.01.2001" is 3601012001.
func codeOf(q string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '.' || c == ' ' || c == '-' || c == '/' || c == '\t':
		default:
			return "", false
		}
	}
	if b.Len() == 0 || b.Len() > maxCodeDigits {
		return "", false
	}
	return b.String(), true
}
