package warning

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// Incidents is what the service reads of the incident store.
type Incidents interface {
	EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error
}

// Sender sends one SMS (sms.Kannel).
type Sender interface {
	Send(ctx context.Context, to, text string) error
}

// SMSLog is where every SMS sent is logged (siaga.SMSStore).
type SMSLog interface {
	AppendSMS(ctx context.Context, m *siaga.SMSMessage) error
}

// ServiceConfig is what the service needs.
type ServiceConfig struct {
	Store     siaga.WarningStore
	Incidents Incidents
	Method    Config
	Sender    Sender // nil: notices stay in the app, SMS wait for a gateway
	SMSLog    SMSLog
	Now       func() time.Time
	Logger    *slog.Logger
}

// Service raises the early-warning alerts and tells the subscribers.
type Service struct {
	cfg     ServiceConfig
	trigger chan struct{}
	// scanning makes scans one at a time: Run's and one asked for
	// directly (a test, the demo) would otherwise both find the same new
	// cluster before either stored it, and raise it twice.
	scanning sync.Mutex
}

// NewService returns a service; zero fields get defaults.
func NewService(cfg ServiceConfig) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Method.Rules == nil {
		cfg.Method = DefaultConfig()
	}
	return &Service{cfg: cfg, trigger: make(chan struct{}, 1)}
}

// Trigger asks for a scan soon: the incident service calls it after each
// verification, so an alert does not wait for the next tick. It never
// blocks.
func (s *Service) Trigger() {
	select {
	case s.trigger <- struct{}{}:
	default:
	}
}

// Run scans every interval and on Trigger, and sends the SMS notices due,
// until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Scan(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("early-warning scan", "err", err)
		}
		if err := s.SendNotices(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("early-warning SMS", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.trigger:
		}
	}
}

// counted are the statuses the scan reads from the store.
var counted = []siaga.IncidentStatus{siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand, siaga.IncidentClosed}

// Scan runs the method over the store's incidents and stores what is
// new: an alert that shares a report with an open alert of the same rule
// and category extends it; any other is a new alert, told to its
// subscribers. It returns the alerts created or extended.
func (s *Service) Scan(ctx context.Context) ([]siaga.WarningAlert, error) {
	s.scanning.Lock()
	defer s.scanning.Unlock()
	now := s.cfg.Now()
	in := NewInput(s.cfg.Method, now)
	err := s.cfg.Incidents.EachIncident(ctx, siaga.IncidentFilter{Statuses: counted, From: in.Since(), To: now.Add(time.Second)},
		func(inc *siaga.Incident) error { in.Add(inc); return nil })
	if err != nil {
		return nil, err
	}
	found := Scan(in)
	if len(found) == 0 {
		return nil, nil
	}
	open, err := s.openAlerts(ctx)
	if err != nil {
		return nil, err
	}
	var changed []siaga.WarningAlert
	for _, a := range found {
		if old := overlapping(open, a); old != nil {
			if extended, ok := extend(*old, a, now); ok {
				if err := s.cfg.Store.UpdateWarningAlert(ctx, &extended); err != nil {
					return changed, err
				}
				*old = extended
				changed = append(changed, extended)
			}
			continue
		}
		a.Status, a.RaisedAt, a.UpdatedAt, a.Version = siaga.WarningNew, now, now, 1
		notices, err := s.notices(ctx, a, now)
		if err != nil {
			return changed, err
		}
		detail, _ := json.Marshal(map[string]any{"rule": a.Rule, "category": a.Category, "incidents": a.Incidents})
		audit := siaga.AuditEvent{At: now, Actor: "system", Action: siaga.AuditWarningRaise, Scope: a.Region, Detail: detail}
		if err := s.cfg.Store.CreateWarningAlert(ctx, &a, notices, audit); err != nil {
			return changed, err
		}
		open = append(open, a)
		changed = append(changed, a)
		s.cfg.Logger.Info("early-warning alert", "id", a.ID, "rule", a.Rule, "category", a.Category, "region", a.Region, "reports", len(a.Incidents))
	}
	return changed, nil
}

