-- +goose Up
-- The desk's review of an anomaly (package sqldb, anomaly.go): one row per
-- version of a history, so that a newer version starts unreviewed while
-- the review of the one before stays on record. Who set it and why is
-- also in the audit log.
CREATE TABLE anomaly_reviews (
	tps     TEXT NOT NULL,
	contest TEXT NOT NULL,
	source  TEXT NOT NULL,
	version BIGINT NOT NULL,
	status  TEXT NOT NULL,
	note    TEXT NOT NULL,
	actor   TEXT NOT NULL,
	at      BIGINT,
	PRIMARY KEY (tps, contest, source, version)
);

-- +goose Down
DROP TABLE anomaly_reviews;
