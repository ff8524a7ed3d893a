package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// Config is what the service needs, all of it real parts of a node.
type Config struct {
	Store siaga.SMSStore
	// Intake takes a report in with the device its code authenticated.
	Intake   siaga.Intake
	Election *siaga.Election
	// Dapil finds the dapil of a legislative or DPD contest at a TPS, to
	// read a report's candidates.
	Dapil  func(contest siaga.Contest, tps string) (*siaga.Dapil, bool)
	Now    func() time.Time
	Logger *slog.Logger
	// DeviceSecret derives a device's enrolment secret from the server key
	// (auth.Service.DeviceSecret); devices enrolled before secrets were
	// derived carry theirs in Device.Secret.
	DeviceSecret func(deviceID string) ([]byte, error)
	// After MaxBadCodes bad codes from one number within LockWindow of
	// the first, further bad codes get the locked reply until the window
	// ends. A valid code is always accepted: it proves the device.
	MaxBadCodes int
	LockWindow  time.Duration
	// ReportIncident takes a LAPOR message's report in (incident_report.go):
	// the incident service, reporting as the device in.ReporterDevice or,
	// when that is empty, as the public. It places the report, groups
	// duplicates, queues public reports for moderation and refuses a
	// sender over the public rate limit with ETooMany; a ClientID it has
	// already comes back as stored, so a resent SMS is one report. Nil,
	// LAPOR gets a reply that incident reports are off.
	ReportIncident func(ctx context.Context, in *siaga.Incident) (*siaga.Incident, error)
}

// Service turns SMS into submissions and answers each with a reply.
type Service struct {
	cfg Config
}

// New returns a service; zero fields of cfg get defaults.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBadCodes <= 0 {
		cfg.MaxBadCodes = 5
	}
	if cfg.LockWindow <= 0 {
		cfg.LockWindow = time.Hour
	}
	return &Service{cfg: cfg}
}

// Incoming is one SMS as a gateway hands it over.
type Incoming struct {
	Gateway   string // kannel, webhook
	From      string
	Text      string
	GatewayID string
}

// idNamespace makes submission ids of SMS reports a function of the device
// and the content: a resent SMS, which the gateway gives a new message id,
// is the same submission, and so is the same report sent later over HTTP by
// the field app, which computes the id the same way (static/sms.js).
var idNamespace = uuid.MustParse("a3f0c8e2-5b6d-4e1f-9c7a-2d8b4f6e1a90")

// CorrectionReason is the reason of a correction sent by SMS, which has no
// room for the officer's own.
const CorrectionReason = "Koreksi lewat SMS"

// SubmissionOf is the submission that the whole report whole (parts
// joined, no part marker, no code), read as form, makes for device d. The
// field app builds the same submission, byte for byte, when it sends the
// report by SMS, so that its later HTTP retry is the same submission
// (same id, same content) and the engine answers it with the SMS's
// receipt.
func SubmissionOf(d *siaga.Device, whole *Message, form siaga.Form) *siaga.Submission {
	sub := &siaga.Submission{
		ID:  uuid.NewSHA1(idNamespace, []byte(d.ID+"\n"+whole.Canonical())).String(),
		TPS: whole.TPS, Contest: whole.Contest, Source: d.Role.SubmitSource(), Device: d.ID,
		Form: form, Replaces: whole.Replaces,
	}
	if whole.Replaces > 0 {
		sub.Reason = CorrectionReason
	}
	return sub
}

// maxText bounds what is kept of one message: ten SMS.
const maxText = 10 * MaxLen

