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

// NewAPIToken issues a long-lived bearer token for user from the server's
// console (Console). The token is returned once; only its hash is stored.
func (s *Service) NewAPIToken(ctx context.Context, user *siaga.User, name string) (string, error) {
	return s.IssueAPIToken(ctx, Console(), user, name)
}

// prefixLen is how much of a token is kept in the clear to tell tokens
// apart: "sgt_" and 6 characters, 36 of its 256 bits.
const prefixLen = len(TokenPrefix) + 6

// IssueAPIToken issues a token for user: the user itself may, and admin.
func (s *Service) IssueAPIToken(ctx context.Context, by, user *siaga.User, name string) (string, error) {
	if by == nil || user == nil || user.ID == 0 {
		return "", errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", siaga.Errorf(siaga.EInvalid, "name", "Nama token wajib diisi (maksimal 100 karakter)",
			"Token name is required (at most 100 characters)")
	}
	if by.Role != siaga.RoleAdmin && by.ID != user.ID {
		return "", siaga.Errorf(siaga.EForbidden, "user", "Token hanya untuk akun sendiri", "a token only for one's own account")
	}
	r, err := s.randomToken(tokenBytes)
	if err != nil {
		return "", err
	}
	token := TokenPrefix + r
	t := &siaga.APIToken{TokenHash: hashSecret(token), UserID: user.ID, Name: name, Prefix: token[:prefixLen], CreatedAt: s.Now().UTC()}
	ev := siaga.AuditEvent{At: t.CreatedAt, Actor: Actor(by), Action: siaga.AuditTokenCreate, Subject: user.Username + "/" + name,
		Scope: user.Scope, Detail: siaga.AuditDetail(map[string]any{"prefix": t.Prefix})}
	if err := s.Store.CreateAPIToken(ctx, t, ev); err != nil {
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
	case err == nil && !t.RevokedAt.IsZero():
		return nil, errUnauthorized("token", "Token API sudah dicabut", "This API token has been revoked")
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

// FindAPIToken finds the one token that key names: the token itself, the
// prefix shown when it was made (at least "sgt_" and 4 characters), or its
// name among username's tokens.
func (s *Service) FindAPIToken(ctx context.Context, username, key string) (*siaga.APIToken, error) {
	if strings.HasPrefix(key, TokenPrefix) && len(key) > prefixLen {
		return s.Store.APITokenByHash(ctx, hashSecret(key))
	}
	var userID int64
	if username != "" {
		u, err := s.Store.UserByUsername(ctx, username)
		if err != nil {
			return nil, err
		}
		userID = u.ID
	}
	all, err := s.Store.APITokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	byPrefix := strings.HasPrefix(key, TokenPrefix) && len(key) >= len(TokenPrefix)+4
	var found []siaga.APIToken
	for _, t := range all {
		if byPrefix && strings.HasPrefix(t.Prefix, key) || !byPrefix && userID != 0 && t.Name == key {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return nil, siaga.Errorf(siaga.ENotFound, "token", "Token %q tidak ditemukan", "no token %q", key)
	case 1:
		return &found[0], nil
	}
	return nil, siaga.Errorf(siaga.EConflict, "token", "%d token cocok dengan %q; sebutkan lebih lengkap",
		"%d tokens match %q; be more specific", len(found), key)
}
