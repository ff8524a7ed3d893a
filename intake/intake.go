// Package intake is the one way a count form enters Siaga. The JSON API,
// the QR/file relay, SMS and the Sirekap import each decode what they
// receive and hand the submission over with the credential it came with;
// the intake then, for every channel alike:
//
//  1. encodes it canonically, once (the signature, the content hash, the
//     version hash and the store all use these bytes);
//  2. authenticates and authorises the sender (auth.Service.VerifyCanonical,
//     auth.CanSubmit, auth.CanDeviceSubmit);
//  3. validates the form and finds the rules it breaks (rules.Checker: one
//     context per submission);
//  4. submits it to the results engine, whose writer then only numbers,
//     chains, stores and applies.
//
// Steps 1–3 (and the decoding, for a channel that passes its bytes) run on
// a bounded pool of lowered-priority threads (package priority): however
// many phones post at once, only a few submissions compete for the cores,
// after the readers of the tallies.
package intake

import (
	"context"
	"runtime"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/priority"
	"github.com/deskpemilu/siaga/rules"
)

// Auth authenticates devices (auth.Service).
type Auth interface {
	VerifyCanonical(ctx context.Context, sub *siaga.Submission, canonical []byte) (*siaga.Device, error)
	// AuthorParty is the party the author of a version speaks for.
	AuthorParty(ctx context.Context, author string) (siaga.PartyRef, error)
}

// Results is the e-rekap engine (results.Engine).
type Results interface {
	SubmitEncoded(ctx context.Context, sub *siaga.Submission, canonical, form []byte, author string, flags []string) (siaga.Receipt, bool, error)
	History(ctx context.Context, tps string) ([]siaga.Version, error)
	LatestVersion(k siaga.Key) int
}

// Config is what an Intake needs; all but Threads are required.
type Config struct {
	Auth    Auth
	Results Results
	Rules   *rules.Checker
	// Threads bounds the submissions checked at once (default twice the
	// cores, not the Ps: siaga runs more Ps than cores). One per core gave
	// reads a shorter tail and ingest less throughput (BENCHMARKS.md, read).
	Threads int
}

// Intake takes submissions in; it is safe for concurrent use.
type Intake struct {
	cfg  Config
	pool *priority.Pool
}

// New returns an intake over cfg.
func New(cfg Config) *Intake {
	if cfg.Threads <= 0 {
		cfg.Threads = 2 * runtime.NumCPU()
	}
	return &Intake{cfg: cfg, pool: priority.NewPool(cfg.Threads)}
}

// Decoder reads a channel's bytes into a submission, refusing malformed
// ones with a *siaga.Error that names the field.
type Decoder func(body []byte) (*siaga.Submission, error)

// Submit takes in sub, sent with cred, and returns its receipt once it is
// durable. Errors are user-facing (*siaga.Error) unless something failed
// inside the server.
func (in *Intake) Submit(ctx context.Context, sub *siaga.Submission, cred siaga.Credential) (siaga.IntakeResult, error) {
	c := &checked{sub: sub}
	if err := in.pool.Run(ctx, func() { in.check(ctx, c, cred) }); err != nil {
		return siaga.IntakeResult{Submission: sub}, err
	}
	return in.submit(ctx, c)
}

// SubmitBytes is Submit for a channel that passes its bytes: decode runs
// on the pool's thread too, since decoding a form's JSON costs about as
// much as checking it.
func (in *Intake) SubmitBytes(ctx context.Context, body []byte, decode Decoder, cred siaga.Credential) (siaga.IntakeResult, error) {
	c := &checked{}
	err := in.pool.Run(ctx, func() {
		if c.sub, c.err = decode(body); c.err == nil {
			in.check(ctx, c, cred)
		}
	})
	if err != nil {
		return siaga.IntakeResult{}, err
	}
	return in.submit(ctx, c)
}

// checked is a submission on its way through: everything the writer needs
// that depends on no other version, or the error that stopped it.
type checked struct {
	sub             *siaga.Submission
	canonical, form []byte
	author          string
	flags           []string
	err             error
}

