-- +goose Up
-- The handovers of a TPS's sealed ballot boxes after voting, TPS → PPS →
-- PPK (package sqldb, logistics_custody.go). id is the sender's: a phone's
-- retry is the same row. Seal and photo lists are JSON arrays of strings;
-- times are Unix nanoseconds. given_by and received_by are names: staff
-- data, never on a public route. The alerts a handover raises are in
-- logistics_alerts (ref 'handover:<id>'), written in the same transaction.
CREATE TABLE logistics_handovers (
	id           TEXT PRIMARY KEY,
	tps          TEXT NOT NULL,
	from_place   TEXT NOT NULL,
	to_place     TEXT NOT NULL,
	boxes        INTEGER NOT NULL,
	envelopes    INTEGER NOT NULL,
	seals        TEXT NOT NULL,
	broken_seals TEXT NOT NULL,
	given_by     TEXT NOT NULL,
	received_by  TEXT NOT NULL,
	at           INTEGER NOT NULL,
	photos       TEXT NOT NULL,
	note         TEXT NOT NULL,
	source       TEXT NOT NULL,
	by_who       TEXT NOT NULL,
	recorded_at  INTEGER NOT NULL
);
-- A region's handovers are read by TPS code prefix, in chain order.
CREATE INDEX logistics_handovers_tps ON logistics_handovers (tps, at, recorded_at);

-- +goose Down
DROP TABLE logistics_handovers;
