-- +goose Up
-- Ballot lots at the KPU kab/kota warehouses and what happened to them
-- (package sqldb, logistics_ballot.go; docs/logistics.md). A lot is one
-- contest's ballots of one dapil; its events (sorted, folded, damaged with
-- a reason, returned, replacement asked and received) carry quantities.
CREATE TABLE ballot_lots (
	id          INTEGER PRIMARY KEY,
	warehouse   TEXT NOT NULL,
	contest     TEXT NOT NULL,
	dapil       TEXT NOT NULL,
	number      TEXT NOT NULL,
	printer     TEXT NOT NULL,
	received    INTEGER NOT NULL,
	received_at INTEGER,
	recorded_by TEXT NOT NULL,
	note        TEXT NOT NULL,
	-- events counts the lot's events: adding one updates this row first,
	-- which serialises two officials recording damage on the same lot.
	events      INTEGER NOT NULL DEFAULT 0,
	UNIQUE (warehouse, contest, number)
);
CREATE INDEX ballot_lots_dapil ON ballot_lots (warehouse, contest, dapil);

CREATE TABLE ballot_events (
	id          INTEGER PRIMARY KEY,
	lot         INTEGER NOT NULL REFERENCES ballot_lots (id),
	kind        TEXT NOT NULL,
	reason      TEXT NOT NULL,
	qty         INTEGER NOT NULL,
	happened_at INTEGER,
	recorded_by TEXT NOT NULL,
	note        TEXT NOT NULL
);
CREATE INDEX ballot_events_lot ON ballot_events (lot);

-- +goose Down
DROP TABLE ballot_events;
DROP TABLE ballot_lots;
