-- +goose Up
-- The desk's coordination meetings and their action items (package
-- sqldb, meeting.go). Participants, agenda and decisions are the minutes'
-- lists, read and written whole with their meeting: JSON text.
CREATE TABLE meetings (
	id           INTEGER PRIMARY KEY,
	region       TEXT NOT NULL,
	title        TEXT NOT NULL,
	at           INTEGER NOT NULL,
	place        TEXT NOT NULL,
	chair        TEXT NOT NULL,
	participants TEXT NOT NULL,
	agenda       TEXT NOT NULL,
	decisions    TEXT NOT NULL,
	notes        TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   INTEGER,
	version      INTEGER NOT NULL
);
CREATE INDEX meetings_region ON meetings (region);

-- due is a day (YYYY-MM-DD, WIB): text compares in date order, so the
-- overdue query is status = 'terbuka' AND due < today.
CREATE TABLE action_items (
	id         INTEGER PRIMARY KEY,
	meeting    INTEGER NOT NULL REFERENCES meetings (id),
	decision   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	agency     TEXT NOT NULL,
	region     TEXT NOT NULL,
	due        TEXT NOT NULL,
	status     TEXT NOT NULL,
	done_at    INTEGER,
	done_by    TEXT NOT NULL,
	done_note  TEXT NOT NULL,
	reason     TEXT NOT NULL,
	updated_at INTEGER,
	version    INTEGER NOT NULL
);
CREATE INDEX action_items_meeting ON action_items (meeting);
CREATE INDEX action_items_region ON action_items (region);
CREATE INDEX action_items_open ON action_items (status, due);

-- Every step of an item: who did what, when and why.
CREATE TABLE action_steps (
	id     INTEGER PRIMARY KEY,
	item   INTEGER NOT NULL REFERENCES action_items (id),
	at     INTEGER NOT NULL,
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
