-- +goose Up
-- Sentra Gakkumdu cases (package sqldb, gakkumdu.go; root gakkumdu.go).
-- A case refers to an incident by id (no foreign key: the incident table
-- is another migration's, and a case outlives nothing of it). Times are
-- Unix nanoseconds. due is the running stage's deadline, NULL once the
-- case has ended, so that "overdue" is a condition in the store.
CREATE TABLE gakkumdu_cases (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident    BIGINT NOT NULL,
	region      TEXT NOT NULL,
	origin      TEXT NOT NULL,
	title       TEXT NOT NULL,
	suspect     TEXT NOT NULL,
	article     TEXT NOT NULL,
	known_at    BIGINT NOT NULL,
	stage       TEXT NOT NULL,
	stage_at    BIGINT NOT NULL,
	due         BIGINT,
	outcome     TEXT NOT NULL,
	by_who      TEXT NOT NULL,
	created     BIGINT NOT NULL,
	version     BIGINT NOT NULL
);
CREATE INDEX gakkumdu_cases_region ON gakkumdu_cases (region);
CREATE INDEX gakkumdu_cases_incident ON gakkumdu_cases (incident);

-- Every stage a case entered, in order.
CREATE TABLE gakkumdu_steps (
	case_id     BIGINT NOT NULL REFERENCES gakkumdu_cases (id),
	seq         BIGINT NOT NULL,
	stage       TEXT NOT NULL,
	at          BIGINT NOT NULL,
	due         BIGINT,
	note        TEXT NOT NULL,
	by_who      TEXT NOT NULL,
	agency      TEXT NOT NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (case_id, seq)
);

-- The documents of each stage, their bytes in the row: a case has a few.
CREATE TABLE gakkumdu_documents (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES gakkumdu_cases (id),
	stage   TEXT NOT NULL,
	name    TEXT NOT NULL,
	type    TEXT NOT NULL,
	size    BIGINT NOT NULL,
	sha256  TEXT NOT NULL,
	data    BYTEA NOT NULL,
	by_who  TEXT NOT NULL,
	at      BIGINT NOT NULL
);
CREATE INDEX gakkumdu_documents_case ON gakkumdu_documents (case_id, id);

-- The overdue alerts: one per (case, stage), whichever node raised it.
CREATE TABLE gakkumdu_alerts (
	case_id BIGINT NOT NULL REFERENCES gakkumdu_cases (id),
	stage   TEXT NOT NULL,
	region  TEXT NOT NULL,
	title   TEXT NOT NULL,
	due     BIGINT NOT NULL,
	at      BIGINT NOT NULL,
	PRIMARY KEY (case_id, stage)
);

-- +goose Down
DROP TABLE gakkumdu_alerts;
DROP TABLE gakkumdu_documents;
DROP TABLE gakkumdu_steps;
DROP TABLE gakkumdu_cases;
