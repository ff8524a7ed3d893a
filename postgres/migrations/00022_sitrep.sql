-- +goose Up
-- The desk's morning situation reports (package sitrep): one per region
-- and day (WIB), the PDF as printed and the JSON snapshot it was printed
-- from, so that the archive shows what the meeting saw that morning
-- even after the incidents moved on.
CREATE TABLE sitreps (
	region     TEXT NOT NULL,
	date       TEXT NOT NULL,
	at         BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	pdf        BYTEA NOT NULL,
	snapshot   BYTEA NOT NULL,
	PRIMARY KEY (region, date)
);

-- +goose Down
DROP TABLE sitreps;
