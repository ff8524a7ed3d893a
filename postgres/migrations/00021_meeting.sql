-- +goose Up
-- The desk's coordination meetings and their action items (package
-- sqldb, meeting.go). Participants, agenda and decisions are the minutes'
-- lists, read and written whole with their meeting: JSON text.
CREATE TABLE meetings (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	region       TEXT NOT NULL,
	title        TEXT NOT NULL,
	at           BIGINT NOT NULL,
	place        TEXT NOT NULL,
	chair        TEXT NOT NULL,
	participants TEXT NOT NULL,
	agenda       TEXT NOT NULL,
	decisions    TEXT NOT NULL,
	notes        TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   BIGINT,
	version      INTEGER NOT NULL
);
CREATE INDEX meetings_region ON meetings (region);

-- due is a day (YYYY-MM-DD, WIB): text compares in date order, so the
-- overdue query is status = 'terbuka' AND due < today.
CREATE TABLE action_items (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	meeting    BIGINT NOT NULL REFERENCES meetings (id),
	decision   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	agency     TEXT NOT NULL,
	region     TEXT NOT NULL,
	due        TEXT NOT NULL,
	status     TEXT NOT NULL,
	done_at    BIGINT,
	done_by    TEXT NOT NULL,
	done_note  TEXT NOT NULL,
	reason     TEXT NOT NULL,
	updated_at BIGINT,
	version    INTEGER NOT NULL
);
CREATE INDEX action_items_meeting ON action_items (meeting);
CREATE INDEX action_items_region ON action_items (region);
CREATE INDEX action_items_open ON action_items (status, due);

-- Every step of an item: who did what, when and why.
CREATE TABLE action_steps (
	id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item   BIGINT NOT NULL REFERENCES action_items (id),
	at     BIGINT NOT NULL,
	kind   TEXT NOT NULL,
	status TEXT NOT NULL,
	by_name TEXT NOT NULL,
	text   TEXT NOT NULL
);
CREATE INDEX action_steps_item ON action_steps (item);

-- +goose Down
DROP TABLE action_steps;
DROP TABLE action_items;
DROP TABLE meetings;
