package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// CreateUser validates and stores a new user with a hashed password.
func (s *Service) CreateUser(ctx context.Context, username, name, password string, role siaga.Role, scope string) (*siaga.User, error) {
	name = strings.TrimSpace(name)
	if err := validateUser(username, name, role, scope); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, password, username)
	if err != nil {
		return nil, err
	}
	u := &siaga.User{
		Username: username, Name: name, Role: role, Scope: scope,
		PasswordHash: hash, CreatedAt: s.Now().UTC(),
	}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("creating user %q: %w", username, err)
	}
	return u, nil
}

func validateUser(username, name string, role siaga.Role, scope string) error {
	if !validUsername(username) {
		return siaga.Errorf(siaga.EInvalid, "username",
			"Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung",
			"Username must be 3–32 characters: lower-case letters, digits, dot, underscore or hyphen")
	}
	if name == "" || len(name) > 200 {
		return siaga.Errorf(siaga.EInvalid, "name", "Nama wajib diisi (maksimal 200 karakter)",
			"Name is required (at most 200 characters)")
	}
	if !role.Valid() {
		return siaga.Errorf(siaga.EInvalid, "role", "Peran %q tidak dikenal", "Unknown role %q", role)
	}
	if !validScope(scope) {
		return siaga.Errorf(siaga.EInvalid, "scope",
			"Wilayah harus kosong atau kode wilayah 2, 4, 6, 10 atau 13 angka",
			"Scope must be empty or a region code of 2, 4, 6, 10 or 13 digits")
	}
	// A field officer with a wider scope could sign for TPS that are not
	// theirs.
	if role.SubmitSource() != "" && len(scope) != tpsCodeLen {
		return siaga.Errorf(siaga.EInvalid, "scope",
			"Peran %s harus dibatasi pada satu TPS (kode 13 angka)",
			"Role %s must be scoped to one TPS (13-digit code)", role)
	}
	return nil
}

const tpsCodeLen = 13

func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 32 {
		return false
	}
	for _, c := range []byte(u) {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// validScope accepts the lengths of the region hierarchy: province,
// kab/kota, kecamatan, desa and TPS.
func validScope(scope string) bool {
	switch len(scope) {
	case 0, 2, 4, 6, 10, tpsCodeLen:
	default:
		return false
	}
	return allDigits(scope)
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
