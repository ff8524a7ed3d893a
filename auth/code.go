package auth

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/deskpemilu/siaga"
)

// codeAlphabet is Crockford's base32: no I, L, O or U, so that a code read
// aloud over a bad phone line or copied off a whiteboard survives. 32
// symbols give 50 bits in 10 characters; codes are also one-time and
// short-lived.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const codeLen = 10

// newCode returns a random enrolment code in its canonical form (no dashes).
func newCode(r io.Reader) (string, error) {
	b := make([]byte, codeLen)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	for i := range b {
		// 256 is a multiple of 32: no modulo bias.
		b[i] = codeAlphabet[b[i]%32]
	}
	return string(b), nil
}

// FormatCode groups a canonical code for reading: "ABCD-EFGH-JK".
func FormatCode(code string) string {
	if len(code) != codeLen {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

// NormalizeCode turns a code as typed into its canonical form: case,
// spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1.
func NormalizeCode(typed string) (string, error) {
	var b strings.Builder
	b.Grow(codeLen)
	for _, c := range typed {
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if c > 'Z' || !strings.ContainsRune(codeAlphabet, c) || b.Len() >= codeLen {
			return "", errBadCode()
		}
		b.WriteRune(c)
	}
	if b.Len() != codeLen {
		return "", errBadCode()
	}
	return b.String(), nil
}

func errBadCode() error {
	return siaga.Errorf(siaga.EInvalid, "code",
		"Kode pendaftaran harus %d huruf/angka, contoh ABCD-EFGH-JK",
		"Enrolment code must be %d letters/digits, e.g. ABCD-EFGH-JK", codeLen)
}

// EnrolmentURI is what the operator's QR code holds: the field app's
// enrolment page with the code in the fragment, which browsers never send
// to a server or write to its logs.
func EnrolmentURI(code, baseURL string) string {
	return strings.TrimRight(baseURL, "/") + "/enrol#code=" + url.QueryEscape(FormatCode(code))
}
