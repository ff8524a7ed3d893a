package siaga

// ReadinessLevel is how ready a TPS is to vote and to send its count, as
// the readiness map colours it (package readiness; docs/readiness-map.md).
type ReadinessLevel string

// The levels, worst first.
const (
	// ReadinessPostponed: its voting is postponed (PSL or PSS), from the
	// report on.
	ReadinessPostponed ReadinessLevel = "ditunda"
	// ReadinessAtRisk: it cannot send its count (a blank spot with nothing
	// working for it) or stands in a hazard zone of class tinggi.
	ReadinessAtRisk ReadinessLevel = "rawan"
	// ReadinessWatch: weak signal, a walk to a point with signal, nobody
	// surveyed it yet, a hazard zone of class sedang, or its point is
	// unknown while hazard zones exist.
	ReadinessWatch ReadinessLevel = "waspada"
	// ReadinessReady: none of the above is known of it.
	ReadinessReady ReadinessLevel = "siap"
)

// ReadinessLevels lists the levels, worst first.
var ReadinessLevels = []ReadinessLevel{ReadinessPostponed, ReadinessAtRisk, ReadinessWatch, ReadinessReady}

// Rank orders the levels: 4 ditunda, 3 rawan, 2 waspada, 1 siap, 0 for
// anything else.
func (l ReadinessLevel) Rank() int {
	for i, v := range ReadinessLevels {
		if v == l {
			return len(ReadinessLevels) - i
		}
	}
	return 0
}

// Worse returns the worse of l and m.
func (l ReadinessLevel) Worse(m ReadinessLevel) ReadinessLevel {
	if m.Rank() > l.Rank() {
		return m
	}
	return l
}

// ReadinessReason is one thing known of a TPS that sets or informs its
// level, said in Bahasa Indonesia and in English.
type ReadinessReason struct {
	Code  string         `json:"code"`  // "blank", "hazard_high", …: stable, for filters and scripts
	Layer string         `json:"layer"` // the map layer it comes from: sinyal, bahaya, intervensi, relokasi, penundaan
	Level ReadinessLevel `json:"level"` // the level it calls for; siap for what only informs
	Text  string         `json:"text"`
	EN    string         `json:"en"`
}
