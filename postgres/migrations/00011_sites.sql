-- +goose Up
-- Candidate sites (package sqldb, site.go): places a TPS can move to and
-- stands for boosters, VSAT terminals and mobile BTS, keyed by the
-- importer's own code so that a re-import updates its list.
CREATE TABLE sites (
	code         TEXT COLLATE "C" PRIMARY KEY, -- bytewise, as in SQLite: the same order on both
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	lat          DOUBLE PRECISION NOT NULL,
	lon          DOUBLE PRECISION NOT NULL,
	desa         TEXT COLLATE "C" NOT NULL,
	intervention TEXT NOT NULL,
	radius_m     DOUBLE PRECISION NOT NULL,
	cost         BIGINT NOT NULL,
	capacity     BIGINT NOT NULL,
	source       TEXT NOT NULL,
	updated_at   BIGINT
);
-- The planner reads the candidates of one kind in a region.
CREATE INDEX sites_desa ON sites (desa);

-- +goose Down
DROP TABLE sites;
