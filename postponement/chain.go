// Package postponement records the voting of a TPS postponed on the day
// (PSL, PSS) through its decision chain, checks every step against the
// law's order and deadline, and holds the set of postponed TPS that the
// e-rekap asks while it lists who has not reported (docs/postponement.md).
package postponement

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// MaxDays is how many days after voting day a postponed voting may be
// held at the latest (UU 7/2017; PKPU 25/2023 Pasal 109–111).
const MaxDays = 10

// Bounds of the free text of a postponement, in characters.
const (
	maxName   = 200
	maxLetter = 100
	maxReason = 500
)

// dateLayout is how dates are written: the election's Date and a
// postponement's NewDate.
const dateLayout = "2006-01-02"

// Rules are what a step is checked against: the election's voting day
// and the zone its dates are in.
type Rules struct {
	VotingDay string // YYYY-MM-DD, siaga.Election.Date
	Zone      *time.Location
	Now       func() time.Time
}

// Report checks a reported postponement and returns it at status
// dilaporkan: the first link, by KPPS or PPK.
func (r Rules) Report(tps string, kind siaga.PostponementKind, stage, reason string, step siaga.PostponementStep) (siaga.Postponement, error) {
	p := siaga.Postponement{TPS: tps, Kind: kind, Stage: stage, Reason: strings.TrimSpace(reason),
		Status: siaga.PostponementReported, Report: step, UpdatedAt: step.At}
	switch {
	case !kind.Valid():
		return p, siaga.Errorf(siaga.EInvalid, "kind", "Jenis penundaan %q tidak dikenal (psl, pss)", "unknown postponement kind %q (psl, pss)", kind)
	case kind == siaga.PostponementPSL && stage != siaga.StageVoting && stage != siaga.StageCounting:
		return p, siaga.Errorf(siaga.EInvalid, "stage", "PSL menyebut tahap yang terhenti (pemungutan, penghitungan)",
			"a PSL names the stage that stopped (pemungutan, penghitungan)")
	case kind == siaga.PostponementPSS && stage != "":
		return p, siaga.Errorf(siaga.EInvalid, "stage", "PSS mengulang seluruh pemungutan: tanpa tahap",
			"a PSS holds the whole voting again: no stage")
	case p.Reason == "":
		return p, siaga.Errorf(siaga.EInvalid, "reason", "Alasan penundaan wajib diisi", "the reason is required")
	case utf8.RuneCountInString(p.Reason) > maxReason || !utf8.ValidString(p.Reason):
		return p, siaga.Errorf(siaga.EInvalid, "reason", "Alasan terlalu panjang (maksimal %d huruf)", "reason too long (at most %d characters)", maxReason)
	}
	if err := r.checkStep("report", step, time.Time{}); err != nil {
		return p, err
	}
	return p, nil
}

// Recommend is p after Panwascam's or Bawaslu's recommendation.
func (r Rules) Recommend(p siaga.Postponement, step siaga.PostponementStep) (siaga.Postponement, error) {
	if err := r.from(p, siaga.PostponementReported, "recommend"); err != nil {
		return p, err
	}
	if err := r.checkStep("recommendation", step, p.Report.At); err != nil {
		return p, err
	}
	p.Status, p.Recommendation, p.UpdatedAt = siaga.PostponementRecommended, &step, step.At
	return p, nil
}

// Decide is p after KPU kab/kota's decision: a letter number and the new
// date, after voting day and at most MaxDays after it, not before the
// decision itself.
func (r Rules) Decide(p siaga.Postponement, step siaga.PostponementStep, newDate string) (siaga.Postponement, error) {
	if err := r.from(p, siaga.PostponementRecommended, "decide"); err != nil {
		return p, err
	}
	if err := r.checkStep("decision", step, p.Recommendation.At); err != nil {
		return p, err
	}
	if strings.TrimSpace(step.Letter) == "" {
		return p, siaga.Errorf(siaga.EInvalid, "decision.letter", "Keputusan KPU wajib bernomor surat", "a decision needs its letter number")
	}
	day, err := time.Parse(dateLayout, r.VotingDay)
	if err != nil {
		return p, siaga.Errorf(siaga.EInternal, "", "Tanggal pemungutan suara pemilu tidak terbaca: %q", "the election's voting day is unreadable: %q", r.VotingDay)
	}
	nd, err := time.Parse(dateLayout, newDate)
	if err != nil {
		return p, siaga.Errorf(siaga.EInvalid, "new_date", "Tanggal baru %q tidak terbaca (YYYY-MM-DD)", "new date %q is unreadable (YYYY-MM-DD)", newDate)
	}
	last := day.AddDate(0, 0, MaxDays)
	if !nd.After(day) || nd.After(last) {
		return p, siaga.Errorf(siaga.EInvalid, "new_date", "Tanggal baru harus sesudah hari pemungutan %s dan paling lambat %s (%d hari)",
			"the new date must be after voting day %s and by %s (%d days)", r.VotingDay, last.Format(dateLayout), MaxDays)
	}
	if decided := r.date(step.At); nd.Before(decided) {
		return p, siaga.Errorf(siaga.EInvalid, "new_date", "Tanggal baru %s sebelum tanggal keputusan %s", "new date %s is before the decision's %s",
			newDate, decided.Format(dateLayout))
	}
	p.Status, p.Decision, p.NewDate, p.UpdatedAt = siaga.PostponementDecided, &step, newDate, step.At
	return p, nil
}

