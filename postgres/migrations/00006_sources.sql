-- +goose Up
-- Independent sources (issue 9): the party or ticket of witness
-- coordinators and their devices, revocation of devices and API tokens,
-- and the append-only audit log (package sqldb, audit.go).

ALTER TABLE users ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolments ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
-- Other nodes ask for the devices revoked since they last looked.
CREATE INDEX devices_revoked ON devices (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Each entry names the hash of the one before: the UNIQUE prev_hash makes
-- a fork impossible even if two writers raced.
CREATE TABLE audit (
	seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at        BIGINT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	scope     TEXT COLLATE "C" NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL UNIQUE,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_scope ON audit (scope, seq);
CREATE INDEX audit_action ON audit (action, seq);

-- The store only appends; this refuses anyone who tries otherwise through
-- SQL (TRUNCATE included), so that a change needs the owner to drop the
-- trigger first, and then breaks the hash chain.
-- +goose StatementBegin
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- +goose Down
DROP TRIGGER audit_no_truncate ON audit;
DROP TRIGGER audit_no_change ON audit;
DROP FUNCTION audit_append_only();
DROP TABLE audit;
DROP INDEX api_tokens_user;
DROP INDEX devices_revoked;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN prefix;
ALTER TABLE devices DROP COLUMN revoked_at;
ALTER TABLE devices DROP COLUMN party;
ALTER TABLE enrolments DROP COLUMN party;
ALTER TABLE users DROP COLUMN party;
