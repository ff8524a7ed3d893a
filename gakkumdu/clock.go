// Package gakkumdu follows the incidents that may be election crimes
// through Sentra Gakkumdu: a case is opened from an incident, moves from
// Bawaslu's review to the police, the prosecutor and the courts, each stage
// with the statutory clock of root gakkumdu.go, and the server raises an
// alert once when a stage's deadline passes (docs/security-incidents.md,
// "Gakkumdu cases and their clocks").
package gakkumdu

import (
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

// How the clocks count (docs/security-incidents.md):
//   - days are calendar days (UU 7/2017 art. 1: "Hari adalah hari
//     kalender"), weekends and holidays included;
//   - the day of the starting event is day 0 and counts for nothing; the
//     stage ends at the end of day N, i.e. at midnight WIB that starts day
//     N+1. A report known on 11 Feb at 22:00 WIB may be registered until
//     18 Feb 24:00 WIB;
//   - the starting event is, for the review, when Bawaslu learned of it
//     (Case.KnownAt) and, for every later stage, when the file reached
//     the next agency (the date on its letter, recorded when advancing);
//   - dates are read in WIB (UTC+7), Banten's time.
// This is Siaga's reading; a desk in another time zone reads the same
// instants, shown in WIB.

// Deadline is when a stage of n days that began at start ends.
func Deadline(stage siaga.CaseStage, start time.Time) time.Time {
	n := stage.Days()
	if n == 0 || start.IsZero() {
		return time.Time{}
	}
	s := start.In(siaga.WIB)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, siaga.WIB)
	return day.AddDate(0, 0, n+1).UTC()
}

// Clock is where a case's running stage stands at a moment.
type Clock struct {
	Stage   siaga.CaseStage `json:"stage"`
	Running bool            `json:"running"` // false once the case has ended
	Due     time.Time       `json:"due,omitempty"`
	// Remaining is Due minus now; negative once overdue.
	Remaining time.Duration `json:"remaining"`
	Overdue   bool          `json:"overdue"`
	// Days is, in WIB calendar days, how many days are left after today
	// (0: today is the last day) or, when overdue, how many days late
	// (1: the day after the last day).
	Days int `json:"days"`
}

// ClockOf is c's clock at now.
func ClockOf(c *siaga.Case, now time.Time) Clock {
	k := Clock{Stage: c.Stage, Due: c.Due}
	if c.Stage.Done() || c.Due.IsZero() {
		return k
	}
	k.Running = true
	k.Remaining = c.Due.Sub(now)
	k.Overdue = !now.Before(c.Due)
	lastDay := wibDate(c.Due.Add(-time.Nanosecond))
	today := wibDate(now)
	k.Days = int(lastDay.Sub(today).Hours() / 24)
	if k.Overdue {
		k.Days = -k.Days
	}
	return k
}

func wibDate(t time.Time) time.Time {
	w := t.In(siaga.WIB)
	return time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
}

// Text is the clock as the list shows it: "sisa 3 hari", "hari terakhir",
// "lewat 2 hari", "selesai".
func (k Clock) Text() string {
	switch {
	case !k.Running:
		return "selesai"
	case k.Overdue:
		return fmt.Sprintf("lewat %d hari", k.Days)
	case k.Days == 0:
		return "hari terakhir"
	}
	return fmt.Sprintf("sisa %d hari", k.Days)
}

// TextEN is Text in English.
func (k Clock) TextEN() string {
	switch {
	case !k.Running:
		return "ended"
	case k.Overdue:
		return fmt.Sprintf("%d days late", k.Days)
	case k.Days == 0:
		return "last day"
	}
	return fmt.Sprintf("%d days left", k.Days)
}
