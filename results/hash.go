package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/deskpemilu/siaga"
)

// body is what a version's hash covers besides its place in the chain.
// It is built from the stored version alone, so anyone holding the
// published versions can recompute every hash and check that no version
// was altered or dropped.
type body struct {
	TPS        string `json:"tps"`
	Contest    string `json:"contest"`
	Source     string `json:"source"`
	Submission string `json:"submission"`
	Author     string `json:"author"`
	Reason     string `json:"reason"`
	ReceivedAt string `json:"received_at"`
}

// bodyDigest is SHA-256 over the JSON of the version's fields followed by
// the canonical JSON of its form (formJSON, v.Form.CanonicalBytes()).
func bodyDigest(v *siaga.Version, formJSON []byte) [32]byte {
	b, err := json.Marshal(body{
		TPS: v.TPS, Contest: string(v.Contest), Source: string(v.Source), Submission: v.Submission,
		Author: v.Author, Reason: v.Reason, ReceivedAt: v.ReceivedAt.UTC().Format(time.RFC3339Nano),
	})
	if err != nil {
		panic("results: encoding a version for its hash: " + err.Error())
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte("\n"))
	h.Write(formJSON)
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// chainHash links a body to the version before it: hex SHA-256 of
// "prev_hash\nversion\nhex(body digest)".
func chainHash(prev string, number int, body [32]byte) string {
	sum := sha256.Sum256([]byte(prev + "\n" + strconv.Itoa(number) + "\n" + hex.EncodeToString(body[:])))
	return hex.EncodeToString(sum[:])
}

// VersionHash returns the hex SHA-256 of v chained to v.PrevHash.
func VersionHash(v *siaga.Version) string {
	return chainHash(v.PrevHash, v.Number, bodyDigest(v, v.Form.CanonicalBytes()))
}

// VerifyChain checks that every version of one history (oldest first)
// names the hash of the one before and that its own hash is right. It
// returns the number of the first bad version, or 0 when all are good.
func VerifyChain(history []siaga.Version) int {
	prev := ""
	for i := range history {
		v := &history[i]
		if v.PrevHash != prev || VersionHash(v) != v.Hash || v.Number != i+1 {
			return v.Number
		}
		prev = v.Hash
	}
	return 0
}

// digestBytes is a short fingerprint of encoded bytes.
func digestBytes(b []byte) uint64 {
	sum := sha256.Sum256(b)
	var d uint64
	for _, c := range sum[:8] {
		d = d<<8 | uint64(c)
	}
	return d
}
