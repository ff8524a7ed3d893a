-- +goose Up
-- Times are Unix nanoseconds (NULL for the zero time); forms and rule lists
-- are JSON text. See package sqldb.

CREATE TABLE regions (
	code      TEXT PRIMARY KEY,
	parent    TEXT NOT NULL,
	level     BIGINT NOT NULL,
	name      TEXT NOT NULL,
	tps_count BIGINT NOT NULL,
	dpt       BIGINT NOT NULL,
	ord       BIGINT NOT NULL -- position in the saved registry: parents first
);

CREATE TABLE tps (
	code         TEXT COLLATE "C" PRIMARY KEY,
	desa         TEXT NOT NULL,
	number       BIGINT NOT NULL,
	special      BOOLEAN NOT NULL,
	dpt          BIGINT NOT NULL,
	dpt_imported BOOLEAN NOT NULL,
	lat          DOUBLE PRECISION NOT NULL,
	lon          DOUBLE PRECISION NOT NULL,
	connectivity TEXT NOT NULL
);

CREATE TABLE election (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	body TEXT NOT NULL
);

-- seq comes from an identity sequence: with one writer it grows in
-- insertion order, which is the replay order.
CREATE TABLE versions (
	seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	submission   TEXT NOT NULL UNIQUE,
	tps          TEXT COLLATE "C" NOT NULL,
	contest      TEXT NOT NULL,
	source       TEXT NOT NULL,
	number       BIGINT NOT NULL,
	form         TEXT NOT NULL,
	rules        TEXT NOT NULL,
	author       TEXT NOT NULL,
	reason       TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	prev_hash    TEXT NOT NULL,
	hash         TEXT NOT NULL,
	received_at  BIGINT,
	UNIQUE (tps, contest, source, number)
);

CREATE TABLE users (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	scope         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    BIGINT
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at BIGINT
);

CREATE TABLE api_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	created_at BIGINT
);

CREATE TABLE enrolments (
	code_hash  TEXT PRIMARY KEY,
	tps        TEXT NOT NULL,
	role       TEXT NOT NULL,
	issued_by  BIGINT NOT NULL,
	expires_at BIGINT,
	used_at    BIGINT
);

CREATE TABLE devices (
	id          TEXT PRIMARY KEY,
	tps         TEXT NOT NULL,
	role        TEXT NOT NULL,
	public_key  BYTEA,
	secret      BYTEA,
	enrolled_at BIGINT
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
