package relay

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"

	"github.com/deskpemilu/siaga"
)

// Limits of one relay request. Inflating is the only step whose output
// can be much larger than its input (DEFLATE reaches about 1000:1), so the
// bounds are checked while inflating, not after, and one request can make
// the server inflate at most MaxRequestInflated bytes, one message at a
// time.
const (
	// MaxRequestChunks bounds the chunks of one request. A carrier that
	// batches what it scanned at ten TPS (five forms each, a legislative
	// form of 18 parties × 12 candidates being three codes) sends 150;
	// rescanned duplicates fit too.
	MaxRequestChunks = 256
	// MaxChunkInflated bounds what the data of one chunk may inflate to:
	// once the first k chunks of a message have been read, at most k times
	// this much may have come out. Real forms, the most compressible being
	// legislative forms whose candidates got no vote, inflate to at most
	// ~1.4 KB per 420-byte chunk (TestInflationOfRealForms); this is six
	// times that. The decompressor hands out at most its 32 KiB window at
	// a time, so a bomb is refused after that much at most.
	MaxChunkInflated = 8 << 10
	// MaxRequestInflated bounds the JSON all messages of one request
	// inflate to: MaxRequestChunks chunks of real forms make at most
	// ~350 KB.
	MaxRequestInflated = 1 << 20
)

// Request is a relay request whose chunks are parsed and checked (headers,
// numbers, completeness, checksums) but whose messages are not inflated
// yet: Next inflates them one at a time, in the order their first chunk
// came, so that a caller can check each message's signature before the
// next is inflated, and stop.
type Request struct {
	Via  string // ViaQR or ViaFile
	msgs []message
	next int

	// inflated counts what this request has inflated so far.
	inflated int
	fr       io.ReadCloser // one decompressor, reset for each message
	err      error         // the error that ended the request
}

// message is one message of a request: its compressed parts in order and
// the position in the request of the text each came in, or, in a file,
// its JSON.
type message struct {
	id    string
	parts [][]byte
	at    []int
	json  []byte
}

// Len returns the number of messages in r.
func (r *Request) Len() int { return len(r.msgs) }

// Next returns the next message's JSON and io.EOF after the last. A
// message that cannot be inflated within the limits is an error naming the
// chunk where it went wrong, and ends the request: Next keeps returning
// that error and inflates nothing more.
func (r *Request) Next() ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.next >= len(r.msgs) {
		return nil, io.EOF
	}
	m := &r.msgs[r.next]
	r.next++
	if m.json != nil {
		return m.json, nil
	}
	msg, err := r.inflate(m)
	if err != nil {
		r.err = err
		return nil, err
	}
	return msg, nil
}

