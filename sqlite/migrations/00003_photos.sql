-- +goose Up
-- Photos of count form pages. Only the declaration lives here; the bytes are
-- files in the node's data folder (photos/<submission>/<page>.jpg).
CREATE TABLE photos (
	submission   TEXT NOT NULL,
	page         INTEGER NOT NULL,
	pages        INTEGER NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	device       TEXT NOT NULL,
	tps          TEXT NOT NULL,
	complete     INTEGER NOT NULL DEFAULT 0,
	declared_at  INTEGER,
	completed_at INTEGER,
	PRIMARY KEY (submission, page)
) WITHOUT ROWID;

CREATE INDEX photos_tps ON photos (tps);

-- +goose Down
DROP TABLE photos;
