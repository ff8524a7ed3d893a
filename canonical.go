package siaga

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// CanonicalBytes is the canonical JSON of the form: the form's part of
// its submission's canonical bytes (Submission.Canonical), and what a
// version's hash covers and a store keeps (Version.FormJSON).
func (f *Form) CanonicalBytes() []byte { return appendForm(make([]byte, 0, 256), f) }

// appendForm appends the canonical JSON of f: exactly what encoding/json
// produces for Form without HTML escaping (fields in declaration order,
// which is alphabetical; map keys sorted; empty sections omitted), written
// by hand because sorting map keys by reflection made encoding the larger
// share of a legislative form's cost.
func appendForm(b []byte, f *Form) []byte {
	b = append(b, '{')
	comma := false
	if len(f.Admin) > 0 {
		b = append(b, `"administrasi":`...)
		b = appendCounts(b, f.Admin)
		comma = true
	}
	if f.Votes != nil {
		if comma {
			b = append(b, ',')
		}
		b = append(b, `"suara":`...)
		b = appendVotes(b, f.Votes)
	}
	return append(b, '}')
}

func appendVotes(b []byte, v *Votes) []byte {
	b = append(b, '{')
	if len(v.Parties) > 0 {
		b = append(b, `"partai":{`...)
		for i, k := range sortedKeys(v.Parties) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendParty(b, v.Parties[k])
		}
		b = append(b, '}')
	}
	if len(v.Options) > 0 {
		if len(v.Parties) > 0 {
			b = append(b, ',')
		}
		b = append(b, `"pilihan":`...)
		b = appendCounts(b, v.Options)
	}
	return append(b, '}')
}

func appendParty(b []byte, p PartyVotes) []byte {
	b = append(b, '{')
	if len(p.Candidates) > 0 {
		b = append(b, `"caleg":`...)
		b = appendCounts(b, p.Candidates)
		b = append(b, ',')
	}
	if p.Total != nil {
		b = append(b, `"jumlah":`...)
		b = strconv.AppendInt(b, int64(*p.Total), 10)
		b = append(b, ',')
	}
	b = append(b, `"suara_partai":`...)
	b = strconv.AppendInt(b, int64(p.Party), 10)
	return append(b, '}')
}

func appendCounts[M ~map[string]int](b []byte, m M) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(m[k]), 10)
	}
	return append(b, '}')
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendString writes s as a JSON string. Plain ASCII, which every code
// and key of a valid form is, is written as is; anything else goes
// through encoding/json so the escaping stays exactly its own.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return append(b, encodeCanonical(s)...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
