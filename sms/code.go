package sms

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
)

// CodeLen is the length of an authentication code: 8 Crockford base32
// characters, 40 bits. With the lockout after a few bad codes a guess
// succeeds about once in 10^11 tries.
const CodeLen = 8

// crockfordAlphabet leaves out I, L, O and U so that a code copied by hand
// survives the usual confusions (see crockford).
const crockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeContext separates SMS codes from any other use of the secret.
const codeContext = "siaga-sms-1\n"

// Code is the authentication code of a canonical SMS text (see
// Message.Canonical) from a device's enrolment secret: the first 40 bits
// of HMAC-SHA256(secret, "siaga-sms-1\n" + canonical) in Crockford base32.
func Code(secret []byte, canonical string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(codeContext))
	mac.Write([]byte(canonical))
	sum := mac.Sum(nil)
	var bits uint64
	for _, b := range sum[:5] {
		bits = bits<<8 | uint64(b)
	}
	out := make([]byte, CodeLen)
	for i := CodeLen - 1; i >= 0; i-- {
		out[i] = crockfordAlphabet[bits&31]
		bits >>= 5
	}
	return string(out)
}

// codeMatches compares in constant time.
func codeMatches(secret []byte, canonical, code string) bool {
	return hmac.Equal([]byte(Code(secret, canonical)), []byte(code))
}

// crockford normalises hand-typed Crockford base32: upper case, hyphens
// dropped, O read as 0 and I or L as 1.
func crockford(s string) string {
	return strings.NewReplacer("-", "", "O", "0", "I", "1", "L", "1").Replace(strings.ToUpper(s))
}

func isCrockford(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(crockfordAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}
