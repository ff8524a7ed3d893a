-- +goose Up
-- Times are Unix nanoseconds (NULL for the zero time); forms and rule lists
-- are JSON text. See package sqldb.

CREATE TABLE regions (
	code      TEXT PRIMARY KEY,
	parent    TEXT NOT NULL,
	level     INTEGER NOT NULL,
	name      TEXT NOT NULL,
	tps_count INTEGER NOT NULL,
	dpt       INTEGER NOT NULL,
	ord       INTEGER NOT NULL -- position in the saved registry: parents first
) WITHOUT ROWID;

CREATE TABLE tps (
	code         TEXT PRIMARY KEY,
	desa         TEXT NOT NULL,
	number       INTEGER NOT NULL,
	special      INTEGER NOT NULL,
	dpt          INTEGER NOT NULL,
	dpt_imported INTEGER NOT NULL,
	lat          REAL NOT NULL,
	lon          REAL NOT NULL,
	connectivity TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE election (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	body TEXT NOT NULL
);

-- seq is the rowid: with one writer and no deletes it grows in insertion
-- order, which is the replay order.
CREATE TABLE versions (
	seq          INTEGER PRIMARY KEY,
	submission   TEXT NOT NULL UNIQUE,
	tps          TEXT NOT NULL,
	contest      TEXT NOT NULL,
	source       TEXT NOT NULL,
	number       INTEGER NOT NULL,
	form         TEXT NOT NULL,
	rules        TEXT NOT NULL,
	author       TEXT NOT NULL,
	reason       TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	prev_hash    TEXT NOT NULL,
	hash         TEXT NOT NULL,
	received_at  INTEGER,
	UNIQUE (tps, contest, source, number)
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	scope         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    INTEGER
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at INTEGER
);

CREATE TABLE api_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	created_at INTEGER
);

CREATE TABLE enrolments (
	code_hash  TEXT PRIMARY KEY,
	tps        TEXT NOT NULL,
	role       TEXT NOT NULL,
	issued_by  INTEGER NOT NULL,
	expires_at INTEGER,
	used_at    INTEGER
);

CREATE TABLE devices (
	id          TEXT PRIMARY KEY,
	tps         TEXT NOT NULL,
	role        TEXT NOT NULL,
	public_key  BLOB,
	secret      BLOB,
	enrolled_at INTEGER
);

-- +goose Down
DROP TABLE devices;
DROP TABLE enrolments;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE versions;
DROP TABLE election;
DROP TABLE tps;
DROP TABLE regions;
