-- +goose Up
-- Signal surveys and interventions (package sqldb, connectivity.go). A
-- survey is a dated measurement and is never changed; an intervention's
-- status moves forward, each change in the audit log too. Neither refers
-- to the registry's tables: a survey of a TPS outlives a registry reload.
CREATE TABLE surveys (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tps          TEXT NOT NULL,
	operator     TEXT NOT NULL,
	tech         TEXT NOT NULL,
	rsrp         DOUBLE PRECISION,
	rssi         DOUBLE PRECISION,
	data_ok      BOOLEAN,
	down_kbps    DOUBLE PRECISION,
	up_kbps      DOUBLE PRECISION,
	rtt_ms       DOUBLE PRECISION,
	link         TEXT NOT NULL,
	lat          DOUBLE PRECISION NOT NULL,
	lon          DOUBLE PRECISION NOT NULL,
	surveyor     TEXT NOT NULL,
	source       TEXT NOT NULL,
	at           BIGINT,
	by_who       TEXT NOT NULL,
	intervention BIGINT NOT NULL
);

-- The staff's list pages a region's surveys by id.
CREATE INDEX surveys_tps ON surveys (tps, id);

CREATE TABLE interventions (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind       TEXT NOT NULL,
	tps        TEXT NOT NULL,
	site       TEXT NOT NULL,
	region     TEXT NOT NULL,
	lat        DOUBLE PRECISION NOT NULL,
	lon        DOUBLE PRECISION NOT NULL,
	radius_m   DOUBLE PRECISION NOT NULL,
	cost       BIGINT NOT NULL,
	owner      TEXT NOT NULL,
	status     TEXT NOT NULL,
	due        BIGINT,
	installed  BIGINT,
	note       TEXT NOT NULL,
	updated_at BIGINT,
	by_who     TEXT NOT NULL
);

CREATE INDEX interventions_region ON interventions (region, id);

-- +goose Down
DROP TABLE interventions;
DROP TABLE surveys;
