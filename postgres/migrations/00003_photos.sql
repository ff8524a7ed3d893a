-- +goose Up
-- Photos of count form pages. Only the declaration lives here; the bytes are
-- files in the node's data folder (photos/<submission>/<page>.jpg).
CREATE TABLE photos (
	submission   TEXT NOT NULL,
	page         BIGINT NOT NULL,
	pages        BIGINT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	device       TEXT NOT NULL,
	tps          TEXT COLLATE "C" NOT NULL,
	complete     BOOLEAN NOT NULL DEFAULT FALSE,
	declared_at  BIGINT,
	completed_at BIGINT,
	PRIMARY KEY (submission, page)
);

CREATE INDEX photos_tps ON photos (tps);

-- +goose Down
DROP TABLE photos;
