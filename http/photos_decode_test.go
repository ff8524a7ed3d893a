package http

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/photos"
)

// FuzzDecodeDeclaration: no input panics; what is accepted is in range and
// its canonical bytes decode back to the same declaration, so the bytes a
// device signs and the bytes the server verifies cannot drift apart.
func FuzzDecodeDeclaration(f *testing.F) {
	f.Add([]byte(`{"device":"0190c3e1-7a2b-7c3d-8e4f-0123456789ab","page":1,"pages":2,` +
		`"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","signature":"c2ln",` +
		`"size":204800,"submission":"0190c3e1-7a2b-7c3d-8e4f-0123456789ab"}`))
	f.Add([]byte(`{"page":0}`))
	f.Add([]byte(`{"page":1,"pages":1,"size":409601}`))
	f.Add([]byte(`{"submission":"0190C3E1-7A2B-7C3D-8E4F-0123456789AB"}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := DecodeDeclaration(body)
		if err != nil {
			var e *siaga.Error
			if !asSiagaError(err, &e) || e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error %v is not a user-facing error in both languages", err)
			}
			return
		}
		if err := photos.Check(d); err != nil {
			t.Fatalf("accepted a declaration that fails Check: %v", err)
		}
		var back siaga.PhotoDeclaration
		dec := json.NewDecoder(bytes.NewReader(d.CanonicalBytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&back); err != nil {
			t.Fatalf("canonical bytes do not decode: %v", err)
		}
		back.Signature = d.Signature
		if back != *d {
			t.Fatalf("round trip: %+v != %+v", back, *d)
		}
	})
}

func asSiagaError(err error, target **siaga.Error) bool {
	e, ok := err.(*siaga.Error)
	*target = e
	return ok
}

func TestDeclarationCanonicalBytes(t *testing.T) {
	d := siaga.PhotoDeclaration{Device: "d", Page: 1, Pages: 2, SHA256: "ab", Size: 3, Submission: "s", Signature: "x"}
	want := `{"device":"d","page":1,"pages":2,"sha256":"ab","size":3,"submission":"s"}`
	if got := string(d.CanonicalBytes()); got != want {
		t.Errorf("canonical bytes\n got %s\nwant %s", got, want)
	}
}