// Receive handles one SMS and returns the reply to send back. Both are
// logged. An error is an internal failure: the reply then asks the phone to
// resend, which is safe.
func (s *Service) Receive(ctx context.Context, in Incoming) (string, error) {
	m := siaga.SMSMessage{
		At: s.cfg.Now().UTC(), Direction: siaga.SMSIn, Number: clean(in.From, 40),
		Text: clean(in.Text, maxText), Gateway: in.Gateway, GatewayID: clean(in.GatewayID, 100),
	}
	reply, outcome, err := s.process(ctx, &m)
	if err != nil {
		s.cfg.Logger.Error("sms", "from", m.Number, "err", err)
		reply, outcome = failedReply, siaga.SMSFailed
	}
	if m.ID == 0 {
		m.Outcome = outcome
		if lerr := s.cfg.Store.AppendSMS(ctx, &m); lerr != nil {
			return failedReply, errors.Join(err, fmt.Errorf("sms: logging a message from %s: %w", m.Number, lerr))
		}
	}
	out := siaga.SMSMessage{
		At: s.cfg.Now().UTC(), Direction: siaga.SMSOut, Number: m.Number, Text: reply, Gateway: m.Gateway,
		Outcome: outcome, TPS: m.TPS, Device: m.Device, Submission: m.Submission, ReplyTo: m.ID,
	}
	if lerr := s.cfg.Store.AppendSMS(ctx, &out); lerr != nil {
		err = errors.Join(err, fmt.Errorf("sms: logging the reply to %s: %w", m.Number, lerr))
	}
	return reply, err
}

// Log returns SMS log entries, newest first.
func (s *Service) Log(ctx context.Context, f siaga.SMSFilter) ([]siaga.SMSMessage, error) {
	return s.cfg.Store.SMSLog(ctx, f)
}

// LogCount counts every entry f selects, whatever its page.
func (s *Service) LogCount(ctx context.Context, f siaga.SMSFilter) (int, error) {
	return s.cfg.Store.SMSLogCount(ctx, f)
}

// process decides what becomes of m and returns the reply and outcome. It
// fills m's TPS, device and submission as far as it gets; when it logs m
// itself (a part) it sets m.ID.
func (s *Service) process(ctx context.Context, m *siaga.SMSMessage) (string, string, error) {
	if IsLapor(m.Text) {
		return s.lapor(ctx, m)
	}
	p, err := Parse(m.Text)
	if err != nil {
		var e *siaga.Error
		if errors.As(err, &e) && e.Field != "" {
			return refusedReply(nil, e), siaga.SMSUnreadable, nil
		}
		return helpReply, siaga.SMSUnreadable, nil
	}
	m.TPS = p.TPS
	d, err := s.device(ctx, p)
	if err != nil {
		return "", "", err
	}
	if d == nil {
		return s.badCode(ctx, m, p)
	}
	m.Device = d.ID
	if p.Parts > 0 {
		return s.part(ctx, m, p, d)
	}
	return s.submit(ctx, m, p, p.Body, d)
}

// badCode counts a bad code against the number, atomically in the store so
// that parallel guesses (on any node) cannot share a count: exactly
// MaxBadCodes of them are told how many tries remain, the rest that the
// number is locked.
func (s *Service) badCode(ctx context.Context, m *siaga.SMSMessage, p *Message) (string, string, error) {
	n, since, err := s.cfg.Store.AddSMSBadCode(ctx, m.Number, m.At, s.cfg.LockWindow)
	if err != nil {
		return "", "", fmt.Errorf("sms: counting a bad code: %w", err)
	}
	if n > s.cfg.MaxBadCodes {
		s.cfg.Logger.Warn("sms: bad code from a locked number", "from", m.Number, "tps", p.TPS, "bad_codes", n)
		return lockedReply(since.Add(s.cfg.LockWindow)), siaga.SMSLocked, nil
	}
	return badCodeReply(p, s.cfg.MaxBadCodes-n), siaga.SMSBadCode, nil
}

// device finds which device of the TPS made the code; nil when none did.
func (s *Service) device(ctx context.Context, p *Message) (*siaga.Device, error) {
	devices, err := s.cfg.Store.DevicesOfTPS(ctx, p.TPS)
	if err != nil {
		return nil, fmt.Errorf("sms: devices of TPS %s: %w", p.TPS, err)
	}
	canonical := p.Canonical()
	for i := range devices {
		d := &devices[i]
		if d.Role.SubmitSource() == "" {
			continue
		}
		secret, err := s.secret(d)
		if err != nil {
			return nil, err
		}
		if codeMatches(secret, canonical, p.Code) {
			return d, nil
		}
	}
	return nil, nil
}

