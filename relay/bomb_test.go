package relay

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

// TestDeflateBomb: a message that inflates past a limit is refused while
// it inflates, with an error naming the limit and the chunk.
func TestDeflateBomb(t *testing.T) {
	budget := make([]string, 0, MaxRequestChunks)
	for i := range MaxRequestChunks {
		// Distinct messages just within the per-chunk limit: the request's
		// total gives out first.
		budget = append(budget, handMade(t, spaces(MaxChunkInflated, i))...)
	}
	perRequest := MaxRequestInflated / MaxChunkInflated // messages that fit
	tests := []struct {
		name   string
		chunks []string
		code   string
		field  string
		msgs   int // decoded when there is no error
	}{
		{"one chunk at the limit", handMade(t, spaces(MaxChunkInflated, 0)), "", "", 1},
		{"one chunk past the limit", handMade(t, spaces(MaxChunkInflated+1, 0)), siaga.ETooLarge, "chunks[0]", 0},
		{"one chunk, 6.5 MB", handMade(t, spaces(100*MaxMessage, 0)), siaga.ETooLarge, "chunks[0]", 0},
		{"form-like text at MaxMessage", handMade(t, formLike(MaxMessage)), "", "", 1},
		{"form-like text past MaxMessage", handMade(t, formLike(MaxMessage+1)), siaga.ETooLarge, "", 0},
		{"request's total", budget, siaga.ETooLarge, fmt.Sprintf("chunks[%d]", perRequest), 0},
		{"request within its total", budget[:perRequest], "", "", perRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := DecodeAll(tt.chunks)
			if siaga.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			var e *siaga.Error
			if errors.As(err, &e) && tt.field != "" && e.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", e.Field, tt.field, err)
			}
			if len(msgs) != tt.msgs {
				t.Errorf("%d messages, want %d", len(msgs), tt.msgs)
			}
		})
	}
}

// TestBombAllocation: a request of highly compressible chunks costs the
// server little more than its body. The first is the request of the
// security review: 2,000 one-chunk messages of 64 KiB of spaces, 330 KB
// that cost ~250 MB when every message was inflated before any was used.
func TestBombAllocation(t *testing.T) {
	tests := []struct {
		name   string
		chunks int
		msg    func(i int) []byte
	}{
		{"2000 messages of 64 KiB", 2000, func(i int) []byte { return spaces(MaxMessage, i) }},
		{"256 messages of 64 KiB", MaxRequestChunks, func(i int) []byte { return spaces(MaxMessage, i) }},
		{"256 bombs of 400 KB", MaxRequestChunks, bomb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bombBody(t, tt.chunks, tt.msg)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			n, err := readAll(body)
			runtime.ReadMemStats(&after)
			if siaga.ErrorCode(err) != siaga.ETooLarge || n != 0 {
				t.Errorf("after %d messages: %v, want the request refused as too large", n, err)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("a %d-byte body: %d bytes allocated", len(body), alloc)
			if limit := uint64(4*len(body) + 1<<20); alloc > limit {
				t.Errorf("allocated %d bytes for a %d-byte request, want at most %d", alloc, len(body), limit)
			}
		})
	}
}

// bombBody is a request body of n one-chunk messages.
func bombBody(t testing.TB, n int, msg func(i int) []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // one for all: a writer is ~1 MB
	texts := make([]string, n)
	for i := range texts {
		buf.Reset()
		w.Reset(&buf)
		w.Write(msg(i))
		w.Close()
		packed := buf.Bytes()
		if len(packed) > ChunkBytes {
			t.Fatalf("message %d compresses to %d bytes, more than one chunk", i, len(packed))
		}
		texts[i] = fmt.Sprintf("SGA1:%08X:1/1:%s", crc32.ChecksumIEEE(packed), base45Encode(packed))
	}
	return []byte(`{"chunks":["` + strings.Join(texts, `","`) + `"]}`)
}

// readAll reads a request as the server does and counts the messages.
func readAll(body []byte) (int, error) {
	r, err := ReadBody(body)
	if err != nil {
		return 0, err
	}
	for n := 0; ; n++ {
		if _, err := r.Next(); err != nil {
			return n, err
		}
	}
}

// bomb is a message of about the most that one chunk's 420 compressed
// bytes inflate to (400 KB), distinct for each i.
func bomb(i int) []byte {
	return spaces(400_000, i)
}

// spaces is n bytes, all spaces but a number that makes messages distinct.
func spaces(n, i int) []byte {
	b := bytes.Repeat([]byte(" "), n)
	copy(b, fmt.Sprint(i))
	return b
}

// formLike is n bytes of text that compresses about as a form does.
func formLike(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		fmt.Fprintf(&b, `"%02d-%02d":%d,`, rng.IntN(18), rng.IntN(12), rng.IntN(300))
	}
	return b.Bytes()[:n]
}

// handMade builds chunks as a hostile encoder would, without Encode's
// limits.
func handMade(t testing.TB, msg []byte) []string {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(msg)
	w.Close()
	packed := buf.Bytes()
	n := (len(packed) + ChunkBytes - 1) / ChunkBytes
	if n > MaxChunks {
		t.Fatalf("%d bytes compress to %d chunks", len(msg), n)
	}
	var out []string
	for i := 0; i < n; i++ {
		part := packed[i*ChunkBytes : min((i+1)*ChunkBytes, len(packed))]
		out = append(out, fmt.Sprintf("SGA1:%08X:%d/%d:%s", crc32.ChecksumIEEE(packed), i+1, n, base45Encode(part)))
	}
	return out
}

// TestNextStops: after a refused message, Next inflates nothing more.
func TestNextStops(t *testing.T) {
	good := handMade(t, spaces(100, 1))
	r, err := ReadChunks(append(handMade(t, bomb(0)), good...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); siaga.ErrorCode(err) != siaga.ETooLarge {
		t.Fatalf("first: %v", err)
	}
	if _, err := r.Next(); siaga.ErrorCode(err) != siaga.ETooLarge || errors.Is(err, io.EOF) {
		t.Errorf("after a refused message: %v, want the same error again", err)
	}
}

func TestBase45(t *testing.T) {
	// RFC 9285, section 4.
	for _, tt := range []struct{ in, out string }{
		{"AB", "BB8"}, {"Hello!!", "%69 VD92EX0"}, {"base-45", "UJCLQE7W581"}, {"ietf!", "QED8WEX0"}, {"", ""},
	} {
		if got := base45Encode([]byte(tt.in)); got != tt.out {
			t.Errorf("encode %q = %q, want %q", tt.in, got, tt.out)
		}
		back, err := base45Decode(tt.out)
		if err != nil || string(back) != tt.in {
			t.Errorf("decode %q = %q, %v", tt.out, back, err)
		}
	}
	for _, bad := range []string{"GGW", "A", "ZZ", "ab"} {
		if _, err := base45Decode(bad); err == nil {
			t.Errorf("decode %q: no error", bad)
		}
	}
}
