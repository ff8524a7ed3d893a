-- +goose Up
-- Signal surveys and interventions (package sqldb, connectivity.go). A
-- survey is a dated measurement and is never changed; an intervention's
-- status moves forward, each change in the audit log too. Neither refers
-- to the registry's tables: a survey of a TPS outlives a registry reload.
CREATE TABLE surveys (
	id           INTEGER PRIMARY KEY,
	tps          TEXT NOT NULL,
	operator     TEXT NOT NULL,
	tech         TEXT NOT NULL,
	rsrp         REAL,
	rssi         REAL,
	data_ok      BOOLEAN,
	down_kbps    REAL,
	up_kbps      REAL,
	rtt_ms       REAL,
	link         TEXT NOT NULL,
	lat          REAL NOT NULL,
	lon          REAL NOT NULL,
	surveyor     TEXT NOT NULL,
	source       TEXT NOT NULL,
	at           INTEGER,
	by_who       TEXT NOT NULL,
	intervention INTEGER NOT NULL
);

-- The staff's list pages a region's surveys by id.
CREATE INDEX surveys_tps ON surveys (tps, id);

CREATE TABLE interventions (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	tps        TEXT NOT NULL,
	site       TEXT NOT NULL,
	region     TEXT NOT NULL,
	lat        REAL NOT NULL,
	lon        REAL NOT NULL,
	radius_m   REAL NOT NULL,
	cost       INTEGER NOT NULL,
	owner      TEXT NOT NULL,
	status     TEXT NOT NULL,
	due        INTEGER,
	installed  INTEGER,
	note       TEXT NOT NULL,
	updated_at INTEGER,
	by_who     TEXT NOT NULL
);

CREATE INDEX interventions_region ON interventions (region, id);

-- +goose Down
DROP TABLE interventions;
DROP TABLE surveys;
