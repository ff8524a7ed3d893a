package auth

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/deskpemilu/siaga"
)

const tokenBytes = 32

// errLogin is the one answer to a failed login, so that it does not reveal
// which usernames exist.
func errLogin() error {
	return errUnauthorized("", "Nama pengguna atau kata sandi salah", "Wrong username or password")
}

func errSession() error {
	return errUnauthorized("", "Sesi tidak berlaku atau sudah habis; silakan masuk lagi",
		"Session invalid or expired; please log in again")
}

// Login checks the password and starts a session. token is the secret for
// the cookie; only its hash is stored.
func (s *Service) Login(ctx context.Context, username, password string) (token string, sess *siaga.Session, user *siaga.User, err error) {
	user, err = s.Store.UserByUsername(ctx, username)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		// Spend the same time as for a real user before refusing.
		_, _ = CheckPassword(s.dummy(), password)
		return "", nil, nil, errLogin()
	case err != nil:
		return "", nil, nil, fmt.Errorf("login %q: %w", username, err)
	}
	ok, err := CheckPassword(user.PasswordHash, password)
	if err != nil {
		return "", nil, nil, fmt.Errorf("login %q: %w", username, err)
	}
	if !ok {
		return "", nil, nil, errLogin()
	}
	token, err = s.randomToken(tokenBytes)
	if err != nil {
		return "", nil, nil, err
	}
	csrf, err := s.randomToken(tokenBytes)
	if err != nil {
		return "", nil, nil, err
	}
	sess = &siaga.Session{
		TokenHash: hashSecret(token), UserID: user.ID, CSRF: csrf,
		ExpiresAt: s.Now().Add(s.SessionTTL).UTC(),
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", nil, nil, fmt.Errorf("login %q: storing session: %w", username, err)
	}
	return token, sess, user, nil
}

// SessionUser returns the user and session of a session token.
func (s *Service) SessionUser(ctx context.Context, token string) (*siaga.User, *siaga.Session, error) {
	if token == "" {
		return nil, nil, errSession()
	}
	hash := hashSecret(token)
	sess, err := s.Store.SessionByTokenHash(ctx, hash)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, nil, errSession()
	case err != nil:
		return nil, nil, fmt.Errorf("looking up session: %w", err)
	}
	if !s.Now().Before(sess.ExpiresAt) {
		// Best effort: an expired row is refused whether or not it goes.
		_ = s.Store.DeleteSession(ctx, hash)
		return nil, nil, errSession()
	}
	user, err := s.Store.UserByID(ctx, sess.UserID)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, nil, errSession()
	case err != nil:
		return nil, nil, fmt.Errorf("looking up user of session: %w", err)
	}
	return user, sess, nil
}

// Logout ends the session of token. Ending an unknown session is not an
// error: the user is logged out either way.
func (s *Service) Logout(ctx context.Context, token string) error {
	err := s.Store.DeleteSession(ctx, hashSecret(token))
	if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// CheckCSRF reports whether token is the CSRF token of sess.
func CheckCSRF(sess *siaga.Session, token string) bool {
	if sess == nil || sess.CSRF == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(token)) == 1
}
