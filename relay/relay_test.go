package relay_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/relay"
)

// signed returns the JSON of a submission as a phone sends it, with a
// signature-shaped field, for a form of the given contest with parties
// parties of candidates candidates each (ppwp: three tickets).
func signed(t testing.TB, contest siaga.Contest, parties, candidates int, seed uint64) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	sub := siaga.Submission{
		ID: fmt.Sprintf("0190c0de-%04x-7000-8000-%012x", seed, rng.Uint64()>>16), TPS: "3601012001001",
		Contest: contest, Source: siaga.SourceKPPS, Device: fmt.Sprintf("dev-%08x", rng.Uint32()),
		Form: siaga.Form{Admin: siaga.Admin{}, Votes: &siaga.Votes{}},
	}
	for _, f := range siaga.AdminFields {
		sub.Form.Admin[f] = rng.IntN(300)
	}
	if contest == siaga.PPWP {
		sub.Form.Votes.Options = map[string]int{"01": rng.IntN(200), "02": rng.IntN(200), "03": rng.IntN(200)}
	} else {
		sub.Form.Votes.Parties = map[string]siaga.PartyVotes{}
		for p := 1; p <= parties; p++ {
			pv := siaga.PartyVotes{Party: rng.IntN(40), Candidates: map[string]int{}}
			for c := 1; c <= candidates; c++ {
				pv.Candidates[fmt.Sprintf("%02d-%02d", p, c)] = rng.IntN(60)
			}
			sub.Form.Votes.Parties[fmt.Sprint(p)] = pv
		}
	}
	sub.Signature = strings.Repeat("A", 86) + "=="
	b, err := json.Marshal(&sub)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name                string
		contest             siaga.Contest
		parties, candidates int
		wantChunks          int // at most
	}{
		{"ppwp", siaga.PPWP, 0, 0, 1},
		{"dpd", siaga.DPR, 1, 20, 2},
		{"dprd kab, 18 parties of 6", siaga.DPRDKab, 18, 6, 4},
		{"dpr, 18 parties of 12", siaga.DPR, 18, 12, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := signed(t, tt.contest, tt.parties, tt.candidates, 7)
			chunks, err := relay.Encode(msg)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d bytes of JSON → %d chunks, first %d characters", len(msg), len(chunks), len(chunks[0]))
			if len(chunks) > tt.wantChunks {
				t.Errorf("%d chunks, want at most %d", len(chunks), tt.wantChunks)
			}
			for _, c := range chunks {
				if len(c) > 650 || strings.Trim(c, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") != "" {
					t.Fatalf("chunk %q is not a QR alphanumeric text of at most 650 characters", c)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for round := 0; round < 5; round++ {
				scanned := append([]string{}, chunks...)
				// A scanner sees the same code many times.
				for i := 0; i < round; i++ {
					scanned = append(scanned, chunks[rng.IntN(len(chunks))]+"\n")
				}
				rng.Shuffle(len(scanned), func(i, j int) { scanned[i], scanned[j] = scanned[j], scanned[i] })
				got, err := relay.Decode(scanned)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, msg) {
					t.Fatalf("round %d: decoded message differs:\n%s", round, cmp.Diff(string(msg), string(got)))
				}
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	big := signed(t, siaga.DPR, 18, 12, 3)
	chunks, err := relay.Encode(big)
	if err != nil || len(chunks) < 3 {
		t.Fatalf("Encode: %d chunks, %v", len(chunks), err)
	}
	other, err := relay.Encode(signed(t, siaga.PPWP, 0, 0, 4))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(c string, at int) string {
		b := []byte(c)
		if b[at] == '0' {
			b[at] = '1'
		} else {
			b[at] = '0'
		}
		return string(b)
	}
	without := func(i int) []string { return append(append([]string{}, chunks[:i]...), chunks[i+1:]...) }
	tests := []struct {
		name   string
		chunks []string
		want   string // in the English message
		field  string
	}{
		{"none", nil, "no relay chunks", "chunks"},
		{"missing chunk", without(1), "chunk 2 of", "chunks"},
		{"corrupted data", append(without(0), flip(chunks[0], len(chunks[0])-5)), "corrupted", "chunks"},
		{"corrupted header", append(without(0), strings.Replace(chunks[0], ":1/", ":9/", 1)), "relay chunk number", "chunks[" + fmt.Sprint(len(chunks)-1) + "]"},
		{"two versions of one chunk", append(append([]string{}, chunks...), flip(chunks[1], len(chunks[1])-5)), "two different chunks", "chunks[" + fmt.Sprint(len(chunks)) + "]"},
		{"another message", append(append([]string{}, chunks...), other...), "2 different messages", "chunks"},
		{"not a relay code", []string{"https://example.org/"}, "not a Siaga relay chunk", "chunks[0]"},
		{"lower case", []string{strings.ToLower(other[0])}, "not a Siaga relay chunk", "chunks[0]"},
		{"bad base45", []string{other[0][:len(other[0])-1] + "a"}, "corrupted", "chunks[0]"},
		{"one base45 character left over", []string{other[0][:len(other[0])-2]}, "corrupted", "chunks[0]"},
		{"index zero", []string{strings.Replace(other[0], ":1/1:", ":0/1:", 1)}, "relay chunk number", "chunks[0]"},
		{"leading zero", []string{strings.Replace(other[0], ":1/1:", ":01/1:", 1)}, "relay chunk number", "chunks[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := relay.Decode(tt.chunks)
			var e *siaga.Error
			if !asError(err, &e) {
				t.Fatalf("err = %v, want a *siaga.Error", err)
			}
			if !strings.Contains(e.MessageEN, tt.want) || e.Message == "" || e.Field != tt.field {
				t.Errorf("error = %+v, want %q in the message and field %q", e, tt.want, tt.field)
			}
		})
	}
}

func asError(err error, target **siaga.Error) bool {
	return errors.As(err, target)
}

// readBody reads a relay body and every message in it.
func readBody(t testing.TB, body []byte) ([][]byte, string, error) {
	t.Helper()
	r, err := relay.ReadBody(body)
	if err != nil {
		return nil, "", err
	}
	var msgs [][]byte
	for {
		m, err := r.Next()
		if errors.Is(err, io.EOF) {
			return msgs, r.Via, nil
		}
		if err != nil {
			return nil, r.Via, err
		}
		msgs = append(msgs, m)
	}
}

func TestDecodeAllKeepsOrder(t *testing.T) {
	a, b := signed(t, siaga.PPWP, 0, 0, 1), signed(t, siaga.DPR, 18, 8, 2)
	ca, _ := relay.Encode(a)
	cb, _ := relay.Encode(b)
	all := append(append([]string{cb[len(cb)-1]}, ca...), cb...)
	got, err := relay.DecodeAll(all)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !bytes.Equal(got[0], b) || !bytes.Equal(got[1], a) {
		t.Errorf("DecodeAll gave %d messages, want b then a", len(got))
	}
}

func TestEncodeLimits(t *testing.T) {
	if _, err := relay.Encode(nil); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("empty: %v", err)
	}
	if _, err := relay.Encode(make([]byte, relay.MaxMessage+1)); siaga.ErrorCode(err) != siaga.ETooLarge {
		t.Errorf("oversize: %v", err)
	}
	// Random bytes do not compress: 64 KiB of them need too many codes.
	noise := make([]byte, relay.MaxMessage)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	if _, err := relay.Encode(noise); siaga.ErrorCode(err) != siaga.ETooLarge {
		t.Errorf("incompressible: %v", err)
	}
}

func TestFile(t *testing.T) {
	a, b := signed(t, siaga.PPWP, 0, 0, 1), signed(t, siaga.DPR, 18, 8, 2)
	file, err := relay.WriteFile([][]byte{a, b})
	if err != nil {
		t.Fatal(err)
	}
	msgs, via, err := readBody(t, file)
	if err != nil || via != relay.ViaFile {
		t.Fatalf("ReadBody(file) = %v, %v", via, err)
	}
	if diff := cmp.Diff([][]byte{a, b}, msgs); diff != "" {
		t.Errorf("file round trip (-want +got):\n%s", diff)
	}
	chunks, _ := relay.Encode(a)
	body, _ := json.Marshal(map[string]any{"chunks": chunks})
	msgs, via, err = readBody(t, body)
	if err != nil || via != relay.ViaQR || len(msgs) != 1 || !bytes.Equal(msgs[0], a) {
		t.Fatalf("ReadBody(chunks) = %d messages, %v, %v", len(msgs), via, err)
	}

	bad := []struct{ name, body, field string }{
		{"not JSON", `SGA1:`, ""},
		{"unknown field", `{"siaga_relay":1,"submissions":[{}],"extra":1}`, ""},
		{"both", `{"siaga_relay":1,"submissions":[{}],"chunks":["x"]}`, ""},
		{"no version", `{"submissions":[{}]}`, "siaga_relay"},
		{"version 2", `{"siaga_relay":2,"submissions":[{}]}`, "siaga_relay"},
		{"empty", `{"siaga_relay":1,"submissions":[]}`, "submissions"},
		{"trailing", `{"siaga_relay":1,"submissions":[{}]} {}`, ""},
		{"empty chunks", `{"chunks":[]}`, "chunks"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := relay.ReadBody([]byte(tt.body))
			var e *siaga.Error
			if !asError(err, &e) || e.Code != siaga.EInvalid || e.Field != tt.field {
				t.Errorf("err = %v, want invalid with field %q", err, tt.field)
			}
		})
	}
}
