package postponement_test

import (
	"errors"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postponement"
)

// day is voting day, 14 February 2024, at midnight WIB.
var day = time.Date(2024, 2, 14, 0, 0, 0, 0, siaga.WIB)

func rulesAt(now time.Time) postponement.Rules {
	return postponement.Rules{VotingDay: "2024-02-14", Now: func() time.Time { return now }}
}

func step(at time.Duration, letter string) siaga.PostponementStep {
	return siaga.PostponementStep{Name: "Ketua", Office: "Kantor", At: day.Add(at), Letter: letter}
}

// chainTo takes a PSS reported at 07:00 to status want through the
// chain, failing t on any refusal.
func chainTo(t testing.TB, r postponement.Rules, want siaga.PostponementStatus) siaga.Postponement {
	t.Helper()
	p, err := r.Report("3674031007071", siaga.PostponementPSS, "", "banjir", step(7*time.Hour, ""))
	if err != nil {
		t.Fatal(err)
	}
	if want == siaga.PostponementReported {
		return p
	}
	if p, err = r.Recommend(p, step(11*time.Hour, "")); err != nil {
		t.Fatal(err)
	}
	if want == siaga.PostponementRecommended {
		return p
	}
	if p, err = r.Decide(p, step(40*time.Hour, "140/Kpt/2024"), "2024-02-18"); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestChain: each step is refused out of order, without its signatory,
// before the step before it or in the future; a decision needs a letter
// and a new date after voting day and at most 10 days after it.
func TestChain(t *testing.T) {
	now := day.AddDate(0, 0, 20)
	r := rulesAt(now)
	reported := chainTo(t, r, siaga.PostponementReported)
	recommended := chainTo(t, r, siaga.PostponementRecommended)
	decided := chainTo(t, r, siaga.PostponementDecided)
	if decided.Status != siaga.PostponementDecided || decided.NewDate != "2024-02-18" || decided.Decision.Letter != "140/Kpt/2024" {
		t.Fatalf("decided: %+v", decided)
	}
	cases := []struct {
		name  string
		do    func() (siaga.Postponement, error)
		field string // of the refusal; "" for none
		code  string
	}{
		{"psl needs its stage", func() (siaga.Postponement, error) {
			return r.Report("3674031007071", siaga.PostponementPSL, "", "banjir", step(7*time.Hour, ""))
		}, "stage", siaga.EInvalid},
		{"psl from counting", func() (siaga.Postponement, error) {
			return r.Report("3674031007071", siaga.PostponementPSL, siaga.StageCounting, "listrik padam", step(20*time.Hour, ""))
		}, "", ""},
		{"pss has no stage", func() (siaga.Postponement, error) {
			return r.Report("3674031007071", siaga.PostponementPSS, siaga.StageVoting, "banjir", step(7*time.Hour, ""))
		}, "stage", siaga.EInvalid},
		{"unknown kind", func() (siaga.Postponement, error) {
			return r.Report("3674031007071", "psu", "", "banjir", step(7*time.Hour, ""))
		}, "kind", siaga.EInvalid},
		{"no reason", func() (siaga.Postponement, error) {
			return r.Report("3674031007071", siaga.PostponementPSS, "", "  ", step(7*time.Hour, ""))
		}, "reason", siaga.EInvalid},
		{"no signatory", func() (siaga.Postponement, error) {
			s := step(7*time.Hour, "")
			s.Name = ""
			return r.Report("3674031007071", siaga.PostponementPSS, "", "banjir", s)
		}, "report.name", siaga.EInvalid},
		{"report in the future", func() (siaga.Postponement, error) {
			return rulesAt(day).Report("3674031007071", siaga.PostponementPSS, "", "banjir", step(7*time.Hour, ""))
		}, "report.at", siaga.EInvalid},
		{"decision before recommendation", func() (siaga.Postponement, error) {
			return r.Decide(reported, step(40*time.Hour, "140"), "2024-02-18")
		}, "status", siaga.EConflict},
		{"recommendation twice", func() (siaga.Postponement, error) { return r.Recommend(recommended, step(12*time.Hour, "")) }, "status", siaga.EConflict},
		{"recommendation before the report", func() (siaga.Postponement, error) { return r.Recommend(reported, step(6*time.Hour, "")) },
			"recommendation.at", siaga.EInvalid},
		{"decision without a letter", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(40*time.Hour, " "), "2024-02-18")
		}, "decision.letter", siaga.EInvalid},
		{"new date on voting day", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(12*time.Hour, "140"), "2024-02-14")
		}, "new_date", siaga.EInvalid},
		{"new date on the 10th day", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(12*time.Hour, "140"), "2024-02-24")
		}, "", ""},
		{"new date on the 11th day", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(12*time.Hour, "140"), "2024-02-25")
		}, "new_date", siaga.EInvalid},
		{"new date before the decision", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(5*24*time.Hour, "140"), "2024-02-18")
		}, "new_date", siaga.EInvalid},
		{"new date unreadable", func() (siaga.Postponement, error) {
			return r.Decide(recommended, step(40*time.Hour, "140"), "18/02/2024")
		}, "new_date", siaga.EInvalid},
		{"done before the new date", func() (siaga.Postponement, error) {
			return r.Close(decided, siaga.PostponementDone, step(3*24*time.Hour, ""))
		}, "closing.at", siaga.EInvalid},
		{"done on the new date", func() (siaga.Postponement, error) {
			return r.Close(decided, siaga.PostponementDone, step(4*24*time.Hour+14*time.Hour, ""))
		}, "", ""},
		{"done without a decision", func() (siaga.Postponement, error) {
			return r.Close(recommended, siaga.PostponementDone, step(4*24*time.Hour, ""))
		}, "status", siaga.EConflict},
		{"cancelled without a reason", func() (siaga.Postponement, error) {
			return r.Close(reported, siaga.PostponementCancelled, step(9*time.Hour, ""))
		}, "closing.note", siaga.EInvalid},
		{"cancelled with a reason", func() (siaga.Postponement, error) {
			s := step(9*time.Hour, "")
			s.Note = "air surut, pemungutan berjalan"
			return r.Close(reported, siaga.PostponementCancelled, s)
		}, "", ""},
		{"closed to another status", func() (siaga.Postponement, error) {
			return r.Close(decided, siaga.PostponementDecided, step(5*24*time.Hour, ""))
		}, "status", siaga.EInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.do()
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *siaga.Error
			if err == nil || siaga.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %s", err, tc.code)
			}
			if errors.As(err, &e); e.Field != tc.field {
				t.Errorf("error field %q, want %q (%v)", e.Field, tc.field, err)
			}
		})
	}
	// A closed postponement cannot be cancelled.
	done, err := r.Close(decided, siaga.PostponementDone, step(5*24*time.Hour, ""))
	if err != nil {
		t.Fatal(err)
	}
	s := step(6*24*time.Hour, "")
	s.Note = "salah"
	if _, err := r.Close(done, siaga.PostponementCancelled, s); siaga.ErrorCode(err) != siaga.EConflict {
		t.Errorf("cancelling a done postponement: %v, want a conflict", err)
	}
}
