-- +goose Up
-- The disaster module (package sqldb, disaster.go and location.go).

-- An imported GeoJSON file of hazard zones; synthetic marks one made up
-- for a demo or a benchmark.
CREATE TABLE hazard_layers (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	source      TEXT NOT NULL,
	date        INTEGER,
	imported_at INTEGER,
	imported_by TEXT NOT NULL,
	synthetic   INTEGER NOT NULL,
	features    INTEGER NOT NULL
);

-- One feature of a layer. The geometry is its GeoJSON, read back by
-- package geo: the database never looks inside it.
CREATE TABLE hazard_zones (
	layer    INTEGER NOT NULL,
	feature  INTEGER NOT NULL,
	type     TEXT NOT NULL,
	class    TEXT NOT NULL,
	source   TEXT NOT NULL,
	date     INTEGER,
	geometry BLOB NOT NULL,
	PRIMARY KEY (layer, feature)
);

-- Every place a TPS stood, appended: the newest is where it stands, the
-- older ones are its history (a TPS keeps its code when it moves).
CREATE TABLE tps_locations (
	id      INTEGER PRIMARY KEY,
	tps     TEXT NOT NULL,
	lat     REAL NOT NULL,
	lon     REAL NOT NULL,
	address TEXT NOT NULL,
	source  TEXT NOT NULL,
	at      INTEGER,
	by_     TEXT NOT NULL
);

CREATE INDEX tps_locations_tps ON tps_locations (tps, id);

-- A decision that moved a TPS, with its legal trail.
CREATE TABLE relocations (
	id             INTEGER PRIMARY KEY,
	tps            TEXT NOT NULL,
	from_lat       REAL NOT NULL,
	from_lon       REAL NOT NULL,
	from_address   TEXT NOT NULL,
	site           TEXT NOT NULL,
	to_lat         REAL NOT NULL,
	to_lon         REAL NOT NULL,
	to_address     TEXT NOT NULL,
	reason         TEXT NOT NULL,
	decider        TEXT NOT NULL,
	decider_office TEXT NOT NULL,
	decided        INTEGER,
	letter         TEXT NOT NULL,
	by_            TEXT NOT NULL,
	at             INTEGER
);

CREATE INDEX relocations_tps ON relocations (tps, id);

-- +goose Down
DROP TABLE relocations;
DROP TABLE tps_locations;
DROP TABLE hazard_zones;
DROP TABLE hazard_layers;
