package relay

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/simulate"
)

// realForms returns signed submissions as Banten's phones would send them
// on election night: every contest, from TPS spread over every dapil.
func realForms(tb testing.TB) [][]byte {
	tb.Helper()
	reg, err := registry.Load("36", 1)
	if err != nil {
		tb.Fatal(err)
	}
	el := election.Banten2024(reg, 1)
	night := simulate.New(reg, el, simulate.Config{Seed: 1})
	_, key, _ := ed25519.GenerateKey(nil)
	var out [][]byte
	for i := 0; i < len(reg.TPS); i += len(reg.TPS) / 200 {
		for _, c := range siaga.Contests {
			sub := night.Submission(simulate.Item{TPS: i, Contest: c, Source: siaga.SourceKPPS, Kind: simulate.Report, Version: 1})
			out = append(out, sign(tb, key, &sub))
			// Most candidates get no vote at most TPS: the most
			// compressible real form.
			if sub.Form.Votes != nil && sub.Form.Votes.Parties != nil {
				for p, pv := range sub.Form.Votes.Parties {
					for c := range pv.Candidates {
						pv.Candidates[c] = 0
					}
					sub.Form.Votes.Parties[p] = pv
				}
				out = append(out, sign(tb, key, &sub))
			}
		}
	}
	return out
}

func sign(tb testing.TB, key ed25519.PrivateKey, sub *siaga.Submission) []byte {
	sub.Device = "0190c0de-aaaa-7000-8000-000000000001"
	sub.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, sub.CanonicalBytes()))
	b, err := json.Marshal(sub)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// shares compresses msg as a phone would (level: Go's Encode uses the best
// compression, the field app's CompressionStream zlib's default), splits it
// as Encode does and returns the number of chunks, the most bytes that came
// out once k chunks had been read, divided by k: what MaxChunkInflated
// bounds. (The decompressor reads a whole block, up to its 32 KiB window,
// before it hands anything out, so for a form this is its size over its
// number of chunks.)
func shares(tb testing.TB, msg []byte, level int) (chunks, amortized int) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, level)
	w.Write(msg)
	w.Close()
	packed := buf.Bytes()
	n := (len(packed) + ChunkBytes - 1) / ChunkBytes
	size := (len(packed) + n - 1) / n
	size += size % 2
	var parts [][]byte
	for i := 0; i < n; i++ {
		parts = append(parts, packed[min(i*size, len(packed)):min((i+1)*size, len(packed))])
	}
	in := &partReader{parts: parts}
	fr := flate.NewReader(in)
	out := 0
	b := make([]byte, 512)
	for {
		k, err := fr.Read(b)
		out += k
		amortized = max(amortized, out/(in.part+1))
		if err == io.EOF {
			return n, amortized
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TestInflationOfRealForms measures what the forms of a real election
// inflate to per chunk, which MaxChunkInflated and MaxRequestInflated are
// chosen from, and keeps the bounds four times above it.
func TestInflationOfRealForms(t *testing.T) {
	forms := realForms(t)
	largest, chunks, amortized := 0, 0, 0
	for _, f := range forms {
		largest = max(largest, len(f))
		for _, level := range []int{flate.BestCompression, flate.DefaultCompression} {
			n, a := shares(t, f, level)
			chunks, amortized = max(chunks, n), max(amortized, a)
		}
	}
	t.Logf("%d real forms: largest %d bytes of JSON, at most %d chunks, at most %d bytes inflated per chunk",
		len(forms), largest, chunks, amortized)
	if 4*amortized > MaxChunkInflated {
		t.Errorf("real forms inflate to %d bytes per chunk, too close to MaxChunkInflated (%d)", amortized, MaxChunkInflated)
	}
	if 2*amortized*MaxRequestChunks > MaxRequestInflated {
		t.Errorf("MaxRequestChunks chunks of real forms inflate to %d bytes, too close to MaxRequestInflated (%d)",
			amortized*MaxRequestChunks, MaxRequestInflated)
	}
}
