-- +goose Up
-- The disaster module (package sqldb, disaster.go and location.go).

-- An imported GeoJSON file of hazard zones; synthetic marks one made up
-- for a demo or a benchmark.
CREATE TABLE hazard_layers (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name        TEXT NOT NULL,
	source      TEXT NOT NULL,
	date        BIGINT,
	imported_at BIGINT,
	imported_by TEXT NOT NULL,
	synthetic   BOOLEAN NOT NULL,
	features    BIGINT NOT NULL
);

-- One feature of a layer. The geometry is its GeoJSON, read back by
-- package geo: the database never looks inside it.
CREATE TABLE hazard_zones (
	layer    BIGINT NOT NULL,
	feature  BIGINT NOT NULL,
	type     TEXT NOT NULL,
	class    TEXT NOT NULL,
	source   TEXT NOT NULL,
	date     BIGINT,
	geometry BYTEA NOT NULL,
	PRIMARY KEY (layer, feature)
);

-- Every place a TPS stood, appended: the newest is where it stands, the
-- older ones are its history (a TPS keeps its code when it moves).
CREATE TABLE tps_locations (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tps     TEXT NOT NULL,
	lat     DOUBLE PRECISION NOT NULL,
	lon     DOUBLE PRECISION NOT NULL,
	address TEXT NOT NULL,
	source  TEXT NOT NULL,
	at      BIGINT,
	by_     TEXT NOT NULL
);

CREATE INDEX tps_locations_tps ON tps_locations (tps, id);

-- A decision that moved a TPS, with its legal trail.
CREATE TABLE relocations (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tps            TEXT NOT NULL,
	from_lat       DOUBLE PRECISION NOT NULL,
	from_lon       DOUBLE PRECISION NOT NULL,
	from_address   TEXT NOT NULL,
	site           TEXT NOT NULL,
	to_lat         DOUBLE PRECISION NOT NULL,
	to_lon         DOUBLE PRECISION NOT NULL,
	to_address     TEXT NOT NULL,
	reason         TEXT NOT NULL,
	decider        TEXT NOT NULL,
	decider_office TEXT NOT NULL,
	decided        BIGINT,
	letter         TEXT NOT NULL,
	by_            TEXT NOT NULL,
	at             BIGINT
);

CREATE INDEX relocations_tps ON relocations (tps, id);

-- +goose Down
DROP TABLE relocations;
DROP TABLE tps_locations;
DROP TABLE hazard_zones;
DROP TABLE hazard_layers;
