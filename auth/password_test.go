package auth

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

// cheap keeps tests fast; the format and the code path are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("kotak-suara-2024")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want OWASP argon2id parameters in PHC format", h)
	}
	h2, err := HashPassword("kotak-suara-2024")
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestCheckPassword(t *testing.T) {
	h, err := hashPassword(cheap, rand.Reader, "kotak-suara-2024")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, encoded, pw string
		want              bool
		wantErr           bool
	}{
		{"right", h, "kotak-suara-2024", true, false},
		{"wrong", h, "kotak-suara-2025", false, false},
		{"empty", h, "", false, false},
		{"too long", h, strings.Repeat("x", maxPasswordLen+1), false, false},
		{"not phc", "plain", "kotak-suara-2024", false, true},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuu", "kotak-suara-2024", false, true},
		{"argon2i", strings.Replace(h, "argon2id", "argon2i", 1), "kotak-suara-2024", false, true},
		{"huge memory", strings.Replace(h, "m=64", "m=4000000000", 1), "kotak-suara-2024", false, true},
		{"zero time", strings.Replace(h, "t=1", "t=0", 1), "kotak-suara-2024", false, true},
		{"bad salt", strings.Replace(h, "$argon2id$v=19$m=64,t=1,p=1$", "$argon2id$v=19$m=64,t=1,p=1$!!", 1), "kotak-suara-2024", false, true},
		{"old version", strings.Replace(h, "v=19", "v=16", 1), "kotak-suara-2024", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPassword(tt.encoded, tt.pw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"123456789", false},
		{"1234567890", true},
		{"sándíá-kåt", true}, // 10 runes, more bytes
		{"sándíá-kå", false}, // 9 runes, 11 bytes: runes count
		{strings.Repeat("a", maxPasswordLen), true},
		{strings.Repeat("a", maxPasswordLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.pw[:min(len(tt.pw), 12)], func(t *testing.T) {
			_, err := hashPassword(cheap, rand.Reader, tt.pw)
			if tt.ok && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !tt.ok {
				e, ok := err.(*siaga.Error)
				if !ok || e.Code != siaga.EInvalid || e.Field != "password" || !strings.Contains(e.Message, "Kata sandi") {
					t.Fatalf("err = %#v, want EInvalid on password in Bahasa Indonesia", err)
				}
			}
		})
	}
}
