package intake_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/sirekap"
)

const desa = "3601012001" // Kab. Pandeglang, Kec. Sumur: 12 TPS

func tps(n int) string { return fmt.Sprintf("%s%03d", desa, n) }

// world is a Banten node on SQLite with the accounts and phones the
// tests need; nothing is served over HTTP: the tests call the intake as
// the channels do.
type world struct {
	n   *node.Node
	kpu *siaga.User // issues KPPS codes
	// phones by TPS number: kpps at 1 and 3, party 1's witness at 4.
	kpps1, kpps3, saksi4 *client.Device
	// koord1 and koord2 are witness coordinators of parties 1 and 2.
	koord1, koord2 *siaga.User
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	cfg := node.Config{DataDir: t.TempDir()}
	if err := node.Init(ctx, cfg, "36", 1); err != nil {
		t.Fatal(err)
	}
	n, err := node.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	w := &world{n: n}
	w.kpu = w.user(t, "kpu", siaga.RoleKPUProv, "")
	w.koord1 = w.user(t, "koord1", siaga.RoleSaksiKoord, siaga.PartyOf(1))
	w.koord2 = w.user(t, "koord2", siaga.RoleSaksiKoord, siaga.PartyOf(2))
	w.kpps1 = w.phone(t, w.kpu, tps(1), siaga.RoleKPPS)
	w.kpps3 = w.phone(t, w.kpu, tps(3), siaga.RoleKPPS)
	w.saksi4 = w.phone(t, w.koord1, tps(4), siaga.RoleSaksi)
	return w
}