// check is the work on a lowered thread: encode once, authenticate and
// authorise, validate and flag.
func (in *Intake) check(ctx context.Context, c *checked, cred siaga.Credential) {
	c.canonical, c.form = c.sub.Canonical()
	if c.author, c.err = in.authenticate(ctx, c.sub, c.canonical, cred); c.err != nil {
		return
	}
	c.flags, c.err = in.cfg.Rules.Inspect(c.sub)
}

// submit hands a checked submission to the engine, back on the caller's
// goroutine: waiting for the writer holds no thread of the pool.
func (in *Intake) submit(ctx context.Context, c *checked) (siaga.IntakeResult, error) {
	res := siaga.IntakeResult{Submission: c.sub, Author: c.author}
	if c.err != nil {
		return res, c.err
	}
	var err error
	res.Receipt, res.Replay, err = in.cfg.Results.SubmitEncoded(ctx, c.sub, c.canonical, c.form, c.author, c.flags)
	return res, err
}

// authenticate checks that cred speaks for sub's sender and that the
// sender may send sub, and returns the version's author.
func (in *Intake) authenticate(ctx context.Context, sub *siaga.Submission, canonical []byte, cred siaga.Credential) (string, error) {
	switch cred.Kind {
	case siaga.CredentialSigned:
		if sub.Device == "" {
			return "", siaga.Errorf(siaga.EUnauthorized, "device", "Kiriman harus ditandatangani perangkat terdaftar",
				"a submission must be signed by an enrolled device")
		}
		d, err := in.cfg.Auth.VerifyCanonical(ctx, sub, canonical)
		if err != nil {
			return "", err
		}
		return "device:" + d.ID, nil
	case siaga.CredentialOperator:
		return in.operator(ctx, sub, cred.User)
	case siaga.CredentialSMS:
		if err := auth.CanDeviceSubmit(cred.Device, sub); err != nil {
			return "", err
		}
		return "sms:" + cred.Device.ID, nil
	case siaga.CredentialImport:
		if sub.Source != siaga.SourceSirekap {
			return "", siaga.Errorf(siaga.EForbidden, "source", "Impor hanya membawa data Sirekap, bukan %q",
				"the import carries only Sirekap records, not %q", sub.Source)
		}
		return "import:sirekap", nil
	}
	return "", siaga.Errorf(siaga.EUnauthorized, "", "Pengirim tidak dikenal", "unknown sender")
}

// operator authorises a form an account enters or corrects.
func (in *Intake) operator(ctx context.Context, sub *siaga.Submission, u *siaga.User) (string, error) {
	if u == nil {
		return "", auth.CanSubmit(nil, sub, "")
	}
	replaced, err := in.replacedParty(ctx, sub)
	if err != nil {
		return "", err
	}
	if err := auth.CanSubmit(u, sub, replaced); err != nil {
		return "", err
	}
	return "user:" + u.Username, nil
}

// replacedParty is the party of whoever wrote the witness version that
// sub corrects: a witness's record is its own party's. Only operators'
// corrections of witness forms ask, which are rare and never signed, so
// the devices' hot path asks no database for it.
func (in *Intake) replacedParty(ctx context.Context, sub *siaga.Submission) (siaga.PartyRef, error) {
	if sub.Source != siaga.SourceSaksi || sub.Replaces <= 0 {
		return "", nil
	}
	history, err := in.cfg.Results.History(ctx, sub.TPS)
	if err != nil {
		return "", err
	}
	for _, v := range history {
		if v.Key == sub.Key() && v.Number == sub.Replaces {
			return in.cfg.Auth.AuthorParty(ctx, v.Author)
		}
	}
	// Refused rather than left to the engine: a version numbered so could
	// be stored a moment later by another party's witness.
	return "", siaga.Errorf(siaga.EConflict, "replaces", "Versi %d belum ada", "version %d does not exist", sub.Replaces)
}
