-- +goose Up
-- Reports of trouble (issue 14; package sqldb, incident.go): one row per
-- report with where it stands in the workflow, its history in
-- incident_steps and its evidence files in incident_evidence. Times are
-- Unix nanoseconds. Reporter, phone, sender and the steps' texts are
-- staff data, never on a public route. client_id is NULL when the
-- reporter gave none (NULLs do not collide in the unique index).
-- duplicate_of is the id of the report heading a group of likely
-- duplicates, 0 for a head. evidence lists the evidence files' SHA-256,
-- comma separated, so that a list reads one row per report.
CREATE TABLE incidents (
	id             INTEGER PRIMARY KEY,
	client_id      TEXT,
	channel        TEXT NOT NULL,
	category       TEXT NOT NULL,
	severity       TEXT NOT NULL,
	occurred_at    INTEGER NOT NULL,
	reported_at    INTEGER NOT NULL,
	region         TEXT NOT NULL,
	tps            TEXT NOT NULL,
	lat            REAL NOT NULL,
	lon            REAL NOT NULL,
	placed         TEXT NOT NULL,
	title          TEXT NOT NULL,
	body           TEXT NOT NULL,
	reporter_user  INTEGER NOT NULL,
	reporter_device TEXT NOT NULL,
	reporter_name  TEXT NOT NULL,
	reporter_phone TEXT NOT NULL,
	sender         TEXT NOT NULL,
	status         TEXT NOT NULL,
	agency         TEXT NOT NULL,
	reason         TEXT NOT NULL,
	outcome        TEXT NOT NULL,
	duplicate_of   INTEGER NOT NULL,
	evidence       TEXT NOT NULL,
	updated_at     INTEGER NOT NULL,
	version        INTEGER NOT NULL
);
-- A replayed report (the field app's outbox, an SMS sent twice) is one row.
CREATE UNIQUE INDEX incidents_client_id ON incidents (client_id);
-- A region's reports by time (lists, the early-warning scan), by status
-- (the moderation queue) and by category (counts).
CREATE INDEX incidents_region ON incidents (region, occurred_at);
CREATE INDEX incidents_status ON incidents (status, id);
CREATE INDEX incidents_category ON incidents (category, occurred_at);
-- The public rate limit counts one sender's recent reports.
CREATE INDEX incidents_sender ON incidents (sender, reported_at);

-- Every step of a report: who did what, when (IncidentStep).
CREATE TABLE incident_steps (
	id        INTEGER PRIMARY KEY,
	incident  INTEGER NOT NULL REFERENCES incidents (id),
	at        INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	status    TEXT NOT NULL,
	agency    TEXT NOT NULL,
	body      TEXT NOT NULL,
	by_user   INTEGER NOT NULL,
	by_device TEXT NOT NULL,
	by_name   TEXT NOT NULL
);
CREATE INDEX incident_steps_incident ON incident_steps (incident, id);

-- Evidence files (photos, PDFs) by content hash: the same file sent twice
-- for one report is stored once.
CREATE TABLE incident_evidence (
	incident INTEGER NOT NULL REFERENCES incidents (id),
	sha256   TEXT NOT NULL,
	type     TEXT NOT NULL,
	data     BLOB NOT NULL,
	by_who   TEXT NOT NULL,
	at       INTEGER NOT NULL,
	PRIMARY KEY (incident, sha256)
);

-- The agency an account works for (User.Agency; '' means its role's).
ALTER TABLE users ADD COLUMN agency TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN agency;
DROP TABLE incident_evidence;
DROP TABLE incident_steps;
DROP TABLE incidents;
