// Package election reads, checks and writes the election definition (the
// contests' tickets, parties, dapil and candidate lists; format in
// docs/election-format.md) and builds the built-in Pemilu 2024 Banten one.
package election

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Parse reads one election definition in JSON and validates it. Unknown
// fields are refused so a misspelt key does not silently drop data.
func Parse(r io.Reader) (*siaga.Election, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var e siaga.Election
	if err := dec.Decode(&e); err != nil {
		return nil, decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, siaga.Errorf(siaga.EInvalid, "",
			"ada data lain setelah definisi pemilu", "unexpected data after the election definition")
	}
	if err := Validate(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

// decodeError turns a JSON error into a user-facing one naming the field
// where encoding/json says which.
func decodeError(err error) error {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		return siaga.Errorf(siaga.EInvalid, typ.Field,
			"jenis nilai salah: %s tidak boleh berisi %s", "wrong type: %s cannot hold a JSON %s", typ.Field, typ.Value)
	case errors.As(err, &syn):
		return siaga.Errorf(siaga.EInvalid, "",
			"JSON tidak sah pada bita %d: %v", "invalid JSON at byte %d: %v", syn.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return siaga.Errorf(siaga.EInvalid, field,
			"kolom %q tidak dikenal", "unknown field %q", field)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return siaga.Errorf(siaga.EInvalid, "",
			"definisi pemilu kosong atau terpotong", "the election definition is empty or truncated")
	}
	return siaga.Errorf(siaga.EInvalid, "", "definisi pemilu tidak terbaca: %v", "cannot read the election definition: %v", err)
}

// Write validates e and writes it as indented JSON, the form Parse reads.
func Write(w io.Writer, e *siaga.Election) error {
	if err := Validate(e); err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("election: encode: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("election: write: %w", err)
	}
	return nil
}
