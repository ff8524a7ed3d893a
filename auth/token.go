package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// TokenPrefix marks API tokens so that secret scanners and people
// recognise a leaked one.
const TokenPrefix = "sgt_"

// NewAPIToken issues a long-lived bearer token for user. The token is
// returned once; only its hash is stored.
func (s *Service) NewAPIToken(ctx context.Context, user *siaga.User, name string) (string, error) {
	if user == nil || user.ID == 0 {
		return "", errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", siaga.Errorf(siaga.EInvalid, "name", "Nama token wajib diisi (maksimal 100 karakter)",
			"Token name is required (at most 100 characters)")
	}
	r, err := s.randomToken(tokenBytes)
	if err != nil {
		return "", err
	}
	token := TokenPrefix + r
	t := &siaga.APIToken{TokenHash: hashSecret(token), UserID: user.ID, Name: name, CreatedAt: s.Now().UTC()}
	if err := s.Store.CreateAPIToken(ctx, t); err != nil {
		return "", fmt.Errorf("storing API token %q: %w", name, err)
	}
	return token, nil
}

// TokenUser returns the user of an API token.
func (s *Service) TokenUser(ctx context.Context, token string) (*siaga.User, error) {
	bad := errUnauthorized("token", "Token API tidak berlaku", "Invalid API token")
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, bad
	}
	t, err := s.Store.APITokenByHash(ctx, hashSecret(token))
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, bad
	case err != nil:
		return nil, fmt.Errorf("looking up API token: %w", err)
	}
	user, err := s.Store.UserByID(ctx, t.UserID)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, bad
	case err != nil:
		return nil, fmt.Errorf("looking up user of API token: %w", err)
	}
	return user, nil
}
