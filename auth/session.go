package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

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
// the cookie; only its hash is stored. addr is the client's address, for
// the throttle: too many failures at one username or from one address give
// ETooMany with how long to wait, and that attempt costs no hash.
func (s *Service) Login(ctx context.Context, username, password, addr string) (token string, sess *siaga.Session, user *siaga.User, err error) {
	now := s.Now()
	account := username
	if !validUsername(username) {
		account = "" // no such account; the address still counts
	}
	if wait, ok := s.Throttle.Try(account, addr, now); !ok {
		s.Logger.Warn("login throttled", "username", clip(username, 64), "addr", addr, "retry_after", wait.Round(time.Second))
		return "", nil, nil, errThrottled(wait)
	}
	user, err = s.authenticate(ctx, account, password)
	if err != nil {
		if siaga.ErrorCode(err) != siaga.EUnauthorized {
			s.Throttle.Refund(account, addr, false) // never checked: no guess was made
		}
		return "", nil, nil, err
	}
	s.Throttle.Refund(account, addr, true)
	if err := s.purgeSessions(ctx, now); err != nil {
		s.Logger.Warn("purging expired sessions at login", "err", err)
	}
	token, sess, err = s.newSession(ctx, user, now)
	if err != nil {
		return "", nil, nil, fmt.Errorf("login %q: %w", username, err)
	}
	return token, sess, user, nil
}

// authenticate returns the user whose password pw is, or errLogin.
func (s *Service) authenticate(ctx context.Context, username, password string) (*siaga.User, error) {
	if username == "" {
		return nil, errLogin() // not a username: nothing to hash against
	}
	user, err := s.Store.UserByUsername(ctx, username)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		// Spend the same time as for a real user before refusing.
		if _, err := s.check(ctx, s.dummy(), password); err != nil {
			return nil, err
		}
		return nil, errLogin()
	case err != nil:
		return nil, fmt.Errorf("login %q: %w", username, err)
	}
	ok, err := s.check(ctx, user.PasswordHash, password)
	switch {
	case siaga.ErrorCode(err) == siaga.EUnavailable:
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("login %q: %w", username, err)
	case !ok:
		return nil, errLogin()
	}
	return user, nil
}

func (s *Service) newSession(ctx context.Context, user *siaga.User, now time.Time) (string, *siaga.Session, error) {
	token, err := s.randomToken(tokenBytes)
	if err != nil {
		return "", nil, err
	}
	csrf, err := s.randomToken(tokenBytes)
	if err != nil {
		return "", nil, err
	}
	sess := &siaga.Session{
		TokenHash: hashSecret(token), UserID: user.ID, CSRF: csrf,
		ExpiresAt: now.Add(s.SessionTTL).UTC(),
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("storing session: %w", err)
	}
	return token, sess, nil
}

func errThrottled(wait time.Duration) error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	e := siaga.Errorf(siaga.ETooMany, "",
		"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam %d menit",
		"Too many failed login attempts; try again in %d minutes", minutes)
	e.RetryAfter = wait
	return e
}

// clip bounds what an anonymous caller can put into the log.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// PurgeSessions deletes the sessions that have expired. Login does it too;
// Run does it periodically, so that sessions nobody ends do not pile up.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	n, err := s.Store.DeleteExpiredSessions(ctx, s.Now())
	if err != nil {
		return 0, fmt.Errorf("purging expired sessions: %w", err)
	}
	return n, nil
}

func (s *Service) purgeSessions(ctx context.Context, now time.Time) error {
	_, err := s.Store.DeleteExpiredSessions(ctx, now)
	return err
}

// Run purges expired sessions every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
				s.Logger.Error("sessions", "err", err)
			} else if n > 0 {
				s.Logger.Info("expired sessions purged", "sessions", n)
			}
		}
	}
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
