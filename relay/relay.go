// Package relay carries signed submissions without signal: as QR-code
// sized text chunks that another phone scans, or as a file. It only moves
// bytes; the device signature inside each submission is what makes a
// relayed form authentic, so a relay needs no trust of its own.
//
// A chunk is
//
//	SGA1:<id>:<i>/<n>:<data>
//
// where the message is the submission's JSON compressed with raw DEFLATE
// (RFC 1951), id is the CRC-32 (IEEE) of the compressed bytes as 8
// upper-case hex digits, i is the chunk's number from 1 to n, and data is
// the chunk's part of the compressed bytes in base45 (RFC 9285). Every
// character is in the QR alphanumeric set. docs/relay.md describes the
// format for other implementations (fieldapp/static/relay.js is one).
package relay

import (
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

const (
	// Prefix starts every chunk and names the format's version.
	Prefix = "SGA1:"
	// ChunkBytes is the most compressed bytes one chunk carries: 630
	// base45 characters plus the header, a version-14 QR code at error
	// correction L (73×73 modules), which a cheap phone reads off another
	// phone's screen at arm's length.
	ChunkBytes = 420
	// MaxChunks bounds a message; the largest real form (DPR, 18 parties
	// with full candidate lists) needs a handful.
	MaxChunks = 64
	// MaxMessage bounds the JSON of one message: the server's limit for
	// one submission.
	MaxMessage = 64 << 10
	// maxChunkLen bounds one chunk's text before any parsing.
	maxChunkLen = len(Prefix) + len("12345678:64/64:") + ChunkBytes/2*3
)

// Chunk is one parsed chunk.
type Chunk struct {
	ID           string // CRC-32 of the whole compressed message, hex
	Index, Total int    // 1-based
	Data         []byte // this chunk's compressed bytes
}

// Encode compresses msg and splits it into chunks of about equal size, so
// that every QR code of a message is as small as the largest must be.
func Encode(msg []byte) ([]string, error) {
	if len(msg) == 0 {
		return nil, errorf("", "Pesan kosong", "empty message")
	}
	if len(msg) > MaxMessage {
		return nil, siaga.Errorf(siaga.ETooLarge, "", "Pesan terlalu besar (maksimal %d byte)", "message too large (at most %d bytes)", MaxMessage)
	}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid
	w.Write(msg)
	w.Close()
	packed := buf.Bytes()
	n := (len(packed) + ChunkBytes - 1) / ChunkBytes
	if n > MaxChunks {
		return nil, siaga.Errorf(siaga.ETooLarge, "", "Pesan butuh lebih dari %d kode QR", "message needs more than %d QR codes", MaxChunks)
	}
	// Even sizes keep base45 groups whole inside a chunk.
	size := (len(packed) + n - 1) / n
	size += size % 2
	id := fmt.Sprintf("%08X", crc32.ChecksumIEEE(packed))
	chunks := make([]string, 0, n)
	for i := 0; i < n; i++ {
		part := packed[min(i*size, len(packed)):min((i+1)*size, len(packed))]
		chunks = append(chunks, fmt.Sprintf("%s%s:%d/%d:%s", Prefix, id, i+1, n, base45Encode(part)))
	}
	// What Encode makes, the server must take: a message far more
	// compressible than any form breaks the decoder's limits.
	if _, err := Decode(chunks); err != nil {
		return nil, err
	}
	return chunks, nil
}

// ParseChunk reads one chunk strictly. A scanner may add a line end, which
// is dropped; a space is data in base45 and is kept.
func ParseChunk(text string) (Chunk, error) {
	text = strings.TrimRight(strings.TrimLeft(text, "\r\n\t"), "\r\n\t")
	if len(text) > maxChunkLen {
		return Chunk{}, errorf("", "Kode terlalu panjang untuk kode relay", "text too long for a relay chunk")
	}
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		return Chunk{}, errorf("", "Bukan kode relay Siaga (harus diawali %s)", "not a Siaga relay chunk (must start with %s)", Prefix)
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 || !isID(parts[0]) {
		return Chunk{}, errorf("", "Kepala kode relay rusak", "malformed relay chunk header")
	}
	c := Chunk{ID: parts[0]}
	is, ns, ok := strings.Cut(parts[1], "/")
	c.Index, c.Total = number(is), number(ns)
	if !ok || c.Total < 1 || c.Total > MaxChunks || c.Index < 1 || c.Index > c.Total {
		return Chunk{}, errorf("", "Nomor bagian kode relay tidak sah: %q", "invalid relay chunk number: %q", parts[1])
	}
	data, err := base45Decode(parts[2])
	if err != nil || len(data) == 0 || len(data) > ChunkBytes {
		return Chunk{}, errorf("", "Isi kode relay %d/%d rusak", "relay chunk %d/%d is corrupted", c.Index, c.Total)
	}
	c.Data = data
	return c, nil
}

func isID(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'A' <= s[i] && s[i] <= 'F') {
			return false
		}
	}
	return true
}

// number reads a decimal without sign or leading zeros; -1 when it is not one.
func number(s string) int {
	if s == "" || len(s) > 2 || (s[0] == '0' && len(s) > 1) {
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
