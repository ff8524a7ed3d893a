-- +goose Up
-- Candidate sites (package sqldb, site.go): places a TPS can move to and
-- stands for boosters, VSAT terminals and mobile BTS, keyed by the
-- importer's own code so that a re-import updates its list.
CREATE TABLE sites (
	code         TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	lat          REAL NOT NULL,
	lon          REAL NOT NULL,
	desa         TEXT NOT NULL,
	intervention TEXT NOT NULL,
	radius_m     REAL NOT NULL,
	cost         INTEGER NOT NULL,
	capacity     INTEGER NOT NULL,
	source       TEXT NOT NULL,
	updated_at   INTEGER
);
-- The planner reads the candidates of one kind in a region.
CREATE INDEX sites_desa ON sites (desa);

-- +goose Down
DROP TABLE sites;
