package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

const selectUser = "SELECT id, username, name, role, scope, password_hash, created_at FROM users"

// CreateUser stores u and sets u.ID.
func (db *DB) CreateUser(ctx context.Context, u *siaga.User) error {
	err := db.write.QueryRowContext(ctx, db.q(`INSERT INTO users (username, name, role, scope, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Username, u.Name, string(u.Role), u.Scope, u.PasswordHash, nanos(u.CreatedAt)).Scan(&u.ID)
	return db.conflict(err, "create user", "nama pengguna %q sudah dipakai", "username %q is taken", u.Username)
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
	rows, err := db.read.QueryContext(ctx, selectUser+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	var out []siaga.User
	for rows.Next() {
		var u siaga.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dst ...any) error }

func scanUser(s scanner, u *siaga.User) error {
	var at sql.NullInt64
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &u.Role, &u.Scope, &u.PasswordHash, &at); err != nil {
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

// CreateAPIToken stores t.
func (db *DB) CreateAPIToken(ctx context.Context, t *siaga.APIToken) error {
	_, err := db.write.ExecContext(ctx, db.q("INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)"),
		t.TokenHash, t.UserID, t.Name, nanos(t.CreatedAt))
	return db.conflict(err, "create api token", "token sudah ada", "token already exists")
}

// APITokenByHash returns the token.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*siaga.APIToken, error) {
	t := siaga.APIToken{TokenHash: hash}
	var at sql.NullInt64
	err := db.read.QueryRowContext(ctx, db.q("SELECT user_id, name, created_at FROM api_tokens WHERE token_hash = ?"), hash).
		Scan(&t.UserID, &t.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "token tidak ditemukan", "token not found")
	}
	if err != nil {
		return nil, fmt.Errorf("api token: %w", err)
	}
	t.CreatedAt = fromNanos(at)
	return &t, nil
}

// CreateEnrolment stores e.
func (db *DB) CreateEnrolment(ctx context.Context, e *siaga.Enrolment) error {
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO enrolments (code_hash, tps, role, issued_by, expires_at, used_at)
		VALUES (?, ?, ?, ?, ?, ?)`),
		e.CodeHash, e.TPS, string(e.Role), e.IssuedBy, nanos(e.ExpiresAt), nanos(e.UsedAt))
	return db.conflict(err, "create enrolment", "kode pendaftaran sudah ada", "enrolment code already exists")
}

// CreateEnrolments stores es in one transaction.
func (db *DB) CreateEnrolments(ctx context.Context, es []siaga.Enrolment) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO enrolments (code_hash, tps, role, issued_by, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return fmt.Errorf("prepare enrolment insert: %w", err)
		}
		defer stmt.Close()
		for _, e := range es {
			_, err := stmt.ExecContext(ctx, e.CodeHash, e.TPS, string(e.Role), e.IssuedBy, nanos(e.ExpiresAt), nanos(e.UsedAt))
			if err := db.conflict(err, "create enrolments", "kode pendaftaran sudah ada", "enrolment code already exists"); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimEnrolment uses the code and stores d in one transaction. The claim
// happens at d.EnrolledAt, or now when that is zero. d's TPS and role are
// taken from the enrolment, which is what the operator authorised.
func (db *DB) ClaimEnrolment(ctx context.Context, codeHash string, d *siaga.Device) (*siaga.Enrolment, error) {
	if d.EnrolledAt.IsZero() {
		d.EnrolledAt = time.Now().UTC()
	}
	now := nanos(d.EnrolledAt)
	e := siaga.Enrolment{CodeHash: codeHash, UsedAt: d.EnrolledAt}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var exp sql.NullInt64
		err := tx.QueryRowContext(ctx, db.q(`UPDATE enrolments SET used_at = ?
			WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING tps, role, issued_by, expires_at`), now, codeHash, now).
			Scan(&e.TPS, &e.Role, &e.IssuedBy, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return siaga.Errorf(siaga.EUnauthorized, "code", "kode pendaftaran tidak berlaku", "the enrolment code is unknown, used or expired")
		}
		if err != nil {
			return fmt.Errorf("claim enrolment: %w", err)
		}
		e.ExpiresAt = fromNanos(exp)
		d.TPS, d.Role = e.TPS, e.Role
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO devices (id, tps, role, public_key, secret, enrolled_at)
			VALUES (?, ?, ?, ?, ?, ?)`), d.ID, d.TPS, string(d.Role), d.PublicKey, d.Secret, now)
		return db.conflict(err, "insert device", "perangkat %s sudah terdaftar", "device %s is already enrolled", d.ID)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

const selectDevice = "SELECT id, tps, role, public_key, secret, enrolled_at FROM devices"

// DeviceByID returns the device.
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

// Devices returns every device ordered by id.
func (db *DB) Devices(ctx context.Context) ([]siaga.Device, error) {
	rows, err := db.read.QueryContext(ctx, selectDevice+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("query devices: %w", err)
	}
	defer rows.Close()
	var out []siaga.Device
	for rows.Next() {
		var d siaga.Device
		if err := scanDevice(rows, &d); err != nil {
			return nil, fmt.Errorf("scan device: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	return out, nil
}

func scanDevice(s scanner, d *siaga.Device) error {
	var at sql.NullInt64
	if err := s.Scan(&d.ID, &d.TPS, &d.Role, &d.PublicKey, &d.Secret, &at); err != nil {
		return err
	}
	d.EnrolledAt = fromNanos(at)
	return nil
}
