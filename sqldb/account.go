package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

const selectUser = "SELECT id, username, name, role, scope, party, agency, password_hash, created_at FROM users"

// CreateUser stores u, sets u.ID and appends audit in the same
// transaction.
func (db *DB) CreateUser(ctx context.Context, u *siaga.User, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO users (username, name, role, scope, party, agency, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			u.Username, u.Name, string(u.Role), u.Scope, string(u.Party), string(u.Agency), u.PasswordHash, nanos(u.CreatedAt)).Scan(&u.ID)
		if err := db.conflict(err, "create user", "nama pengguna %q sudah dipakai", "username %q is taken", u.Username); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// SetUserRole changes a user's role, scope and party and appends audit in
// the same transaction.
func (db *DB) SetUserRole(ctx context.Context, id int64, role siaga.Role, scope string, party siaga.PartyRef, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE users SET role = ?, scope = ?, party = ? WHERE id = ?"),
			string(role), scope, string(party), id)
		if err != nil {
			return fmt.Errorf("set role of user %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return siaga.Errorf(siaga.ENotFound, "", "pengguna %d tidak ditemukan", "user %d not found", id)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// SetUserAgency changes the agency a user works for ("" for its role's)
// and appends audit in the same transaction.
func (db *DB) SetUserAgency(ctx context.Context, id int64, agency siaga.Agency, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE users SET agency = ? WHERE id = ?"), string(agency), id)
		if err != nil {
			return fmt.Errorf("set agency of user %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return siaga.Errorf(siaga.ENotFound, "", "pengguna %d tidak ditemukan", "user %d not found", id)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// UserByUsername returns the user with that username.
func (db *DB) UserByUsername(ctx context.Context, username string) (*siaga.User, error) {
	return db.user(ctx, db.q(selectUser+" WHERE username = ?"), username)
}

// UserByID returns the user with that id.
func (db *DB) UserByID(ctx context.Context, id int64) (*siaga.User, error) {
	return db.user(ctx, db.q(selectUser+" WHERE id = ?"), id)
}

func (db *DB) user(ctx context.Context, query string, key any) (*siaga.User, error) {
	var u siaga.User
	err := scanUser(db.read.QueryRowContext(ctx, query, key), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "pengguna %v tidak ditemukan", "user %v not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("user %v: %w", key, err)
	}
	return &u, nil
}

// Users returns every user ordered by id.
func (db *DB) Users(ctx context.Context) ([]siaga.User, error) {
	return queryAll(ctx, db.read, "users", scanUser, selectUser+" ORDER BY id")
}

func scanUser(s scanner, u *siaga.User) error {
	var at sql.NullInt64
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &u.Role, &u.Scope, &u.Party, &u.Agency, &u.PasswordHash, &at); err != nil {
		return err
	}
	u.CreatedAt = fromNanos(at)
	return nil
}

// CreateSession stores s.
func (db *DB) CreateSession(ctx context.Context, s *siaga.Session) error {
	_, err := db.write.ExecContext(ctx, db.q("INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)"),
		s.TokenHash, s.UserID, s.CSRF, nanos(s.ExpiresAt))
	return db.conflict(err, "create session", "sesi sudah ada", "session already exists")
}

// SessionByTokenHash returns the session, expired or not: expiry is the
// caller's policy.
func (db *DB) SessionByTokenHash(ctx context.Context, hash string) (*siaga.Session, error) {
	s := siaga.Session{TokenHash: hash}
	var at sql.NullInt64
	err := db.read.QueryRowContext(ctx, db.q("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = ?"), hash).
		Scan(&s.UserID, &s.CSRF, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "sesi tidak ditemukan", "session not found")
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	s.ExpiresAt = fromNanos(at)
	return &s, nil
}

// DeleteSession removes the session; removing a missing one is not an
// error, so logging out twice is harmless.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if _, err := db.write.ExecContext(ctx, db.q("DELETE FROM sessions WHERE token_hash = ?"), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// CreateAPIToken stores t and appends audit in the same transaction.
func (db *DB) CreateAPIToken(ctx context.Context, t *siaga.APIToken, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO api_tokens (token_hash, user_id, name, prefix, created_at) VALUES (?, ?, ?, ?, ?)"),
			t.TokenHash, t.UserID, t.Name, t.Prefix, nanos(t.CreatedAt))
		if err := db.conflict(err, "create api token", "token sudah ada", "token already exists"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// DeleteExpiredSessions deletes the sessions expired at now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM sessions WHERE expires_at <= ?"), now.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

// SecretKeyCheck returns the stored check of the server key.
func (db *DB) SecretKeyCheck(ctx context.Context) (string, error) {
	var check string
	err := db.write.QueryRowContext(ctx, "SELECT check_value FROM secret_key_check WHERE id = 1").Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return "", siaga.Errorf(siaga.ENotFound, "", "kunci server belum tercatat", "no server key recorded yet")
	}
	if err != nil {
		return "", fmt.Errorf("secret key check: %w", err)
	}
	return check, nil
}

// InitSecretKeyCheck stores check unless one is stored, and returns the
// stored one.
func (db *DB) InitSecretKeyCheck(ctx context.Context, check string) (string, error) {
	_, err := db.write.ExecContext(ctx, db.q("INSERT INTO secret_key_check (id, check_value) VALUES (1, ?) ON CONFLICT (id) DO NOTHING"), check)
	if err != nil {
		return "", fmt.Errorf("store secret key check: %w", err)
	}
	return db.SecretKeyCheck(ctx)
}

const selectToken = "SELECT token_hash, user_id, name, prefix, created_at, revoked_at FROM api_tokens"

// APITokenByHash returns the token, revoked or not: refusing a revoked
// token is the caller's policy.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*siaga.APIToken, error) {
	var t siaga.APIToken
	err := scanToken(db.read.QueryRowContext(ctx, db.q(selectToken+" WHERE token_hash = ?"), hash), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "token tidak ditemukan", "token not found")
	}
	if err != nil {
		return nil, fmt.Errorf("api token: %w", err)
	}
	return &t, nil
}

// APITokens returns the tokens of one user (every user when userID is 0),
// oldest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]siaga.APIToken, error) {
	query, args := selectToken+" ORDER BY created_at, token_hash", []any(nil)
	if userID != 0 {
		query, args = selectToken+" WHERE user_id = ? ORDER BY created_at, token_hash", []any{userID}
	}
	return queryAll(ctx, db.read, "api tokens", scanToken, db.q(query), args...)
}

// RevokeAPIToken marks the token revoked at at and appends audit in the
// same transaction. Revoking a revoked token changes nothing and appends
// nothing.
func (db *DB) RevokeAPIToken(ctx context.Context, hash string, at time.Time, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL"),
			nanos(at), hash)
		if err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			var one int
			err := tx.QueryRowContext(ctx, db.q("SELECT 1 FROM api_tokens WHERE token_hash = ?"), hash).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return siaga.Errorf(siaga.ENotFound, "", "token tidak ditemukan", "token not found")
			}
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

func scanToken(s scanner, t *siaga.APIToken) error {
	var created, revoked sql.NullInt64
	if err := s.Scan(&t.TokenHash, &t.UserID, &t.Name, &t.Prefix, &created, &revoked); err != nil {
		return err
	}
	t.CreatedAt, t.RevokedAt = fromNanos(created), fromNanos(revoked)
	return nil
}

const insertEnrolment = `INSERT INTO enrolments (code_hash, tps, role, party, issued_by, expires_at, used_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

// CreateEnrolment stores e and appends audit in the same transaction.
func (db *DB) CreateEnrolment(ctx context.Context, e *siaga.Enrolment, audit ...siaga.AuditEvent) error {
	return db.CreateEnrolments(ctx, []siaga.Enrolment{*e}, audit...)
}

// CreateEnrolments stores es and appends audit in one transaction.
func (db *DB) CreateEnrolments(ctx context.Context, es []siaga.Enrolment, audit ...siaga.AuditEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.insertEnrolments(ctx, tx, es); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

func (db *DB) insertEnrolments(ctx context.Context, tx *sql.Tx, es []siaga.Enrolment) error {
	stmt, err := tx.PrepareContext(ctx, db.q(insertEnrolment))
	if err != nil {
		return fmt.Errorf("prepare enrolment insert: %w", err)
	}
	defer stmt.Close()
	for _, e := range es {
		_, err := stmt.ExecContext(ctx, e.CodeHash, e.TPS, string(e.Role), string(e.Party), e.IssuedBy, nanos(e.ExpiresAt), nanos(e.UsedAt))
		if err := db.conflict(err, "create enrolments", "kode pendaftaran sudah ada", "enrolment code already exists"); err != nil {
			return err
		}
	}
	return nil
}

// ClaimEnrolment uses the code and stores d in one transaction, with the
// audit entries audit (when not nil) makes of the claimed enrolment. The
// claim happens at d.EnrolledAt, or now when that is zero. d's TPS, role
// and party are taken from the enrolment, which is what the operator
// authorised.
func (db *DB) ClaimEnrolment(ctx context.Context, codeHash string, d *siaga.Device, audit func(*siaga.Enrolment) []siaga.AuditEvent) (*siaga.Enrolment, error) {
	if d.EnrolledAt.IsZero() {
		d.EnrolledAt = time.Now().UTC()
	}
	now := nanos(d.EnrolledAt)
	e := siaga.Enrolment{CodeHash: codeHash, UsedAt: d.EnrolledAt}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var exp sql.NullInt64
		err := tx.QueryRowContext(ctx, db.q(`UPDATE enrolments SET used_at = ?
			WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING tps, role, party, issued_by, expires_at`), now, codeHash, now).
			Scan(&e.TPS, &e.Role, &e.Party, &e.IssuedBy, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return siaga.Errorf(siaga.EUnauthorized, "code", "kode pendaftaran tidak berlaku", "the enrolment code is unknown, used or expired")
		}
		if err != nil {
			return fmt.Errorf("claim enrolment: %w", err)
		}
		e.ExpiresAt = fromNanos(exp)
		d.TPS, d.Role, d.Party = e.TPS, e.Role, e.Party
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO devices (id, tps, role, party, public_key, secret, enrolled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), d.ID, d.TPS, string(d.Role), string(d.Party), d.PublicKey, d.Secret, now)
		if err := db.conflict(err, "insert device", "perangkat %s sudah terdaftar", "device %s is already enrolled", d.ID); err != nil {
			return err
		}
		if audit == nil {
			return nil
		}
		return db.appendAudit(ctx, tx, audit(&e))
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

const selectDevice = "SELECT id, tps, role, party, public_key, secret, enrolled_at, revoked_at FROM devices"

// DeviceByID returns the device, revoked or not.
func (db *DB) DeviceByID(ctx context.Context, id string) (*siaga.Device, error) {
	var d siaga.Device
	err := scanDevice(db.read.QueryRowContext(ctx, db.q(selectDevice+" WHERE id = ?"), id), &d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "perangkat %s tidak ditemukan", "device %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", id, err)
	}
	return &d, nil
}

// Devices returns every device, revoked ones included, ordered by id.
func (db *DB) Devices(ctx context.Context) ([]siaga.Device, error) {
	return db.devices(ctx, selectDevice+" ORDER BY id")
}

// RevokedDevices returns the devices revoked at or after since, oldest
// revocation first.
func (db *DB) RevokedDevices(ctx context.Context, since time.Time) ([]siaga.Device, error) {
	return db.devices(ctx, db.q(selectDevice+" WHERE revoked_at >= ? ORDER BY revoked_at"), nanos(since))
}

func (db *DB) devices(ctx context.Context, query string, args ...any) ([]siaga.Device, error) {
	return queryAll(ctx, db.read, "devices", scanDevice, query, args...)
}

// RevokeDevice marks the device revoked at at, appends audit and tells
// the other nodes (Dialect.NotifyRevoked), all in one transaction. It
// returns the device as stored: a device revoked before keeps its first
// RevokedAt, and nothing is appended for it.
func (db *DB) RevokeDevice(ctx context.Context, id string, at time.Time, audit ...siaga.AuditEvent) (*siaga.Device, error) {
	var d siaga.Device
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), nanos(at), id)
		if err != nil {
			return fmt.Errorf("revoke device %s: %w", id, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("revoke device %s: %w", id, err)
		}
		err = scanDevice(tx.QueryRowContext(ctx, db.q(selectDevice+" WHERE id = ?"), id), &d)
		if errors.Is(err, sql.ErrNoRows) {
			return siaga.Errorf(siaga.ENotFound, "", "perangkat %s tidak ditemukan", "device %s not found", id)
		}
		if err != nil || n == 0 {
			return err
		}
		if db.dialect.NotifyRevoked != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.NotifyRevoked, id); err != nil {
				return fmt.Errorf("notify revocation of %s: %w", id, err)
			}
		}
		return db.appendAudit(ctx, tx, audit)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func scanDevice(s scanner, d *siaga.Device) error {
	var at, revoked sql.NullInt64
	if err := s.Scan(&d.ID, &d.TPS, &d.Role, &d.Party, &d.PublicKey, &d.Secret, &at, &revoked); err != nil {
		return err
	}
	d.EnrolledAt, d.RevokedAt = fromNanos(at), fromNanos(revoked)
	return nil
}