func (w *world) user(t *testing.T, name string, role siaga.Role, party siaga.PartyRef) *siaga.User {
	t.Helper()
	u, err := w.n.Auth.AddUser(context.Background(), auth.Console(), auth.NewUser{Username: name, Name: name,
		Password: "kata-sandi-yang-panjang", Role: role, Scope: "36", Party: party})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// phone enrols a device of role at tps with a code issuer issued.
func (w *world) phone(t *testing.T, issuer *siaga.User, tps string, role siaga.Role) *client.Device {
	t.Helper()
	ctx := context.Background()
	codes, err := w.n.Auth.IssueEnrolments(ctx, issuer, []string{tps}, role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, secret, err := w.n.Auth.Enrol(ctx, codes[0], pub)
	if err != nil {
		t.Fatal(err)
	}
	return &client.Device{ID: d.ID, TPS: d.TPS, Role: d.Role, Key: key, Secret: secret}
}

// device is the enrolled device of a phone, as the SMS channel finds it.
func (w *world) device(t *testing.T, p *client.Device) *siaga.Device {
	t.Helper()
	d, err := w.n.Store.DeviceByID(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// form is a consistent presidential form of 60 + 120 + 30 votes.
func form() siaga.Form {
	return siaga.Form{
		Admin: siaga.Admin{"suara_sah": 210, "suara_tidak_sah": 2, "suara_total": 212},
		Votes: &siaga.Votes{Options: map[string]int{"01": 60, "02": 120, "03": 30}},
	}
}

func ppwp(tps string, src siaga.Source) *siaga.Submission {
	return &siaga.Submission{ID: uuid.Must(uuid.NewV7()).String(), TPS: tps, Contest: siaga.PPWP, Source: src, Form: form()}
}

func signed(p *client.Device, sub *siaga.Submission) *siaga.Submission {
	p.Sign(sub)
	return sub
}

func withReason(sub *siaga.Submission, replaces int) *siaga.Submission {
	sub.Reason, sub.Replaces = "Formulir diantar kurir", replaces
	if replaces > 0 { // a correction that changes something
		sub.Form.Admin["suara_tidak_sah"]++
		sub.Form.Admin["suara_total"]++
	}
	return sub
}

// TestIntake runs the intake's tests on one node: starting it is most of
// the time.
func TestIntake(t *testing.T) {
	w := newWorld(t)
	t.Run("credentials", func(t *testing.T) { testCredentials(t, w) })
	t.Run("bytes", func(t *testing.T) { testSubmitBytes(t, w) })
	t.Run("import", func(t *testing.T) { testImport(t, w) })
}

// testCredentials takes a submission in under every kind of credential,
// one the credential allows and ones it refuses, and checks who the
// version is by and what is refused, naming the field.
func testCredentials(t *testing.T, w *world) {
	ctx := context.Background()
	// The witness form the coordinators' corrections name.
	witness, err := w.n.Intake.Submit(ctx, signed(w.saksi4, ppwp(tps(4), siaga.SourceSaksi)), siaga.Credential{Kind: siaga.CredentialSigned})
	if err != nil {
		t.Fatal(err)
	}
	forged := signed(w.kpps1, ppwp(tps(1), siaga.SourceKPPS))
	forged.Form.Votes.Options["01"]++
	tooMany := ppwp(tps(1), siaga.SourceKPPS)
	tooMany.Form.Votes.Options["02"] = 100001
	unread := ppwp(tps(5), siaga.SourceSirekap)
	unread.Form.Admin = nil // the administrative page was not read: R12
	revoked := w.device(t, w.kpps3)
	revoked.RevokedAt = time.Now()
	someoneElses := ppwp(tps(3), siaga.SourceKPPS)
	someoneElses.Device = w.kpps1.ID

	kind := func(k siaga.CredentialKind) siaga.Credential { return siaga.Credential{Kind: k} }
	operator := func(u *siaga.User) siaga.Credential {
		return siaga.Credential{Kind: siaga.CredentialOperator, User: u}
	}
	sms := func(d *siaga.Device) siaga.Credential { return siaga.Credential{Kind: siaga.CredentialSMS, Device: d} }
	ppk := &siaga.User{Username: "ppk.sumur", Role: siaga.RolePPK, Scope: "360101"}
	tests := []struct {
		name   string
		sub    *siaga.Submission
		cred   siaga.Credential
		code   string // "" for stored
		field  string
		author string // "" when the sender is not believed
		rules  []string
	}{
		{"signed: its own TPS and source", signed(w.kpps1, ppwp(tps(1), siaga.SourceKPPS)), kind(siaga.CredentialSigned),
			"", "", "device:" + w.kpps1.ID, []string{}},
		{"signed: no device", ppwp(tps(1), siaga.SourceKPPS), kind(siaga.CredentialSigned), siaga.EUnauthorized, "device", "", nil},
		{"signed: forged", forged, kind(siaga.CredentialSigned), siaga.EUnauthorized, "signature", "", nil},
		{"signed: another TPS", signed(w.kpps1, ppwp(tps(2), siaga.SourceKPPS)), kind(siaga.CredentialSigned), siaga.EForbidden, "tps", "", nil},
		{"signed: another source", signed(w.kpps1, ppwp(tps(1), siaga.SourcePTPS)), kind(siaga.CredentialSigned), siaga.EForbidden, "source", "", nil},
		{"signed: believed, form refused", signed(w.kpps1, tooMany), kind(siaga.CredentialSigned),
			siaga.EInvalid, "form.suara.pilihan.02", "device:" + w.kpps1.ID, nil},

		{"operator: KPPS form in scope, with a reason", withReason(ppwp(tps(2), siaga.SourceKPPS), 0), operator(ppk),
			"", "", "user:ppk.sumur", []string{}},
		{"operator: no account", withReason(ppwp(tps(2), siaga.SourceKPPS), 0), operator(nil), siaga.EUnauthorized, "", "", nil},
		{"operator: no reason", ppwp(tps(6), siaga.SourceKPPS), operator(ppk), siaga.EInvalid, "reason", "", nil},
		{"operator: out of scope", withReason(ppwp("3602012001001", siaga.SourceKPPS), 0), operator(ppk), siaga.EForbidden, "tps", "", nil},
		{"operator: another body's source", withReason(ppwp(tps(6), siaga.SourcePTPS), 0), operator(ppk), siaga.EForbidden, "tps", "", nil},
		{"operator: Sirekap", withReason(ppwp(tps(6), siaga.SourceSirekap), 0), operator(ppk), siaga.EForbidden, "source", "", nil},
		{"operator: another party's witness version", withReason(ppwp(tps(4), siaga.SourceSaksi), witness.Receipt.Version), operator(w.koord2),
			siaga.EForbidden, "replaces", "", nil},
		{"operator: its party's witness version", withReason(ppwp(tps(4), siaga.SourceSaksi), witness.Receipt.Version), operator(w.koord1),
			"", "", "user:koord1", []string{}},

		{"sms: its own TPS", signed(w.kpps3, ppwp(tps(3), siaga.SourceKPPS)), sms(w.device(t, w.kpps3)), "", "", "sms:" + w.kpps3.ID, []string{}},
		{"sms: another TPS", signed(w.kpps3, ppwp(tps(7), siaga.SourceKPPS)), sms(w.device(t, w.kpps3)), siaga.EForbidden, "tps", "", nil},
		{"sms: revoked", signed(w.kpps3, ppwp(tps(3), siaga.SourceKPPS)), sms(revoked), siaga.EUnauthorized, "device", "", nil},
		{"sms: another device's form", someoneElses, sms(w.device(t, w.kpps3)), siaga.EUnauthorized, "device", "", nil},

		{"import: Sirekap", unread, kind(siaga.CredentialImport), "", "", "import:sirekap", []string{"R12"}},
		{"import: another source", ppwp(tps(5), siaga.SourceKPPS), kind(siaga.CredentialImport), siaga.EForbidden, "source", "", nil},

		{"no credential", ppwp(tps(8), siaga.SourceKPPS), siaga.Credential{}, siaga.EUnauthorized, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.n.Intake.Submit(ctx, tt.sub, tt.cred)
			if got.Author != tt.author || got.Submission != tt.sub {
				t.Errorf("author %q, submission %p; want %q, %p", got.Author, got.Submission, tt.author, tt.sub)
			}
			if tt.code != "" {
				wantError(t, err, tt.code, tt.field)
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			want := siaga.Receipt{Submission: tt.sub.ID, TPS: tt.sub.TPS, Contest: tt.sub.Contest, Source: tt.sub.Source,
				Version: tt.sub.Replaces + 1, Rules: tt.rules}
			if diff := cmp.Diff(want, got.Receipt, cmpReceipt); diff != "" || got.Replay {
				t.Errorf("receipt (-want +got), replay %v:\n%s", got.Replay, diff)
			}
		})
	}
}

// cmpReceipt compares what a test can know of a receipt in advance.
var cmpReceipt = cmp.FilterPath(func(p cmp.Path) bool {
	f := p.Last().String()
	return f == ".Hash" || f == ".ReceivedAt"
}, cmp.Ignore())

func wantError(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a user-facing error %s on %q", err, code, field)
	}
	if e.Code != code || e.Field != field || e.Message == "" || e.MessageEN == "" {
		t.Errorf("err = %+v, want %s on %q with messages in both languages", e, code, field)
	}
}

// testSubmitBytes: a channel that passes its bytes has them decoded by its
// decoder on the intake's thread; a decoding error is the decoder's, with
// no submission and no author.
func testSubmitBytes(t *testing.T, w *world) {
	ctx := context.Background()
	refuse := func([]byte) (*siaga.Submission, error) {
		return nil, siaga.Errorf(siaga.EInvalid, "form", "Formulir tak terbaca", "unreadable form")
	}
	got, err := w.n.Intake.SubmitBytes(ctx, []byte("x"), refuse, siaga.Credential{Kind: siaga.CredentialSigned})
	wantError(t, err, siaga.EInvalid, "form")
	if got.Submission != nil || got.Author != "" {
		t.Errorf("a body that does not decode gave %+v", got)
	}
	phone := w.phone(t, w.kpu, tps(10), siaga.RoleKPPS)
	sub := signed(phone, ppwp(tps(10), siaga.SourceKPPS))
	decode := func(b []byte) (*siaga.Submission, error) {
		if string(b) != "badan" {
			t.Errorf("decoder got %q", b)
		}
		return sub, nil
	}
	got, err = w.n.Intake.SubmitBytes(ctx, []byte("badan"), decode, siaga.Credential{Kind: siaga.CredentialSigned})
	if err != nil || got.Submission != sub || got.Receipt.Version != 1 || got.Replay || got.Author != "device:"+phone.ID {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// testImport: a Sirekap record builds on the latest version of its
// history; the same record again is a replay, a record KPU changed a
// correction whose reason says when.
func testImport(t *testing.T, w *world) {
	ctx := context.Background()
	rec := &sirekap.Record{TPS: tps(9), Form: form(), UpdatedAt: time.Date(2024, 2, 15, 9, 30, 0, 0, time.UTC)}
	first, err := w.n.Intake.Import(ctx, rec, siaga.PPWP)
	if err != nil || first.Replay || first.Receipt.Version != 1 || first.Author != "import:sirekap" {
		t.Fatalf("first import: %+v, %v", first, err)
	}
	again, err := w.n.Intake.Import(ctx, rec, siaga.PPWP)
	if err != nil || !again.Replay || again.Receipt.Submission != first.Receipt.Submission {
		t.Fatalf("second import of the same record: %+v, %v; want a replay of %s", again, err, first.Receipt.Submission)
	}
	rec.Form.Votes.Options["01"]++
	rec.UpdatedAt = rec.UpdatedAt.Add(time.Hour)
	changed, err := w.n.Intake.Import(ctx, rec, siaga.PPWP)
	if err != nil || changed.Replay || changed.Receipt.Version != 2 {
		t.Fatalf("changed record: %+v, %v; want version 2", changed, err)
	}
	if want := "Pembaruan data Sirekap 2024-02-15 10:30:00"; changed.Submission.Reason != want || changed.Submission.Replaces != 1 {
		t.Errorf("correction replaces %d with reason %q, want 1 with %q", changed.Submission.Replaces, changed.Submission.Reason, want)
	}
	if _, err := w.n.Intake.Import(ctx, &sirekap.Record{TPS: "3601012001999", Form: form()}, siaga.PPWP); siaga.ErrorCode(err) != siaga.EInvalid {
		t.Errorf("a TPS the registry lacks: %v, want invalid", err)
	}
}
