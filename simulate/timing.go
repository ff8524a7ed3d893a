package simulate

import (
	"time"

	"github.com/deskpemilu/siaga"
)

// times holds when one TPS sends each of its items, in hours after polls
// close on the uncompressed clock.
type times struct {
	night   time.Duration
	reports map[siaga.Contest]float64
	witness float64 // delay of the saksi copy after the KPPS report
	correct map[siaga.Contest]float64
}

// timing draws the times of TPS i. Every contest is drawn, configured or
// not, so that the times do not depend on Config.Contests.
func (n *Night) timing(i int) times {
	r := n.rng(streamTiming, i, "")
	t := times{
		night:   n.cfg.Night,
		reports: make(map[siaga.Contest]float64, len(siaga.Contests)),
		correct: make(map[siaga.Contest]float64, len(siaga.Contests)),
	}
	// A slow committee is slow for every ballot it counts.
	speed := lognormal(r, 0.35)
	weak := 0.0
	conn := n.reg.TPS[i].Connectivity
	if conn == siaga.SignalWeak {
		weak = r.ExpFloat64() * weakDelayHours
	}
	for _, c := range siaga.Contests {
		h := firstReportHour + (medianDoneHour[c]-firstReportHour)*speed*lognormal(r, 0.3) + weak
		if conn == siaga.BlankSpot {
			// Runners carry the forms of a blank spot: they arrive in
			// the last part of the night, in counting order.
			h = nightHours * (blankStart + blankSpan*min(h/20, 1))
		}
		t.reports[c] = h
		t.correct[c] = 2 + r.ExpFloat64()*3
	}
	t.witness = (5 + r.Float64()*35) / 60
	return t
}

func (t times) at(h float64) time.Duration {
	h = min(max(h, 0), nightHours*0.995)
	return time.Duration(h / nightHours * float64(t.night))
}

func (t times) report(c siaga.Contest) time.Duration { return t.at(t.reports[c]) }

func (t times) witnessAt(c siaga.Contest) time.Duration {
	return t.at(t.reports[c] + t.witness)
}

func (t times) correctionAt(c siaga.Contest) time.Duration {
	return t.at(t.reports[c] + t.correct[c])
}

// fate is what happens to the forms of one TPS and contest.
type fate struct {
	slip       bool // the KPPS form has an arithmetic slip
	incomplete bool // the KPPS form misses a section
	witness    bool // a saksi sends a copy (ppwp only)
	disagree   bool // the saksi copy differs in one number
	corrected  bool // the PPK corrects the flagged KPPS form
}

func (n *Night) fate(i int, c siaga.Contest) fate {
	r := n.rng(streamFate, i, c)
	// Draw every number whatever the outcome so that changing one rate
	// does not reshuffle the other decisions.
	u := [5]float64{r.Float64(), r.Float64(), r.Float64(), r.Float64(), r.Float64()}
	var f fate
	f.slip = u[0] < n.cfg.ErrorRate
	f.incomplete = !f.slip && u[1] < n.cfg.IncompleteRate
	f.witness = c == siaga.PPWP && u[2] < n.cfg.WitnessShare
	f.disagree = f.witness && u[3] < n.cfg.DisagreeRate
	f.corrected = (f.slip || f.incomplete) && u[4] < n.cfg.CorrectionRate
	return f
}
