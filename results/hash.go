package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/deskpemilu/siaga"
)

// chained is what a version's hash covers. It is built from the stored
// version alone, so anyone holding the published versions can recompute
// every hash and check that no version was altered or dropped.
type chained struct {
	PrevHash   string      `json:"prev_hash"`
	TPS        string      `json:"tps"`
	Contest    string      `json:"contest"`
	Source     string      `json:"source"`
	Version    int         `json:"version"`
	Submission string      `json:"submission"`
	Form       *siaga.Form `json:"form"`
	Author     string      `json:"author"`
	Reason     string      `json:"reason"`
	ReceivedAt string      `json:"received_at"`
}

// VersionHash returns the hex SHA-256 of v chained to v.PrevHash.
func VersionHash(v *siaga.Version) string {
	b, err := json.Marshal(chained{
		PrevHash: v.PrevHash, TPS: v.TPS, Contest: string(v.Contest), Source: string(v.Source),
		Version: v.Number, Submission: v.Submission, Form: &v.Form, Author: v.Author,
		Reason: v.Reason, ReceivedAt: v.ReceivedAt.UTC().Format(time.RFC3339Nano),
	})
	if err != nil {
		panic("results: encoding version for its hash: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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

// digest is a short fingerprint of a value's JSON encoding, used to tell
// whether two forms or vote sections are the same.
func digest(v any) uint64 {
	b, err := json.Marshal(v)
	if err != nil {
		panic("results: encoding for a digest: " + err.Error())
	}
	sum := sha256.Sum256(b)
	var d uint64
	for _, c := range sum[:8] {
		d = d<<8 | uint64(c)
	}
	return d
}
