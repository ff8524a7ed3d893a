-- +goose Up
-- Early warning (package warning; sqldb/warning.go): the alerts a scan of
-- the verified incidents raised, who asked to be told, and each telling.
-- Times are Unix nanoseconds. incidents is a JSON array of incident ids.
-- note, phone and the notices are staff data, never on a public route.
CREATE TABLE warning_alerts (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule       TEXT NOT NULL,
	category   TEXT NOT NULL,
	region     TEXT NOT NULL,
	lat        DOUBLE PRECISION NOT NULL,
	lon        DOUBLE PRECISION NOT NULL,
	radius_km  DOUBLE PRECISION NOT NULL,
	from_at    BIGINT NOT NULL,
	to_at      BIGINT NOT NULL,
	incidents  TEXT NOT NULL,
	usual      DOUBLE PRECISION NOT NULL,
	threshold  BIGINT NOT NULL,
	text       TEXT NOT NULL,
	en         TEXT NOT NULL,
	status     TEXT NOT NULL,
	raised_at  BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	by_who     TEXT NOT NULL,
	note       TEXT NOT NULL,
	version    BIGINT NOT NULL
);
-- A region's list, newest first, by kecamatan code prefix; the scan's
-- read of the open alerts by status.
CREATE INDEX warning_alerts_region ON warning_alerts (region, id);
CREATE INDEX warning_alerts_status ON warning_alerts (status, id);

CREATE TABLE warning_subscriptions (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL,
	region     TEXT NOT NULL,
	categories TEXT NOT NULL,
	phone      TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX warning_subscriptions_user ON warning_subscriptions (user_id, id);

-- One row per alert told to one subscription; sent_at NULL with a phone:
-- still to go out by SMS (tries counts the attempts, error the last).
CREATE TABLE warning_notices (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alert        BIGINT NOT NULL,
	subscription BIGINT NOT NULL,
	user_id      BIGINT NOT NULL,
	phone        TEXT NOT NULL,
	text         TEXT NOT NULL,
	at           BIGINT NOT NULL,
	sent_at      BIGINT,
	tries        BIGINT NOT NULL,
	error        TEXT NOT NULL,
	read_at      BIGINT
);
CREATE INDEX warning_notices_user ON warning_notices (user_id, id);
CREATE INDEX warning_notices_unsent ON warning_notices (sent_at, id);

-- +goose Down
DROP TABLE warning_notices;
DROP TABLE warning_subscriptions;
DROP TABLE warning_alerts;
