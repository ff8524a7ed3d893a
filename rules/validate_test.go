package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		contest siaga.Contest
		form    func() siaga.Form
		edit    func(*siaga.Submission)
		field   string // "" when valid
		msg     string // part of the Indonesian message, when set
	}{
		{name: "ppwp ok", contest: siaga.PPWP, form: ppwpForm},
		{name: "dpr ok", contest: siaga.DPR, form: dprForm},
		{name: "dpd ok", contest: siaga.DPD, form: dpdForm},
		{name: "empty form ok", contest: siaga.PPWP, form: func() siaga.Form { return siaga.Form{} }},
		{name: "uppercase uuid", contest: siaga.PPWP, form: ppwpForm,
			edit: func(s *siaga.Submission) { s.ID = strings.ToUpper(s.ID) }},
		{name: "reason of 500 runes", contest: siaga.PPWP, form: ppwpForm,
			edit: func(s *siaga.Submission) { s.Reason = strings.Repeat("é", 500) }},
		{name: "bad uuid", contest: siaga.PPWP, form: ppwpForm, field: "id",
			edit: func(s *siaga.Submission) { s.ID = "0b5a3d0e-6f1c-4c2a-9d7e-2f1b8c9a0e1g" }},
		{name: "uuid without dashes", contest: siaga.PPWP, form: ppwpForm, field: "id",
			edit: func(s *siaga.Submission) { s.ID = "0b5a3d0e6f1c4c2a9d7e2f1b8c9a0e11" }},
		{name: "unknown contest", contest: "dprd", form: ppwpForm, field: "contest"},
		{name: "unknown source", contest: siaga.PPWP, form: ppwpForm, field: "source",
			edit: func(s *siaga.Submission) { s.Source = "camat" }},
		{name: "short tps", contest: siaga.PPWP, form: ppwpForm, field: "tps",
			edit: func(s *siaga.Submission) { s.TPS = "360101200100" }},
		{name: "reason too long", contest: siaga.PPWP, form: ppwpForm, field: "reason",
			edit: func(s *siaga.Submission) { s.Reason = strings.Repeat("a", 501) }},
		{name: "negative replaces", contest: siaga.PPWP, form: ppwpForm, field: "replaces",
			edit: func(s *siaga.Submission) { s.Replaces = -1 }},
		{name: "largest replaces", contest: siaga.PPWP, form: ppwpForm,
			edit: func(s *siaga.Submission) { s.Replaces, s.Reason = MaxVersion, "x" }},
		{name: "replaces past 32 bits", contest: siaga.PPWP, form: ppwpForm, field: "replaces",
			edit: func(s *siaga.Submission) { s.Replaces, s.Reason = 1<<32+1, "x" }},
		{name: "blank reason", contest: siaga.PPWP, form: ppwpForm, field: "reason",
			edit: func(s *siaga.Submission) { s.Replaces, s.Reason = 1, " \t\u00a0\n" }},
		{name: "unknown admin key", contest: siaga.PPWP, form: ppwpForm, field: "form.administrasi.golput",
			edit: func(s *siaga.Submission) { s.Form.Admin["zz"] = 1; s.Form.Admin["golput"] = 1 }},
		{name: "negative admin", contest: siaga.PPWP, form: ppwpForm, field: "form.administrasi.suara_sah",
			msg:  "tidak boleh negatif",
			edit: func(s *siaga.Submission) { s.Form.Admin["suara_sah"] = -1 }},
		{name: "absurd admin", contest: siaga.PPWP, form: ppwpForm, field: "form.administrasi.pemilih_dpt_j",
			msg:  "terlalu besar",
			edit: func(s *siaga.Submission) { s.Form.Admin["pemilih_dpt_j"] = MaxCount + 1 }},
		{name: "max count is fine", contest: siaga.PPWP, form: ppwpForm,
			edit: func(s *siaga.Submission) { s.Form.Admin["pemilih_dpt_j"] = MaxCount }},
		{name: "unknown ticket", contest: siaga.PPWP, form: ppwpForm, field: "form.suara.pilihan.04",
			msg:  "Nomor urut paslon 04 tidak ada pada pemilu ini",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options["04"] = 1 }},
		{name: "smallest bad option reported", contest: siaga.PPWP, form: ppwpForm, field: "form.suara.pilihan.01",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options["01"] = -5; s.Form.Votes.Options["09"] = 1 }},
		{name: "ticket without zero", contest: siaga.PPWP, form: ppwpForm, field: "form.suara.pilihan.1",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options["1"] = 1 }},
		{name: "negative ticket votes", contest: siaga.PPWP, form: ppwpForm, field: "form.suara.pilihan.02",
			msg:  "tidak boleh negatif",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options["02"] = -1 }},
		{name: "parties on ppwp", contest: siaga.PPWP, form: ppwpForm, field: "form.suara.partai",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties = map[string]siaga.PartyVotes{"1": {Party: 1}} }},
		{name: "options on dpr", contest: siaga.DPR, form: dprForm, field: "form.suara.pilihan",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options = map[string]int{"01": 1} }},
		{name: "dpd ticket number", contest: siaga.DPD, form: dpdForm, field: "form.suara.pilihan.01",
			msg:  "Calon DPD 01 tidak ada",
			edit: func(s *siaga.Submission) { s.Form.Votes.Options["01"] = 1 }},
		{name: "unknown party", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.3",
			msg:  "Partai nomor 3 tidak ada",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["3"] = siaga.PartyVotes{} }},
		{name: "party with leading zero", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.04",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["04"] = siaga.PartyVotes{} }},
		{name: "negative party votes", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.24.suara_partai",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["24"] = siaga.PartyVotes{Party: -3} }},
		{name: "absurd party total", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.24.jumlah",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["24"] = siaga.PartyVotes{Total: intp(200000)} }},
		{name: "candidate of another party", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.4.caleg.01-1",
			msg: "Caleg 01-1 tidak ada pada daftar partai 4 di dapil BANTEN I",
			edit: func(s *siaga.Submission) {
				s.Form.Votes.Parties["4"].Candidates["01-1"] = 1
			}},
		{name: "unknown candidate", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.4.caleg.04-7",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["4"].Candidates["04-7"] = 1 }},
		{name: "negative candidate votes", contest: siaga.DPR, form: dprForm, field: "form.suara.partai.4.caleg.04-9",
			msg:  "tidak boleh negatif",
			edit: func(s *siaga.Submission) { s.Form.Votes.Parties["4"].Candidates["04-9"] = -1 }},
		{name: "dprd candidate list differs", contest: siaga.DPRDKab, form: dprForm, field: "form.suara.partai.1.caleg.01-1"},
	}
	for _, tt := range tests {
		for _, indexed := range []bool{false, true} {
			name := tt.name
			if indexed {
				name += "/indexed"
			}
			t.Run(name, func(t *testing.T) {
				sub := submission(tt.contest, tt.form())
				if tt.edit != nil {
					tt.edit(sub)
				}
				contest := tt.contest
				if !contest.Valid() {
					contest = siaga.PPWP
				}
				err := Validate(sub, testContext(t, contest, indexed))
				assertInvalid(t, err, tt.field, tt.msg)
			})
		}
	}
}

// assertInvalid checks that err is nil when field is "", else an EInvalid
// *siaga.Error on field whose messages are set and contain msg.
func assertInvalid(tb testing.TB, err error, field, msg string) {
	tb.Helper()
	if field == "" {
		if err != nil {
			tb.Fatalf("Validate: %v, want nil", err)
		}
		return
	}
	var e *siaga.Error
	if !errors.As(err, &e) {
		tb.Fatalf("Validate: %v, want *siaga.Error on %s", err, field)
	}
	if e.Code != siaga.EInvalid || e.Field != field {
		tb.Fatalf("Validate: code %s field %q, want %s %q (%v)", e.Code, e.Field, siaga.EInvalid, field, e)
	}
	if e.Message == "" || e.MessageEN == "" || !strings.Contains(e.Message, msg) {
		tb.Fatalf("Validate: messages %q / %q, want both set and the first to contain %q", e.Message, e.MessageEN, msg)
	}
}

func TestValidateContextMismatch(t *testing.T) {
	tests := []struct {
		name string
		sub  *siaga.Submission
		c    Context
	}{
		{"no election", submission(siaga.PPWP, ppwpForm()), Context{}},
		{"no dapil", submission(siaga.DPR, dprForm()), testContext(t, siaga.PPWP, false)},
		{"dapil of another contest", submission(siaga.DPR, dprForm()), testContext(t, siaga.DPD, false)},
		{"another tps", func() *siaga.Submission {
			s := submission(siaga.PPWP, ppwpForm())
			s.TPS = "3601012001004"
			return s
		}(), testContext(t, siaga.PPWP, false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.sub, tt.c)
			if got := siaga.ErrorCode(err); got != siaga.EInternal {
				t.Fatalf("Validate: %v (code %q), want an internal error", err, got)
			}
		})
	}
	if got := siaga.ErrorCode(Validate(nil, testContext(t, siaga.PPWP, false))); got != siaga.EInvalid {
		t.Errorf("Validate(nil): code %q, want %q", got, siaga.EInvalid)
	}
}

func TestValidateAllocations(t *testing.T) {
	for _, contest := range []siaga.Contest{siaga.PPWP, siaga.DPR} {
		c := testContext(t, contest, true)
		sub := submission(contest, ppwpForm())
		if contest == siaga.DPR {
			sub = submission(contest, dprForm())
		}
		if n := testing.AllocsPerRun(100, func() { _ = Validate(sub, c) }); n != 0 {
			t.Errorf("Validate %s: %v allocations, want 0", contest, n)
		}
	}
}
