-- +goose Up
-- Issue 9 (accounts, secrets at rest, SMS lock-out).
--
-- The SMS lock-out counts bad codes per number in one atomic upsert
-- (sqldb.AddSMSBadCode): a window opens at a number's first bad code.
-- Times are Unix nanoseconds.
CREATE TABLE sms_bad_codes (
	number   TEXT PRIMARY KEY,
	first_at BIGINT NOT NULL,
	bad      BIGINT NOT NULL
);
-- Expired sessions are purged periodically and at every login.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
-- What the database remembers of the server key it is used with
-- (auth.KeyCheck): one row.
CREATE TABLE secret_key_check (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	check_value TEXT NOT NULL
);
-- Devices enrolled from now on store no secret (it is derived from the
-- server key); rows enrolled before keep theirs and keep working.
-- Enrolment codes issued from now on are stored as HMAC-SHA256 under the
-- server key; unused codes issued before stay valid until they expire.

-- +goose Down
DROP TABLE secret_key_check;
DROP INDEX sessions_expires_at;
DROP TABLE sms_bad_codes;
