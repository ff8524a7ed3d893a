package auth

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := newCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		n, err := NormalizeCode(FormatCode(c))
		if err != nil || n != c {
			t.Fatalf("NormalizeCode(FormatCode(%q)) = %q, %v", c, n, err)
		}
		seen[c] = true
	}
	if len(seen) != 1000 {
		t.Errorf("%d distinct codes of 1000", len(seen))
	}
	// Every symbol is reachable: bytes 0..255 cover the alphabet evenly.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	r := bytes.NewReader(all)
	counts := map[rune]int{}
	for range 256 / codeLen {
		c, err := newCode(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range c {
			counts[x]++
		}
	}
	if len(counts) != len(codeAlphabet) {
		t.Errorf("%d symbols used, want %d", len(counts), len(codeAlphabet))
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		typed, want string
	}{
		{"ABCD-EFGH-JK", "ABCDEFGHJK"},
		{"abcd efgh jk", "ABCDEFGHJK"},
		{"abcdefghjk", "ABCDEFGHJK"},
		{" AB-CD\tEF GH-JK ", "ABCDEFGHJK"},
		{"OOOO-IIII-LL", "0000111111"},
		{"oi1l-0000-00", "0111000000"},
		{"ABCD-EFGH-J", ""},       // short
		{"ABCD-EFGH-JKM", ""},     // long
		{"ABCD-EFGH-JU", ""},      // U is not in the alphabet
		{"ABCD-EFGH-J!", ""},      // punctuation
		{"ABCD-EFGH-JÄ", ""},      // non-ASCII
		{"ABCD-EFGH-J\uff2b", ""}, // full-width K
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			got, err := NormalizeCode(tt.typed)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizeCode(%q) = %q, want error", tt.typed, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeCode(%q) = %q, %v, want %q", tt.typed, got, err, tt.want)
			}
		})
	}
}

func TestEnrolmentURI(t *testing.T) {
	tests := []struct{ base, want string }{
		{"https://siaga.example/", "https://siaga.example/enrol#code=ABCD-EFGH-JK"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/enrol#code=ABCD-EFGH-JK"},
	}
	for _, tt := range tests {
		if got := EnrolmentURI("ABCDEFGHJK", tt.base); got != tt.want {
			t.Errorf("EnrolmentURI(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH-JK", "abcd efgh jk", "OIL0-1111-00", "", "ABCD-EFGH-JU", "ä"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		n, err := NormalizeCode(typed)
		if err != nil {
			return
		}
		if len(n) != codeLen {
			t.Fatalf("NormalizeCode(%q) = %q: length %d", typed, n, len(n))
		}
		for _, c := range n {
			if !strings.ContainsRune(codeAlphabet, c) {
				t.Fatalf("NormalizeCode(%q) = %q: %q not in alphabet", typed, n, c)
			}
		}
		// Canonical is a fixed point, however it is written out again.
		for _, again := range []string{n, FormatCode(n), strings.ToLower(FormatCode(n))} {
			if m, err := NormalizeCode(again); err != nil || m != n {
				t.Fatalf("NormalizeCode(%q) = %q, %v; want %q", again, m, err, n)
			}
		}
		// Case never matters.
		if m, err := NormalizeCode(strings.ToLower(typed)); err != nil || m != n {
			t.Fatalf("lower-case %q gives %q, %v; want %q", typed, m, err, n)
		}
	})
}
