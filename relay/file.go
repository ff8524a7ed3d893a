package relay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/deskpemilu/siaga"
)

// FileVersion is the value of "siaga_relay" in a relay file.
const FileVersion = 1

// MaxFileSubmissions bounds one file or one request: a phone's whole
// outbox for an election day is five contests, with corrections a few
// more, and the field app writes one submission per file.
const MaxFileSubmissions = 100

// MaxBody bounds the body of a relay request: a file of MaxFileSubmissions
// of the largest real form (3.6 KB, TestInflationOfRealForms) is 360 KB,
// MaxRequestChunks chunks are 170 KB.
const MaxBody = 1 << 20

// File is a relay file: the signed submissions an officer exports from a
// phone's outbox, to carry on a memory card, by Bluetooth or by chat app.
type File struct {
	Version     int               `json:"siaga_relay"`
	Submissions []json.RawMessage `json:"submissions"`
}

// WriteFile returns a relay file holding msgs, each one submission's JSON.
func WriteFile(msgs [][]byte) ([]byte, error) {
	if len(msgs) > MaxFileSubmissions {
		return nil, siaga.Errorf(siaga.ETooLarge, "submissions", "Berkas relay memuat paling banyak %d kiriman", "a relay file holds at most %d submissions", MaxFileSubmissions)
	}
	f := File{Version: FileVersion, Submissions: make([]json.RawMessage, len(msgs))}
	for i, m := range msgs {
		if !json.Valid(m) {
			return nil, errorf(fmt.Sprintf("submissions[%d]", i), "Kiriman %d bukan JSON", "submission %d is not JSON", i)
		}
		f.Submissions[i] = m
	}
	return json.Marshal(f)
}

// Body is what POST /api/v1/relay carries: either the scanned chunks, or a
// relay file.
type Body struct {
	Chunks      []string          `json:"chunks,omitempty"`
	Version     *int              `json:"siaga_relay,omitempty"`
	Submissions []json.RawMessage `json:"submissions,omitempty"`
}

// Via names how submissions reached the relay: "qr" or "file".
const (
	ViaQR   = "qr"
	ViaFile = "file"
)

// ReadBody reads a relay request strictly: the chunks are parsed and
// checked, the submissions of a file counted and sized; the request's Next
// then hands out one submission's JSON at a time.
func ReadBody(body []byte) (*Request, error) {
	if len(body) > MaxBody {
		return nil, siaga.Errorf(siaga.ETooLarge, "", "Kiriman terlalu besar (maksimal %d byte)", "body too large (at most %d bytes)", MaxBody)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var b Body
	if err := dec.Decode(&b); err != nil {
		return nil, errorf("", "Kiriman relay tidak dapat dibaca: %v", "cannot read the relay body: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errorf("", "Ada data lain setelah kiriman relay", "unexpected data after the relay body")
	}
	switch {
	case b.Chunks != nil && (b.Version != nil || b.Submissions != nil):
		return nil, errorf("", "Kirim kode (chunks) atau berkas relay, bukan keduanya", "send chunks or a relay file, not both")
	case b.Chunks != nil:
		return ReadChunks(b.Chunks)
	case b.Version == nil:
		return nil, errorf("siaga_relay", "Bukan berkas relay Siaga", "not a Siaga relay file")
	case *b.Version != FileVersion:
		return nil, errorf("siaga_relay", "Versi berkas relay %d tidak dikenal", "unknown relay file version %d", *b.Version)
	case len(b.Submissions) == 0:
		return nil, errorf("submissions", "Berkas relay tidak memuat kiriman", "the relay file holds no submissions")
	case len(b.Submissions) > MaxFileSubmissions:
		return nil, siaga.Errorf(siaga.ETooLarge, "submissions", "Berkas relay memuat paling banyak %d kiriman", "a relay file holds at most %d submissions", MaxFileSubmissions)
	}
	r := &Request{Via: ViaFile, msgs: make([]message, len(b.Submissions))}
	for i, s := range b.Submissions {
		if len(s) > MaxMessage {
			return nil, siaga.Errorf(siaga.ETooLarge, fmt.Sprintf("submissions[%d]", i), "Kiriman %d terlalu besar", "submission %d too large", i)
		}
		r.msgs[i].json = s
	}
	return r, nil
}
