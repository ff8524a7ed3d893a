package http_test

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/relay"
)

// TestRelayLimits calls the relay handler with requests built to make the
// server inflate much more than it reads, and measures what one call
// allocates.
func TestRelayLimits(t *testing.T) {
	s := newPhotoSite(t)
	spaces := func(n, i int) []byte { b := bytes.Repeat([]byte(" "), n); copy(b, fmt.Sprint(i)); return b }
	forged := signedSubmission(t, s)
	forged.Form.Votes.Options["01"]++ // after signing
	honest := signedSubmission(t, s)

	var c chunker
	bombs := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, c.chunks(spaces(relay.MaxMessage, i))...)
		}
		return out
	}
	tests := []struct {
		name     string
		chunks   []string
		status   int
		field    string // of the error answer
		statuses []int  // of the results, for a 200
	}{
		// The security review's request: 2,000 messages of 64 KiB of
		// spaces in 330 KB, which cost ~250 MB.
		{"2000 bombs", bombs(2000), 413, "chunks", nil},
		{"256 bombs", bombs(relay.MaxRequestChunks), 413, "chunks[0]", nil},
		// A forgery first: nothing after it is inflated.
		{"forged, then bombs", append(c.chunks(mustJSON(t, forged)), bombs(relay.MaxRequestChunks-1)...), 200, "",
			append([]int{401}, repeat(503, relay.MaxRequestChunks-1)...)},
		// An honest form first is stored before the bomb is met.
		{"honest, then a bomb", append(c.chunks(mustJSON(t, honest)), bombs(1)...), 413, "chunks[1]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"chunks": tt.chunks})
			req := httptest.NewRequest("POST", "/api/v1/relay", bytes.NewReader(body))
			rec := httptest.NewRecorder()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			s.n.Handler.ServeHTTP(rec, req)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d-byte body: %d, %d bytes allocated", len(body), rec.Code, alloc)
			if limit := uint64(5*len(body) + 2<<20); alloc > limit {
				t.Errorf("one call allocated %d bytes for a %d-byte body, want at most %d", alloc, len(body), limit)
			}
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tt.status, rec.Body)
			}
			var answer struct {
				Error   struct{ Field string }
				Results []struct{ Status int }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
				t.Fatal(err)
			}
			if answer.Error.Field != tt.field {
				t.Errorf("error field %q, want %q", answer.Error.Field, tt.field)
			}
			var got []int
			for _, r := range answer.Results {
				got = append(got, r.Status)
			}
			if diff := cmp.Diff(tt.statuses, got); diff != "" {
				t.Errorf("result statuses (-want +got):\n%s", diff)
			}
		})
	}
	if v, err := s.n.Store.VersionsOfTPS(context.Background(), s.tps.Code); err != nil || len(v) != 1 || v[0].Submission != honest.ID {
		t.Errorf("stored versions %+v, %v; want the honest form only", v, err)
	}
}

func signedSubmission(t *testing.T, s photoSite) *siaga.Submission {
	t.Helper()
	sub := &siaga.Submission{ID: uuid.Must(uuid.NewV7()).String(), TPS: s.tps.Code, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: ppwpForm(s.tps.DPT, [3]int{40, 50, 20}, 2)}
	s.dev.Sign(sub)
	return sub
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// chunker encodes messages as relay chunks the way a hostile encoder
// would, without relay.Encode's limits. It reuses one flate writer: each is
// about 1 MB.
type chunker struct {
	buf bytes.Buffer
	w   *flate.Writer
}

func (c *chunker) chunks(msg []byte) []string {
	if c.w == nil {
		c.w, _ = flate.NewWriter(&c.buf, flate.BestCompression)
	}
	c.buf.Reset()
	c.w.Reset(&c.buf)
	c.w.Write(msg)
	c.w.Close()
	packed := c.buf.Bytes()
	n := (len(packed) + relay.ChunkBytes - 1) / relay.ChunkBytes
	var out []string
	for i := range n {
		part := packed[i*relay.ChunkBytes : min((i+1)*relay.ChunkBytes, len(packed))]
		out = append(out, fmt.Sprintf("SGA1:%08X:%d/%d:%s", crc32.ChecksumIEEE(packed), i+1, n, base45(part)))
	}
	return out
}

// base45 is RFC 9285's encoding, as relay.Encode writes it.
func base45(src []byte) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	var b strings.Builder
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		b.WriteByte(alphabet[n%45])
		b.WriteByte(alphabet[n/45%45])
		b.WriteByte(alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		b.WriteByte(alphabet[n%45])
		b.WriteByte(alphabet[n/45])
	}
	return b.String()
}