// Close is p once the postponed voting took place (selesai: only after a
// decision, on or after its new date) or withdrawn (dibatalkan: at any
// point of the chain, with a note saying why).
func (r Rules) Close(p siaga.Postponement, to siaga.PostponementStatus, step siaga.PostponementStep) (siaga.Postponement, error) {
	last := p.Report.At
	for _, s := range []*siaga.PostponementStep{p.Recommendation, p.Decision} {
		if s.Taken() {
			last = s.At
		}
	}
	switch to {
	case siaga.PostponementDone:
		if err := r.from(p, siaga.PostponementDecided, "close"); err != nil {
			return p, err
		}
		if nd, _ := time.Parse(dateLayout, p.NewDate); r.date(step.At).Before(nd) {
			return p, siaga.Errorf(siaga.EInvalid, "closing.at", "Pemungutan yang ditunda dijadwalkan %s: belum bisa selesai",
				"the postponed voting is set for %s: it cannot be done yet", p.NewDate)
		}
	case siaga.PostponementCancelled:
		if !p.Status.Active() {
			return p, siaga.Errorf(siaga.EConflict, "status", "Penundaan sudah %s: tidak bisa dibatalkan",
				"the postponement is already %s: it cannot be cancelled", p.Status)
		}
		if strings.TrimSpace(step.Note) == "" {
			return p, siaga.Errorf(siaga.EInvalid, "closing.note", "Pembatalan wajib disertai alasan", "a cancellation needs its reason")
		}
	default:
		return p, siaga.Errorf(siaga.EInvalid, "status", "Penutupan berstatus selesai atau dibatalkan, bukan %q",
			"closing is to selesai or dibatalkan, not %q", to)
	}
	if err := r.checkStep("closing", step, last); err != nil {
		return p, err
	}
	p.Status, p.Closing, p.UpdatedAt = to, &step, step.At
	return p, nil
}

// from refuses a step out of the chain's order: p must be at status want.
func (r Rules) from(p siaga.Postponement, want siaga.PostponementStatus, step string) error {
	if p.Status == want {
		return nil
	}
	return siaga.Errorf(siaga.EConflict, "status", "Langkah %s tidak bisa dari status %s (harus %s)",
		"step %s cannot follow status %s (needs %s)", step, p.Status, want)
}

// checkStep checks who signed a step and when: an official in office, a
// time not before the step before (after) nor in the future.
func (r Rules) checkStep(field string, s siaga.PostponementStep, after time.Time) error {
	for _, f := range []struct{ name, value string }{{"name", s.Name}, {"office", s.Office}} {
		if strings.TrimSpace(f.value) == "" {
			return siaga.Errorf(siaga.EInvalid, field+"."+f.name, "Nama dan jabatan penanda tangan wajib diisi",
				"the signatory's name and office are required")
		}
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"name", s.Name, maxName}, {"office", s.Office, maxName}, {"letter", s.Letter, maxLetter}, {"note", s.Note, maxReason}} {
		if utf8.RuneCountInString(f.value) > f.max || !utf8.ValidString(f.value) {
			return siaga.Errorf(siaga.EInvalid, field+"."+f.name, "Isian terlalu panjang (maksimal %d huruf)",
				"too long (at most %d characters)", f.max)
		}
	}
	switch {
	case s.At.IsZero():
		return siaga.Errorf(siaga.EInvalid, field+".at", "Waktu langkah wajib diisi", "the step's time is required")
	case s.At.Before(after):
		return siaga.Errorf(siaga.EInvalid, field+".at", "Waktu langkah sebelum langkah sebelumnya (%s)",
			"the step's time is before the previous step's (%s)", after.In(r.zone()).Format("2006-01-02 15:04"))
	case r.Now != nil && s.At.After(r.Now().Add(maxSkew)):
		return siaga.Errorf(siaga.EInvalid, field+".at", "Waktu langkah di masa depan", "the step's time is in the future")
	}
	return nil
}

// maxSkew is how far ahead of the server's clock a step's time may be:
// officials' phones are not all set right.
const maxSkew = 5 * time.Minute

// date is the calendar day of t in the election's zone.
func (r Rules) date(t time.Time) time.Time {
	d, _ := time.Parse(dateLayout, t.In(r.zone()).Format(dateLayout))
	return d
}

func (r Rules) zone() *time.Location {
	if r.Zone == nil {
		return siaga.WIB
	}
	return r.Zone
}
