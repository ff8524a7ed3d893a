-- +goose Up
-- The desk's morning situation reports (package sitrep): one per region
-- and day (WIB), the PDF as printed and the JSON snapshot it was printed
-- from, so that the archive shows what the meeting saw that morning
-- even after the incidents moved on.
CREATE TABLE sitreps (
	region     TEXT NOT NULL,
	date       TEXT NOT NULL,
	at         INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	pdf        BLOB NOT NULL,
	snapshot   BLOB NOT NULL,
	PRIMARY KEY (region, date)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE sitreps;
