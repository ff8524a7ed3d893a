package bench

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/deskpemilu/siaga"
)

// reference is the irreducible work of an intake: decode the submission
// and verify its signature. Siaga's throughput is reported as a ratio to it.
type reference struct {
	keys map[string]ed25519.PublicKey // device id → key; read-only once serving
}

func (ref *reference) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var s siaga.Submission
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&s); err != nil {
		http.Error(w, `{"error":{"code":"invalid"}}`, http.StatusBadRequest)
		return
	}
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	pub, ok := ref.keys[s.Device]
	if err != nil || !ok || !ed25519.Verify(pub, s.CanonicalBytes(), sig) {
		http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"submission":%q,"tps":%q}`, s.ID, s.TPS)
}

// device is an enrolled field phone as the load generator holds it.
type device struct {
	id   string
	priv ed25519.PrivateKey
}

// signed returns the request body of s sent by d.
func signed(s siaga.Submission, d device) ([]byte, error) {
	s.Device = d.id
	s.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(d.priv, s.CanonicalBytes()))
	b, err := json.Marshal(&s)
	if err != nil {
		return nil, fmt.Errorf("encoding submission %s: %w", s.ID, err)
	}
	return b, nil
}
