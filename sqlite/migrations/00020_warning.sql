-- +goose Up
-- Early warning (package warning; sqldb/warning.go): the alerts a scan of
-- the verified incidents raised, who asked to be told, and each telling.
-- Times are Unix nanoseconds. incidents is a JSON array of incident ids.
-- note, phone and the notices are staff data, never on a public route.
CREATE TABLE warning_alerts (
	id         INTEGER PRIMARY KEY,
	rule       TEXT NOT NULL,
	category   TEXT NOT NULL,
	region     TEXT NOT NULL,
	lat        REAL NOT NULL,
	lon        REAL NOT NULL,
	radius_km  REAL NOT NULL,
	from_at    INTEGER NOT NULL,
	to_at      INTEGER NOT NULL,
	incidents  TEXT NOT NULL,
	usual      REAL NOT NULL,
	threshold  INTEGER NOT NULL,
	text       TEXT NOT NULL,
	en         TEXT NOT NULL,
	status     TEXT NOT NULL,
	raised_at  INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	by_who     TEXT NOT NULL,
	note       TEXT NOT NULL,
	version    INTEGER NOT NULL
);
-- A region's list, newest first, by kecamatan code prefix; the scan's
-- read of the open alerts by status.
CREATE INDEX warning_alerts_region ON warning_alerts (region, id);
CREATE INDEX warning_alerts_status ON warning_alerts (status, id);

CREATE TABLE warning_subscriptions (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL,
	region     TEXT NOT NULL,
	categories TEXT NOT NULL,
	phone      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX warning_subscriptions_user ON warning_subscriptions (user_id, id);

-- One row per alert told to one subscription; sent_at NULL with a phone:
-- still to go out by SMS (tries counts the attempts, error the last).
CREATE TABLE warning_notices (
	id           INTEGER PRIMARY KEY,
	alert        INTEGER NOT NULL,
	subscription INTEGER NOT NULL,
	user_id      INTEGER NOT NULL,
	phone        TEXT NOT NULL,
	text         TEXT NOT NULL,
	at           INTEGER NOT NULL,
	sent_at      INTEGER,
	tries        INTEGER NOT NULL,
	error        TEXT NOT NULL,
	read_at      INTEGER
);
CREATE INDEX warning_notices_user ON warning_notices (user_id, id);
CREATE INDEX warning_notices_unsent ON warning_notices (sent_at, id);

-- +goose Down
DROP TABLE warning_notices;
DROP TABLE warning_subscriptions;
DROP TABLE warning_alerts;
