-- +goose Up
-- Independent sources (issue 9): the party or ticket of witness
-- coordinators and their devices, revocation of devices and API tokens,
-- and the append-only audit log (package sqldb, audit.go).

ALTER TABLE users ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolments ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN revoked_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
-- Other nodes and processes ask for the devices revoked since they last
-- looked.
CREATE INDEX devices_revoked ON devices (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Each entry names the hash of the one before: the UNIQUE prev_hash makes
-- a fork impossible even if two writers raced.
CREATE TABLE audit (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	scope     TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL UNIQUE,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_scope ON audit (scope, seq);
CREATE INDEX audit_action ON audit (action, seq);

-- The store only appends; these refuse anyone who tries otherwise through
-- SQL, so that a change needs the database file itself, and then breaks
-- the hash chain.
-- +goose StatementBegin
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_no_delete;
DROP TRIGGER audit_no_update;
DROP TABLE audit;
DROP INDEX api_tokens_user;
DROP INDEX devices_revoked;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN prefix;
ALTER TABLE devices DROP COLUMN revoked_at;
ALTER TABLE devices DROP COLUMN party;
ALTER TABLE enrolments DROP COLUMN party;
ALTER TABLE users DROP COLUMN party;
