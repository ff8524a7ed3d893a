-- +goose Up
-- The SMS log: every message in and every reply out (package sms). Times
-- are Unix nanoseconds.
CREATE TABLE sms_log (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	direction   TEXT NOT NULL,
	number      TEXT NOT NULL,
	text        TEXT NOT NULL,
	gateway     TEXT NOT NULL,
	gateway_id  TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	tps         TEXT NOT NULL,
	device      TEXT NOT NULL,
	submission  TEXT NOT NULL,
	grp         TEXT NOT NULL,
	part        INTEGER NOT NULL,
	parts       INTEGER NOT NULL,
	reply_to    INTEGER NOT NULL
);
-- The lockout counts a number's recent bad codes; reassembly reads a
-- group's parts.
CREATE INDEX sms_log_number ON sms_log (number, outcome, at);
CREATE INDEX sms_log_group ON sms_log (grp) WHERE grp <> '';
CREATE INDEX devices_tps ON devices (tps);

-- +goose Down
DROP INDEX devices_tps;
DROP TABLE sms_log;
