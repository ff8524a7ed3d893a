package siaga

import "context"

// Intake is the one way a count form enters Siaga (package intake). Every
// channel (the JSON API, the QR/file relay, SMS, the Sirekap import)
// decodes what it received into a Submission and hands it over with the
// credential it came with; the intake encodes it canonically once,
// authenticates and authorises the sender, validates the form, finds the
// rules it breaks and submits it to the results engine.
type Intake interface {
	Submit(ctx context.Context, sub *Submission, cred Credential) (IntakeResult, error)
}

// CredentialKind says how a channel knows who sent a submission.
type CredentialKind int

const (
	// CredentialSigned: the submission's own device signature, which
	// the intake verifies (the JSON API and the relay).
	CredentialSigned CredentialKind = iota + 1
	// CredentialOperator: an account the channel authenticated (an API
	// token); the intake decides what it may submit (auth.CanSubmit).
	CredentialOperator
	// CredentialSMS: a device that the channel authenticated by its SMS
	// code; the intake decides what it may submit (auth.CanDeviceSubmit).
	CredentialSMS
	// CredentialImport: the server's own import of KPU's Sirekap files
	// (`siaga import sirekap`); no network channel offers it.
	CredentialImport
)

// Credential is what a channel knows of a submission's sender.
type Credential struct {
	Kind   CredentialKind
	User   *User   // CredentialOperator
	Device *Device // CredentialSMS
}

// IntakeResult is what became of a submission the intake took.
type IntakeResult struct {
	// Submission is the submission as decoded; nil when the channel's
	// bytes could not be.
	Submission *Submission
	// Author is who the version is by ("device:ID", "user:NAME",
	// "sms:ID", "import:sirekap"), set as soon as the sender is
	// authenticated and authorised: with an error, it tells a form that
	// was refused from one whose sender was not believed.
	Author  string
	Receipt Receipt
	// Replay: the receipt is of an earlier version with the same content.
	Replay bool
}
