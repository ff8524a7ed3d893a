-- +goose Up
-- Uploads of photo pages are bound to a token issued with the declaration
-- (package photos): only its SHA-256 is kept. Pages declared before this
-- migration have none; their device's next declaration issues one.
ALTER TABLE photos ADD COLUMN upload_token BLOB;

-- Declarations per device are bounded by the pages not yet complete.
CREATE INDEX photos_device ON photos (device, complete);

-- +goose Down
DROP INDEX photos_device;
ALTER TABLE photos DROP COLUMN upload_token;
