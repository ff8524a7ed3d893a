-- +goose Up
-- A survey is stored once: a recorder cannot measure one operator at one
-- TPS twice in the same instant (for the TPS, or as the test of one
-- intervention), so a second row with those five is the
-- same survey sent again (a phone's retry on another node, a file
-- imported twice). The API answers a retry with the stored one; the store
-- refuses what slips past it.
CREATE UNIQUE INDEX surveys_once ON surveys (tps, by_who, operator, at, intervention);

-- +goose Down
DROP INDEX surveys_once;
