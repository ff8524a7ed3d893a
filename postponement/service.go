package postponement

import (
	"context"
	"log/slog"

	"github.com/deskpemilu/siaga"
)

// Config is what a Service needs.
type Config struct {
	Store siaga.PostponementStore
	// Set is refreshed after every change, so that the e-rekap of this
	// node shows it at once.
	Set   *Set
	Rules Rules
	// TPS looks a TPS up in the registry (registry.Index.TPS).
	TPS    func(code string) (siaga.TPS, bool)
	Logger *slog.Logger
}

// Service records the steps of the chain: each checked (Rules), stored
// with its audit entry, and shown in the set.
type Service struct {
	cfg Config
}

// New returns a service for cfg.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Set is the set of postponed TPS the service keeps up to date.
func (s *Service) Set() *Set { return s.cfg.Set }

// Report records a postponement reported by KPPS or PPK for a TPS.
func (s *Service) Report(ctx context.Context, tps string, kind siaga.PostponementKind, stage, reason string, step siaga.PostponementStep) (*siaga.Postponement, error) {
	if _, ok := s.cfg.TPS(tps); !ok {
		return nil, siaga.Errorf(siaga.EInvalid, "tps", "TPS %q tidak terdaftar", "unknown TPS %q", tps)
	}
	p, err := s.cfg.Rules.Report(tps, kind, stage, reason, step)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.AddPostponement(ctx, &p, s.audit(siaga.AuditPostponementReport, p, step)); err != nil {
		return nil, err
	}
	return &p, s.refresh(ctx)
}

// Get returns a postponement by ID.
func (s *Service) Get(ctx context.Context, id int64) (*siaga.Postponement, error) {
	return s.cfg.Store.Postponement(ctx, id)
}

// List returns the page f selects.
func (s *Service) List(ctx context.Context, f siaga.PostponementFilter) (siaga.PostponementPage, error) {
	return s.cfg.Store.Postponements(ctx, f)
}

// Recommend records Panwascam's or Bawaslu's recommendation of p, as read
// by the caller: if another official moved it on meanwhile, EConflict.
func (s *Service) Recommend(ctx context.Context, p siaga.Postponement, step siaga.PostponementStep) (*siaga.Postponement, error) {
	return s.advance(ctx, p, siaga.AuditPostponementRecommend, step, func() (siaga.Postponement, error) {
		return s.cfg.Rules.Recommend(p, step)
	})
}

// Decide records KPU kab/kota's decision of p with its new date.
func (s *Service) Decide(ctx context.Context, p siaga.Postponement, step siaga.PostponementStep, newDate string) (*siaga.Postponement, error) {
	return s.advance(ctx, p, siaga.AuditPostponementDecide, step, func() (siaga.Postponement, error) {
		return s.cfg.Rules.Decide(p, step, newDate)
	})
}

// Close records that p's voting took place (selesai) or that p was
// withdrawn (dibatalkan).
func (s *Service) Close(ctx context.Context, p siaga.Postponement, to siaga.PostponementStatus, step siaga.PostponementStep) (*siaga.Postponement, error) {
	return s.advance(ctx, p, siaga.AuditPostponementClose, step, func() (siaga.Postponement, error) {
		return s.cfg.Rules.Close(p, to, step)
	})
}

func (s *Service) advance(ctx context.Context, p siaga.Postponement, action string, step siaga.PostponementStep,
	next func() (siaga.Postponement, error)) (*siaga.Postponement, error) {
	from := p.Status
	q, err := next()
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.AdvancePostponement(ctx, &q, from, s.audit(action, q, step)); err != nil {
		return nil, err
	}
	return &q, s.refresh(ctx)
}

// audit is the log entry of a step: who recorded it, and the step as the
// public sees it with the status it led to.
func (s *Service) audit(action string, p siaga.Postponement, step siaga.PostponementStep) siaga.AuditEvent {
	actor := step.By
	if actor == "" {
		actor = "cli"
	}
	at := step.At
	if s.cfg.Rules.Now != nil {
		at = s.cfg.Rules.Now()
	}
	return siaga.AuditEvent{At: at, Actor: actor, Action: action, Subject: p.TPS, Scope: p.TPS,
		Detail: siaga.AuditDetail(map[string]any{"kind": p.Kind, "stage": p.Stage, "status": p.Status,
			"new_date": p.NewDate, "step": step})}
}

// refresh shows the change in the set. The change is stored either way,
// so a failed read is not the caller's error: it is logged, and the next
// change or Follow's tick reads the set again.
func (s *Service) refresh(ctx context.Context) error {
	if s.cfg.Set == nil {
		return nil
	}
	if err := s.cfg.Set.Refresh(ctx); err != nil && s.cfg.Logger != nil {
		s.cfg.Logger.Warn("postponement stored, set not refreshed", "err", err)
	}
	return nil
}