func (s *Service) openAlerts(ctx context.Context) ([]siaga.WarningAlert, error) {
	f := siaga.WarningFilter{Statuses: []siaga.WarningStatus{siaga.WarningNew, siaga.WarningAcknowledged}, Limit: 1000}
	var all []siaga.WarningAlert
	for {
		page, err := s.cfg.Store.WarningAlerts(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			return all, nil
		}
		f.Before = page[len(page)-1].ID
	}
}

// overlapping is the open alert of a's rule and category sharing a report
// with a, if any.
func overlapping(open []siaga.WarningAlert, a siaga.WarningAlert) *siaga.WarningAlert {
	for i := range open {
		o := &open[i]
		if o.Rule != a.Rule || o.Category != a.Category {
			continue
		}
		for _, id := range a.Incidents {
			if _, ok := slices.BinarySearch(o.Incidents, id); ok {
				return o
			}
		}
	}
	return nil
}

// extend adds a's new reports to old; ok is false when a brings none.
func extend(old, a siaga.WarningAlert, now time.Time) (siaga.WarningAlert, bool) {
	ids := slices.Clone(old.Incidents)
	for _, id := range a.Incidents {
		if _, ok := slices.BinarySearch(ids, id); !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == len(old.Incidents) {
		return old, false
	}
	slices.Sort(ids)
	e := old
	e.Incidents = ids
	if a.From.Before(e.From) {
		e.From = a.From
	}
	if a.To.After(e.To) {
		e.To = a.To
	}
	e.Lat, e.Lon, e.RadiusKm, e.Usual, e.Threshold = a.Lat, a.Lon, max(a.RadiusKm, old.RadiusKm), a.Usual, a.Threshold
	e.Text, e.EN = explain(e)
	e.UpdatedAt, e.Version = now, old.Version+1
	return e, true
}

// notices are a's notices: one per subscription that covers it.
func (s *Service) notices(ctx context.Context, a siaga.WarningAlert, now time.Time) ([]siaga.WarningNotice, error) {
	subs, err := s.cfg.Store.AllWarningSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []siaga.WarningNotice
	for _, sub := range subs {
		if sub.Covers(a.Region, a.Category) {
			out = append(out, siaga.WarningNotice{Subscription: sub.ID, User: sub.User, Phone: sub.Phone, Text: SMSText(a), At: now})
		}
	}
	return out, nil
}

// SMSText is an alert as an SMS: one part of 160 characters where it
// fits, Bahasa Indonesia only (the phone of an officer in Banten).
func SMSText(a siaga.WarningAlert) string {
	return fmt.Sprintf("SIAGA PERINGATAN DINI: %s, kec %s. Buka /peringatan-dini/%s", a.Text, a.Region, a.Region)
}

// maxTries is how many attempts a notice gets before it waits for the
// operator; it is never dropped: the SMS log and the alert page keep it.
const maxTries = 1 << 20

// SendNotices sends the SMS notices not yet sent, oldest first, each
// logged as an outgoing SMS; a failure is recorded and retried on the
// next run.
func (s *Service) SendNotices(ctx context.Context) error {
	if s.cfg.Sender == nil {
		return nil
	}
	pending, err := s.cfg.Store.UnsentWarningNotices(ctx, maxTries, 100)
	if err != nil {
		return err
	}
	for _, n := range pending {
		err := s.cfg.Sender.Send(ctx, n.Phone, n.Text)
		now := s.cfg.Now()
		n.Tries++
		outcome := "sent"
		if err != nil {
			n.Error, outcome = err.Error(), "send_failed"
		} else {
			n.Error, n.SentAt = "", &now
		}
		if s.cfg.SMSLog != nil {
			m := &siaga.SMSMessage{At: now, Direction: siaga.SMSOut, Number: n.Phone, Text: n.Text, Gateway: "kannel", Outcome: outcome}
			if lerr := s.cfg.SMSLog.AppendSMS(ctx, m); lerr != nil {
				return lerr
			}
		}
		if merr := s.cfg.Store.MarkWarningNotice(ctx, &n); merr != nil {
			return merr
		}
		if err != nil {
			return nil // the gateway is down: the rest wait for the next run
		}
	}
	return nil
}

// Alerts returns a page of what f selects and how many it selects in all.
func (s *Service) Alerts(ctx context.Context, f siaga.WarningFilter) ([]siaga.WarningAlert, int, error) {
	items, err := s.cfg.Store.WarningAlerts(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.cfg.Store.CountWarningAlerts(ctx, f)
	return items, total, err
}

// Alert returns one alert.
func (s *Service) Alert(ctx context.Context, id int64) (*siaga.WarningAlert, error) {
	return s.cfg.Store.WarningAlertByID(ctx, id)
}

// Subscriptions returns a user's subscriptions; Unsubscribe deletes one.
func (s *Service) Subscriptions(ctx context.Context, user int64) ([]siaga.WarningSubscription, error) {
	return s.cfg.Store.WarningSubscriptions(ctx, user)
}

func (s *Service) Unsubscribe(ctx context.Context, user, id int64) error {
	return s.cfg.Store.DeleteWarningSubscription(ctx, user, id)
}

// Acknowledge and Close move an alert along for an official; version is
// the one the official read.
func (s *Service) Acknowledge(ctx context.Context, id int64, version int, by string) (*siaga.WarningAlert, error) {
	return s.step(ctx, id, version, by, siaga.WarningAcknowledged, "", siaga.AuditWarningAcknowledge)
}

func (s *Service) Close(ctx context.Context, id int64, version int, by, note string) (*siaga.WarningAlert, error) {
	return s.step(ctx, id, version, by, siaga.WarningClosed, note, siaga.AuditWarningClose)
}

func (s *Service) step(ctx context.Context, id int64, version int, by string, to siaga.WarningStatus, note, action string) (*siaga.WarningAlert, error) {
	a, err := s.cfg.Store.WarningAlertByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Version != version {
		return nil, siaga.Errorf(siaga.EConflict, "version", "Peringatan %d sudah diubah orang lain; muat ulang",
			"alert %d was changed by someone else; reload", id)
	}
	if !a.Status.Open() || (to == siaga.WarningAcknowledged && a.Status != siaga.WarningNew) {
		return nil, siaga.Errorf(siaga.EConflict, "status", "Peringatan %d sudah berstatus %s", "alert %d is already %s", id, a.Status)
	}
	if len(note) > 2000 {
		return nil, siaga.Errorf(siaga.EInvalid, "note", "Catatan terlalu panjang (maks. 2000)", "note too long (max 2000)")
	}
	now := s.cfg.Now()
	a.Status, a.By, a.UpdatedAt, a.Version = to, by, now, a.Version+1
	if note != "" {
		a.Note = note
	}
	return a, s.cfg.Store.UpdateWarningAlert(ctx, a, siaga.AuditEvent{At: now, Actor: by, Action: action, Scope: a.Region})
}

// Subscribe stores a subscription after checking it.
func (s *Service) Subscribe(ctx context.Context, sub *siaga.WarningSubscription) error {
	if !siaga.IsRegionCode(sub.Region) {
		return siaga.Errorf(siaga.EInvalid, "region", "Kode wilayah tidak sah", "invalid region code")
	}
	for _, c := range sub.Categories {
		if !c.Valid() {
			return siaga.Errorf(siaga.EInvalid, "categories", "Kategori %q tidak dikenal", "unknown category %q", c)
		}
	}
	if sub.Phone != "" && !validPhone(sub.Phone) {
		return siaga.Errorf(siaga.EInvalid, "phone", "Nomor HP tidak sah (contoh +6281234567890)", "invalid phone number (e.g. +6281234567890)")
	}
	sub.CreatedAt = s.cfg.Now()
	return s.cfg.Store.CreateWarningSubscription(ctx, sub)
}

func validPhone(p string) bool {
	if len(p) < 8 || len(p) > 16 {
		return false
	}
	for i, r := range p {
		if !(r >= '0' && r <= '9' || r == '+' && i == 0) {
			return false
		}
	}
	return true
}
