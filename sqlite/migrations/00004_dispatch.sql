-- +goose Up
-- The dispatch board's own records (package sqldb, dispatch.go). Neither
-- refers to other tables: they are a log of what happened on election
-- night and must outlive any device or account.

-- A relay phone carried a submission signed by another device.
CREATE TABLE relay_sightings (
	id         INTEGER PRIMARY KEY,
	submission TEXT NOT NULL,
	tps        TEXT NOT NULL,
	contest    TEXT NOT NULL,
	source     TEXT NOT NULL,
	device     TEXT NOT NULL,
	relay      TEXT NOT NULL,
	via        TEXT NOT NULL,
	outcome    TEXT NOT NULL,
	reason     TEXT NOT NULL,
	at         INTEGER
);

CREATE INDEX relay_sightings_tps ON relay_sightings (tps, id);

-- The desk sent a runner to a TPS.
CREATE TABLE runner_dispatches (
	id       INTEGER PRIMARY KEY,
	tps      TEXT NOT NULL,
	user_id  INTEGER NOT NULL,
	username TEXT NOT NULL,
	note     TEXT NOT NULL,
	at       INTEGER
);

CREATE INDEX runner_dispatches_tps ON runner_dispatches (tps, id);

-- +goose Down
DROP TABLE runner_dispatches;
DROP TABLE relay_sightings;
