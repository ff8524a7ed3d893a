package sms

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// Compose writes a submission as the SMS texts a device sends: one when it
// fits in MaxLen characters, else as few parts as fit, each with the
// marker i/n/id and its own code. id (1–4 Crockford characters) tells this
// report's parts from those of another. The field app does the same in
// JavaScript; docs/sms.md is the reference for both.
func Compose(sub *siaga.Submission, b Ballot, secret []byte, id string) ([]string, error) {
	body, err := bodyTokens(sub, b)
	if err != nil {
		return nil, err
	}
	m := Message{TPS: sub.TPS, Contest: sub.Contest, Replaces: sub.Replaces, Body: body}
	if one := sign(&m, secret); len(one) <= MaxLen {
		return []string{one}, nil
	}
	id = crockford(id)
	if id == "" || len(id) > 4 || !isCrockford(id) {
		return nil, fmt.Errorf("sms: part id %q must be 1 to 4 Crockford base32 characters", id)
	}
	// The marker's width depends on the number of parts: try the smallest
	// count first.
	for parts := 2; parts <= MaxParts; parts++ {
		marker := len(fmt.Sprintf(" %d/%d/%s", parts, parts, id))
		room := MaxLen - len(m.header()) - marker - len(" K") - CodeLen
		chunks := chunk(body, room)
		if chunks == nil || len(chunks) > parts {
			continue
		}
		texts := make([]string, len(chunks))
		for i, c := range chunks {
			p := Message{TPS: m.TPS, Contest: m.Contest, Replaces: m.Replaces, Part: i + 1, Parts: len(chunks), ID: id, Body: c}
			texts[i] = sign(&p, secret)
		}
		return texts, nil
	}
	return nil, fmt.Errorf("sms: the form of TPS %s does not fit in %d SMS", sub.TPS, MaxParts)
}

func sign(m *Message, secret []byte) string {
	c := m.Canonical()
	return c + " K" + Code(secret, c)
}

// chunk splits tokens into runs of at most room characters (with the
// space before each token); nil when a token alone does not fit.
func chunk(tokens []string, room int) [][]string {
	var out [][]string
	var cur []string
	used := 0
	for _, t := range tokens {
		if len(t)+1 > room {
			return nil
		}
		if used+len(t)+1 > room {
			out, cur, used = append(out, cur), nil, 0
		}
		cur = append(cur, t)
		used += len(t) + 1
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// bodyTokens writes a form in the order Read reads it. Candidates after the
// last one on the form are left out; a candidate missing before it is
// written as 0, the nearest the grammar can say.
func bodyTokens(sub *siaga.Submission, b Ballot) ([]string, error) {
	f := &sub.Form
	var out []string
	for _, name := range AdminOrder {
		if n, ok := f.Admin[name]; ok {
			out = append(out, strconv.Itoa(n))
		} else {
			out = append(out, "-")
		}
	}
	if f.Votes == nil {
		return nil, fmt.Errorf("sms: the form of TPS %s has no vote section", sub.TPS)
	}
	if !sub.Contest.Legislative() {
		for _, o := range b.Options {
			n, ok := f.Votes.Options[o]
			if !ok {
				return nil, fmt.Errorf("sms: the form of TPS %s has no count for %s", sub.TPS, o)
			}
			out = append(out, strconv.Itoa(n))
		}
		return out, nil
	}
	keys := make([]int, 0, len(f.Votes.Parties))
	for k := range f.Votes.Parties {
		n, err := strconv.Atoi(k)
		if err != nil {
			return nil, fmt.Errorf("sms: party key %q is not a number", k)
		}
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for _, k := range keys {
		p := f.Votes.Parties[strconv.Itoa(k)]
		out = append(out, "P"+strconv.Itoa(k), strconv.Itoa(p.Party))
		list := b.Lists[k]
		last := -1
		for i, id := range list {
			if _, ok := p.Candidates[id]; ok {
				last = i
			}
		}
		for _, id := range list[:last+1] {
			out = append(out, strconv.Itoa(p.Candidates[id]))
		}
		if p.Total != nil {
			out = append(out, "="+strconv.Itoa(*p.Total))
		}
	}
	return out, nil
}
