package auth

import (
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/deskpemilu/siaga"
)

// cheap keeps tests fast; the format and the code path are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("kotak-suara-desa-7", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want OWASP argon2id parameters in PHC format", h)
	}
	h2, err := HashPassword("kotak-suara-desa-7", "")
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestCheckPassword(t *testing.T) {
	h, err := hashPassword(argon2.IDKey, cheap, rand.Reader, "kotak-suara-desa-7", "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, encoded, pw string
		want              bool
		wantErr           bool
	}{
		{"right", h, "kotak-suara-desa-7", true, false},
		{"wrong", h, "kotak-suara-desa-8", false, false},
		{"empty", h, "", false, false},
		{"too long", h, strings.Repeat("x", maxPasswordLen+1), false, false},
		{"not phc", "plain", "kotak-suara-desa-7", false, true},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuu", "kotak-suara-desa-7", false, true},
		{"argon2i", strings.Replace(h, "argon2id", "argon2i", 1), "kotak-suara-desa-7", false, true},
		{"huge memory", strings.Replace(h, "m=64", "m=4000000000", 1), "kotak-suara-desa-7", false, true},
		{"zero time", strings.Replace(h, "t=1", "t=0", 1), "kotak-suara-desa-7", false, true},
		{"bad salt", strings.Replace(h, "$argon2id$v=19$m=64,t=1,p=1$", "$argon2id$v=19$m=64,t=1,p=1$!!", 1), "kotak-suara-desa-7", false, true},
		{"old version", strings.Replace(h, "v=19", "v=16", 1), "kotak-suara-desa-7", false, true},
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
		name, pw, username string
		ok                 bool
	}{
		{"11 characters", "rekap-des-7", "", false},
		{"12 characters", "rekap-desa-7", "", true},
		{"12 runes, more bytes", "sándíá-kåtx1", "", true},
		{"11 runes, 14 bytes: runes count", "sándíá-kåt1", "", false},
		{"at the limit", strings.Repeat("ab1cd2", maxPasswordLen/6) + strings.Repeat("x", maxPasswordLen%6), "", true},
		{"over the limit", strings.Repeat("ab1cd2", maxPasswordLen/6+1), "", false},
		{"listed (openwall)", "administrator", "", false},
		{"listed (indonesian)", "qweasdzxc123", "", false},
		{"listed (siaga)", "pemiluindonesia", "", false},
		{"listed, other case", "BismillahirRahmanirRahim", "", false},
		{"listed, with separators", "surat-suara.kotak_suara", "", true},
		{"listed, words spaced", "selamat datang", "", false},
		{"common word padded", "Bismillah2024!", "", false},
		{"indonesia padded", "indonesia2024", "", false},
		{"pemilu padded", "!!pemilu2024!!", "", false},
		{"siaga padded", "Siaga123456789", "", false},
		{"sayang padded", "sayang12345678", "", false},
		{"listed word twice", "sayangsayang", "", false},
		{"username", "operator.banten", "operator.banten", false},
		{"username padded", "operator.banten2024", "operator.banten", false},
		{"username other case", "Operator.Banten", "operator.banten", false},
		{"username twice", "ppk.sumurppk.sumur", "ppk.sumur", false},
		{"other username", "operator.banten", "ppk.sumur", true},
		{"few distinct characters", "121212121212", "", false},
		{"one character", "aaaaaaaaaaaaaaaa", "", false},
		{"digits in sequence", "123456789012", "", false},
		{"short word inside", "a1234567890xyz", "", true},
		{"phrase", "kotak suara di balai desa", "", true},
		{"random", "Xq7-vT2p-Lm9w", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := hashPassword(argon2.IDKey, cheap, rand.Reader, tt.pw, tt.username)
			if tt.ok && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !tt.ok {
				e, ok := err.(*siaga.Error)
				if !ok || e.Code != siaga.EInvalid || e.Field != "password" || !strings.Contains(e.Message, "Kata sandi") || e.MessageEN == "" {
					t.Fatalf("err = %#v, want EInvalid on password in Bahasa Indonesia and English", err)
				}
			}
		})
	}
}

// TestCommonPasswords checks that every list is read: a line of each.
func TestCommonPasswords(t *testing.T) {
	common := commonPasswords()
	if len(common) < 3500 {
		t.Errorf("%d common passwords, want the three lists (over 3,500)", len(common))
	}
	for _, pw := range []string{"password1", "sayangkamu", "bismillah", "pemilu2024", "siaga", "suratsuara"} {
		if _, ok := common[pw]; !ok {
			t.Errorf("%q is not on the lists", pw)
		}
	}
	for pw := range common {
		if strings.HasPrefix(pw, "#") || pw != normalPassword(pw) {
			t.Errorf("entry %q is not in normal form", pw)
		}
	}
}
