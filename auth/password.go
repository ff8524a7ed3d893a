package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/deskpemilu/siaga"
)

// Params are the argon2id cost parameters of new password hashes. Stored
// hashes carry their own parameters, so raising these later does not lock
// anyone out.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams follow the OWASP Password Storage Cheat Sheet (argon2id,
// m=19 MiB, t=2, p=1): a login costs tens of milliseconds and 19 MiB, which
// a laptop at the desk can afford for a few hundred operators.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

const (
	// minPasswordLen follows NIST SP 800-63B's advice to prefer length
	// over composition rules; together with the list of common passwords
	// it leaves guessing to chance.
	minPasswordLen = 12
	// maxPasswordLen bounds the work an anonymous login can ask for.
	maxPasswordLen = 1024
	// maxMemory refuses stored hashes that would exhaust the server.
	maxMemory = 1 << 21 // 2 GiB in KiB
)

var b64 = base64.RawStdEncoding

// idKeyFunc is argon2.IDKey's signature: the one costly step, which tests
// replace to watch how many run at once.
type idKeyFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

// HashPassword hashes pw with DefaultParams. The username, when known,
// is refused as the password.
func HashPassword(pw, username string) (string, error) {
	return hashPassword(argon2.IDKey, DefaultParams(), rand.Reader, pw, username)
}

func hashPassword(idKey idKeyFunc, p Params, r io.Reader, pw, username string) (string, error) {
	if err := checkPasswordPolicy(pw, username); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := io.ReadFull(r, salt); err != nil {
		return "", fmt.Errorf("reading salt: %w", err)
	}
	key := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func checkPasswordPolicy(pw, username string) error {
	n := utf8.RuneCountInString(pw)
	if n < minPasswordLen {
		return siaga.Errorf(siaga.EInvalid, "password",
			"Kata sandi minimal %d karakter", "Password must be at least %d characters", minPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return siaga.Errorf(siaga.EInvalid, "password",
			"Kata sandi maksimal %d karakter", "Password must be at most %d characters", maxPasswordLen)
	}
	if guessable(pw, username) {
		return siaga.Errorf(siaga.EInvalid, "password",
			"Kata sandi terlalu mudah ditebak: termasuk yang paling sering dipakai, sama dengan nama pengguna, atau hanya mengulang beberapa karakter. Pilih kalimat yang hanya Anda ketahui",
			"Password is too easy to guess: it is among the most used, equals the username, or repeats a few characters. Choose a phrase only you know")
	}
	return nil
}

// CheckPassword reports whether pw matches encoded, a PHC string made by
// HashPassword. An error means encoded is not a usable hash.
func CheckPassword(encoded, pw string) (bool, error) {
	return checkPassword(argon2.IDKey, encoded, pw)
}

func checkPassword(idKey idKeyFunc, encoded, pw string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > maxPasswordLen {
		return false, nil
	}
	got := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func decodeHash(encoded string) (Params, []byte, []byte, error) {
	var p Params
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("password hash: not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash: unsupported version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash: parameters %q: %w", parts[3], err)
	}
	if p.Memory < 8 || p.Memory > maxMemory || p.Time < 1 || p.Threads < 1 {
		return p, nil, nil, fmt.Errorf("password hash: parameters %q out of range", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("password hash: salt: %w", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("password hash: bad key")
	}
	return p, salt, key, nil
}