// secret is the device's stored secret (enrolled before secrets were
// derived) or the one derived from the server key.
func (s *Service) secret(d *siaga.Device) ([]byte, error) {
	if len(d.Secret) > 0 {
		return d.Secret, nil
	}
	if s.cfg.DeviceSecret == nil {
		return nil, fmt.Errorf("sms: no way to derive the secret of device %s", d.ID)
	}
	secret, err := s.cfg.DeviceSecret(d.ID)
	if err != nil {
		return nil, fmt.Errorf("sms: secret of device %s: %w", d.ID, err)
	}
	return secret, nil
}

// part keeps an authenticated part and, once every part of its report is
// in, submits the report.
func (s *Service) part(ctx context.Context, m *siaga.SMSMessage, p *Message, d *siaga.Device) (string, string, error) {
	m.Group = fmt.Sprintf("%s/%s/%d/%s/%d", d.ID, p.Contest, p.Replaces, p.ID, p.Parts)
	m.Part, m.Parts, m.Outcome = p.Part, p.Parts, siaga.SMSPart
	if err := s.cfg.Store.AppendSMS(ctx, m); err != nil {
		return "", "", fmt.Errorf("sms: keeping part %d/%d: %w", p.Part, p.Parts, err)
	}
	kept, err := s.cfg.Store.SMSParts(ctx, m.Group)
	if err != nil {
		return "", "", fmt.Errorf("sms: parts of %s: %w", m.Group, err)
	}
	bodies := make([][]string, p.Parts+1)
	for _, k := range kept {
		// The latest copy of a part wins; every copy was authenticated.
		if q, err := Parse(k.Text); err == nil && q.Part == k.Part && k.Part <= p.Parts {
			bodies[k.Part] = q.Body
		}
	}
	var missing []int
	var body []string
	for i := 1; i <= p.Parts; i++ {
		if bodies[i] == nil {
			missing = append(missing, i)
		}
		body = append(body, bodies[i]...)
	}
	if len(missing) > 0 {
		return partReply(p, missing), siaga.SMSPart, nil
	}
	return s.submit(ctx, m, p, body, d)
}

// submit reads a whole report's body and hands it to the intake.
func (s *Service) submit(ctx context.Context, m *siaga.SMSMessage, p *Message, body []string, d *siaga.Device) (string, string, error) {
	var dapil *siaga.Dapil
	if p.Contest != siaga.PPWP {
		var ok bool
		if dapil, ok = s.cfg.Dapil(p.Contest, p.TPS); !ok {
			e := siaga.Errorf(siaga.EInvalid, "contest", "Tidak ada dapil %s untuk TPS ini", "no %s dapil covers this TPS", p.Contest)
			return refusedReply(p, e), siaga.SMSRefused, nil
		}
	}
	form, err := Read(p.Contest, body, NewBallot(s.cfg.Election, p.Contest, dapil))
	if err != nil {
		return s.refused(p, err)
	}
	sub := SubmissionOf(d, &Message{TPS: p.TPS, Contest: p.Contest, Replaces: p.Replaces, Body: body}, form)
	m.Submission = sub.ID
	res, err := s.cfg.Intake.Submit(ctx, sub, siaga.Credential{Kind: siaga.CredentialSMS, Device: d})
	if err != nil {
		return s.refused(p, err)
	}
	if res.Replay {
		return recordedReply(res.Receipt, &form, true), siaga.SMSReplay, nil
	}
	return recordedReply(res.Receipt, &form, false), siaga.SMSRecorded, nil
}

// refused answers a user-facing error exactly; anything else is internal.
func (s *Service) refused(p *Message, err error) (string, string, error) {
	var e *siaga.Error
	if !errors.As(err, &e) || e.Code == siaga.EInternal || e.Code == siaga.EUnavailable {
		return "", "", err
	}
	return refusedReply(p, e), siaga.SMSRefused, nil
}

// clean keeps text storable in both databases and bounded.
func clean(s string, limit int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r == 0 || (r < 0x20 && r != '\n' && r != '\t' && r != '\r') {
			return -1
		}
		return r
	}, s)
	for len(s) > limit {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
