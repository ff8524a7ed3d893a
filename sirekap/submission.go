package sirekap

import (
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// namespace makes import ids deterministic: the same record imported
// twice is the same submission, so a second run changes nothing.
var namespace = uuid.MustParse("6b1d5c1e-6a43-4c1b-9a53-2b1f0a5e7d24")

// Submission is rec as Siaga stores it: a form of source sirekap for
// contest that replaces version replaces of its history (0: the first).
// KPU changes a record in place, so a record that differs from the latest
// version is a correction of it, whose reason says when KPU changed it.
// The id covers the version it builds on: an unchanged record maps to the
// version that holds it, a changed one to a new version.
func (rec *Record) Submission(contest siaga.Contest, replaces int) *siaga.Submission {
	sub := &siaga.Submission{TPS: rec.TPS, Contest: contest, Source: siaga.SourceSirekap, Form: rec.Form, Replaces: replaces}
	if replaces > 0 {
		sub.Reason = "Pembaruan data Sirekap " + rec.UpdatedAt.Format(time.DateTime)
	}
	sub.ID = uuid.NewSHA1(namespace, sub.CanonicalBytes()).String()
	return sub
}