// ReadChunks parses the chunks of one request, of any number of messages,
// in any order and with duplicates. Every message must be complete and
// match its checksum. Nothing is inflated yet.
func ReadChunks(texts []string) (*Request, error) {
	if len(texts) == 0 {
		return nil, errorf("chunks", "Tidak ada kode relay", "no relay chunks")
	}
	if len(texts) > MaxRequestChunks {
		return nil, siaga.Errorf(siaga.ETooLarge, "chunks", "Terlalu banyak kode dalam satu kiriman (maksimal %d)",
			"too many chunks in one request (at most %d)", MaxRequestChunks)
	}
	r := &Request{Via: ViaQR}
	byID := map[string]int{}
	for i, text := range texts {
		c, err := ParseChunk(text)
		if err != nil {
			return nil, withField(err, fmt.Sprintf("chunks[%d]", i))
		}
		k, seen := byID[c.ID]
		if !seen {
			k = len(r.msgs)
			byID[c.ID] = k
			r.msgs = append(r.msgs, message{id: c.ID, parts: make([][]byte, c.Total), at: make([]int, c.Total)})
		}
		m := &r.msgs[k]
		if c.Total != len(m.parts) {
			return nil, errorf(fmt.Sprintf("chunks[%d]", i), "Jumlah bagian kiriman %s tidak cocok (%d dan %d)", "message %s has chunks of %d and of %d parts", c.ID, len(m.parts), c.Total)
		}
		if old := m.parts[c.Index-1]; old != nil {
			if !bytes.Equal(old, c.Data) {
				return nil, errorf(fmt.Sprintf("chunks[%d]", i), "Dua isi berbeda untuk bagian %d/%d kiriman %s", "two different chunks %d/%d of message %s", c.Index, c.Total, c.ID)
			}
			continue
		}
		m.parts[c.Index-1], m.at[c.Index-1] = c.Data, i
	}
	for _, m := range r.msgs {
		if err := m.whole(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// whole checks that every part of m arrived and that together they match
// the message's checksum.
func (m *message) whole() error {
	crc := crc32.NewIEEE()
	for i, part := range m.parts {
		if part == nil {
			return errorf("chunks", "Bagian %d dari %d kiriman %s belum dipindai", "chunk %d of %d of message %s is missing", i+1, len(m.parts), m.id)
		}
		crc.Write(part)
	}
	if fmt.Sprintf("%08X", crc.Sum32()) != m.id {
		return errorf("chunks", "Kiriman %s rusak (checksum tidak cocok)", "message %s is corrupted (checksum mismatch)", m.id)
	}
	return nil
}

// inflate inflates one message, checking the limits after every read of
// the decompressor (which produces at most its 32 KiB window at a time):
// the message as a whole, each chunk's share and the request's total.
func (r *Request) inflate(m *message) ([]byte, error) {
	in := &partReader{parts: m.parts}
	if r.fr == nil {
		r.fr = flate.NewReader(in)
	} else if err := r.fr.(flate.Resetter).Reset(in, nil); err != nil {
		return nil, err
	}
	// Never hold more than one byte past what may come out: check refuses
	// a message of limit bytes, so the buffer is never full when read into.
	limit := min(MaxMessage, len(m.parts)*MaxChunkInflated, MaxRequestInflated-r.inflated) + 1
	out := make([]byte, 0, min(limit, 8*in.size()))
	for {
		if len(out) == cap(out) {
			out = slices.Grow(out, min(cap(out), limit-cap(out)))
		}
		n, err := r.fr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if lerr := r.check(m, len(out), in.part); lerr != nil {
			return nil, lerr
		}
		switch {
		case errors.Is(err, io.EOF):
			if len(out) == 0 {
				return nil, errorf("chunks", "Kiriman %s kosong", "message %s is empty", m.id)
			}
			r.inflated += len(out)
			return out, nil
		case err != nil:
			return nil, errorf(m.field(in.part), "Kiriman %s tidak dapat dibuka (bagian %d rusak)", "message %s cannot be decompressed (chunk %d is corrupted)", m.id, in.part+1)
		}
	}
}

// check refuses a message that has inflated to n bytes while its part p
// (0-based) was being read, when n breaks one of the limits.
func (r *Request) check(m *message, n, p int) error {
	field := m.field(p)
	switch {
	case n > MaxMessage:
		return siaga.Errorf(siaga.ETooLarge, field, "Kiriman %s terlalu besar (maksimal %d byte)", "message %s too large (at most %d bytes)", m.id, MaxMessage)
	case n > (p+1)*MaxChunkInflated:
		return siaga.Errorf(siaga.ETooLarge, field, "Kode %d/%d kiriman %s mengembang melebihi batas (%d byte per kode)",
			"chunk %d/%d of message %s inflates past the limit (%d bytes per chunk)", p+1, len(m.parts), m.id, MaxChunkInflated)
	case r.inflated+n > MaxRequestInflated:
		return siaga.Errorf(siaga.ETooLarge, field, "Kiriman relay ini terlalu besar setelah dibuka (maksimal %d byte)",
			"this relay request inflates past %d bytes", MaxRequestInflated)
	}
	return nil
}

// field names the request's text that carried part p of m.
func (m *message) field(p int) string {
	return fmt.Sprintf("chunks[%d]", m.at[min(p, len(m.at)-1)])
}

// partReader reads a message's parts as one stream, one byte at a time as
// the decompressor asks (flate uses an io.ByteReader as it is, without a
// read-ahead buffer), so that part always names the part the last byte
// read came from.
type partReader struct {
	parts [][]byte
	part  int // the part being read
	off   int // in parts[part]
}

func (p *partReader) ReadByte() (byte, error) {
	for p.off == len(p.parts[p.part]) {
		if p.part == len(p.parts)-1 {
			return 0, io.EOF
		}
		p.part, p.off = p.part+1, 0
	}
	b := p.parts[p.part][p.off]
	p.off++
	return b, nil
}

func (p *partReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c, err := p.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		b[n] = c
		n++
	}
	return n, nil
}

func (p *partReader) size() int {
	n := 0
	for _, part := range p.parts {
		n += len(part)
	}
	return n
}

// Decode assembles the chunks of exactly one message, in any order and with
// duplicates, and returns its JSON. A missing, corrupted or foreign chunk
// is an error that says which.
func Decode(texts []string) ([]byte, error) {
	msgs, err := DecodeAll(texts)
	if err != nil {
		return nil, err
	}
	if len(msgs) != 1 {
		return nil, errorf("chunks", "Kode berasal dari %d kiriman berbeda; pindai satu kiriman saja", "the chunks belong to %d different messages; scan one message at a time", len(msgs))
	}
	return msgs[0], nil
}

// DecodeAll assembles chunks of any number of messages and returns each
// message's JSON in the order its first chunk came. Every message must be
// complete, and together they are held to the limits of one request.
func DecodeAll(texts []string) ([][]byte, error) {
	r, err := ReadChunks(texts)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, r.Len())
	for {
		msg, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, msg)
	}
}

func errorf(field, id, en string, args ...any) error {
	return siaga.Errorf(siaga.EInvalid, field, id, en, args...)
}

// withField names where a chunk-level error happened.
func withField(err error, field string) error {
	var e *siaga.Error
	if errors.As(err, &e) && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
