-- +goose Up
-- A TPS's voting postponed on the day (package sqldb, postponement.go):
-- PSL or PSS with its decision chain, one column group per step
-- (report, recommendation, decision, closing). A step not taken has a
-- NULL time. Who recorded each step (*_by) is also in the audit log.
CREATE TABLE postponements (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tps        TEXT NOT NULL,
	kind       TEXT NOT NULL,
	stage      TEXT NOT NULL,
	reason     TEXT NOT NULL,
	status     TEXT NOT NULL,
	new_date   TEXT NOT NULL,
	report_name TEXT NOT NULL, report_office TEXT NOT NULL, report_at BIGINT, report_letter TEXT NOT NULL,
	report_note TEXT NOT NULL, report_by TEXT NOT NULL,
	recommendation_name TEXT NOT NULL, recommendation_office TEXT NOT NULL, recommendation_at BIGINT,
	recommendation_letter TEXT NOT NULL, recommendation_note TEXT NOT NULL, recommendation_by TEXT NOT NULL,
	decision_name TEXT NOT NULL, decision_office TEXT NOT NULL, decision_at BIGINT, decision_letter TEXT NOT NULL,
	decision_note TEXT NOT NULL, decision_by TEXT NOT NULL,
	closing_name TEXT NOT NULL, closing_office TEXT NOT NULL, closing_at BIGINT, closing_letter TEXT NOT NULL,
	closing_note TEXT NOT NULL, closing_by TEXT NOT NULL,
	updated_at BIGINT
);
-- One active postponement per TPS: two officials reporting the same
-- flood at once make one row, the second gets a conflict.
CREATE UNIQUE INDEX postponements_active ON postponements (tps)
	WHERE status IN ('dilaporkan', 'direkomendasikan', 'diputuskan');
CREATE INDEX postponements_tps ON postponements (tps);

-- +goose Down
DROP TABLE postponements;
