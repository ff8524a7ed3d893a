-- +goose Up
-- The SMS log: every message in and every reply out (package sms). Times
-- are Unix nanoseconds.
CREATE TABLE sms_log (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          BIGINT NOT NULL,
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
	part        BIGINT NOT NULL,
	parts       BIGINT NOT NULL,
	reply_to    BIGINT NOT NULL
);
-- The lockout counts a number's recent bad codes; reassembly reads a
-- group's parts.
CREATE INDEX sms_log_number ON sms_log (number, outcome, at);
CREATE INDEX sms_log_group ON sms_log (grp) WHERE grp <> '';
CREATE INDEX devices_tps ON devices (tps);

-- +goose Down
DROP INDEX devices_tps;
DROP TABLE sms_log;
