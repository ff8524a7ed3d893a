-- +goose Up
-- Logistics to the last TPS (package sqldb, logistics_*.go;
-- docs/logistics.md). A shipment is one waybill (surat jalan) along one
-- leg of the chain. Its lines are a JSON column rather than a child table:
-- the readiness board reads every shipment of the province at once, and
-- one row per shipment is one row to read. items repeats the item codes
-- between bars ("|kotak_suara|segel|") so that the item filter is a LIKE
-- in the store. sea is the SeaRoute as JSON, NULL on land.
CREATE TABLE shipments (
	id                TEXT PRIMARY KEY,
	waybill           TEXT NOT NULL UNIQUE,
	from_code         TEXT NOT NULL,
	to_code           TEXT NOT NULL,
	lines             TEXT NOT NULL,
	items             TEXT NOT NULL,
	mode              TEXT NOT NULL,
	sea               TEXT,
	escort            TEXT NOT NULL,
	escort_contact    TEXT NOT NULL,
	planned_departure INTEGER,
	planned_arrival   INTEGER,
	departed          INTEGER,
	arrived           INTEGER,
	status            TEXT NOT NULL,
	last_event        INTEGER,
	follow_up_of      TEXT NOT NULL,
	source            TEXT NOT NULL,
	created_by        TEXT NOT NULL,
	created_at        INTEGER
);
CREATE INDEX shipments_to ON shipments (to_code);

-- The status events of a shipment. id is the sender's, so a replay from
-- the field app's outbox is the same row.
CREATE TABLE shipment_events (
	id            TEXT PRIMARY KEY,
	shipment      TEXT NOT NULL REFERENCES shipments (id),
	kind          TEXT NOT NULL,
	at            INTEGER,
	place         TEXT NOT NULL,
	lat           REAL NOT NULL,
	lon           REAL NOT NULL,
	note          TEXT NOT NULL,
	reason        TEXT NOT NULL,
	new_departure INTEGER,
	new_arrival   INTEGER,
	source        TEXT NOT NULL,
	by_           TEXT NOT NULL,
	recorded_at   INTEGER
);
CREATE INDEX shipment_events_shipment ON shipment_events (shipment, at);

-- The proof of delivery (BTTB) of a shipment: one per shipment. Its
-- counted lines and photo hashes are JSON, read with it.
CREATE TABLE deliveries (
	id          TEXT PRIMARY KEY,
	shipment    TEXT NOT NULL UNIQUE REFERENCES shipments (id),
	receiver    TEXT NOT NULL,
	received_at INTEGER,
	lines       TEXT NOT NULL,
	photos      TEXT NOT NULL,
	note        TEXT NOT NULL,
	source      TEXT NOT NULL,
	by_         TEXT NOT NULL,
	recorded_at INTEGER
);

-- Photos of deliveries and handovers, keyed by their SHA-256 (hex).
CREATE TABLE logistics_photos (
	sha256 TEXT PRIMARY KEY,
	type   TEXT NOT NULL,
	data   BLOB NOT NULL,
	by_    TEXT NOT NULL,
	at     INTEGER
);

-- Alerts to a region's staff: discrepancies, holds, stalls, seals.
CREATE TABLE logistics_alerts (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	region          TEXT NOT NULL,
	role            TEXT NOT NULL,
	tps             TEXT NOT NULL,
	ref             TEXT NOT NULL,
	text            TEXT NOT NULL,
	en              TEXT NOT NULL,
	at              INTEGER,
	acknowledged_by TEXT NOT NULL,
	acknowledged_at INTEGER
);
CREATE INDEX logistics_alerts_region ON logistics_alerts (region);

-- +goose Down
DROP TABLE logistics_alerts;
DROP TABLE logistics_photos;
DROP TABLE deliveries;
DROP TABLE shipment_events;
DROP TABLE shipments;
