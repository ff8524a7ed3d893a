package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// RevokeDevice revokes an enrolled device at once on this node; other
// nodes learn of it through Follow. by must be allowed to (CanRevokeDevice).
// Revoking a revoked device is not an error. The returned device is a copy.
func (s *Service) RevokeDevice(ctx context.Context, by *siaga.User, id string) (*siaga.Device, error) {
	return s.RevokeDeviceFor(ctx, by, id, "")
}

// RevokeDeviceFor is RevokeDevice with the operator's reason (a lost or
// handed-on phone), which the audit entry keeps.
func (s *Service) RevokeDeviceFor(ctx context.Context, by *siaga.User, id, reason string) (*siaga.Device, error) {
	if by == nil {
		return nil, errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	d, err := s.Store.DeviceByID(ctx, id)
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		return nil, siaga.Errorf(siaga.ENotFound, "device", "Perangkat %s tidak ditemukan", "device %s not found", id)
	case err != nil:
		return nil, fmt.Errorf("revoking device %s: %w", id, err)
	}
	if !CanRevokeDevice(by, d) {
		return nil, siaga.Errorf(siaga.EForbidden, "device",
			"Akun %s tidak berwenang mencabut perangkat %s ini", "account %s may not revoke this %s device", by.Username, d.Role)
	}
	now := s.Now().UTC()
	detail := map[string]any{"role": d.Role, "party": d.Party}
	if reason = strings.TrimSpace(reason); reason != "" {
		detail["reason"] = reason
	}
	ev := siaga.AuditEvent{At: now, Actor: Actor(by), Action: siaga.AuditDeviceRevoke, Subject: d.ID, Scope: d.TPS,
		Detail: siaga.AuditDetail(detail)}
	d, err = s.Store.RevokeDevice(ctx, id, now, ev)
	if err != nil {
		return nil, fmt.Errorf("revoking device %s: %w", id, err)
	}
	s.markRevoked(d)
	return d, nil
}

// markRevoked makes the cache refuse d from now on. The cache holds the
// revoked copy rather than nothing, so that its retries cost no query.
func (s *Service) markRevoked(d *siaga.Device) {
	if d.RevokedAt.IsZero() {
		return
	}
	s.devices.Store(d.ID, d)
}

// RevokeAPIToken revokes a token: its owner may, and admin. The store is
// asked on every use of a token, so it stops working at once on every
// node.
func (s *Service) RevokeAPIToken(ctx context.Context, by *siaga.User, t *siaga.APIToken) error {
	if by == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if by.Role != siaga.RoleAdmin && by.ID != t.UserID {
		return siaga.Errorf(siaga.EForbidden, "token", "Hanya pemilik token atau admin yang boleh mencabutnya",
			"only the token's owner or an admin may revoke it")
	}
	owner, err := s.Store.UserByID(ctx, t.UserID)
	if err != nil {
		return fmt.Errorf("revoking token %q: owner: %w", t.Name, err)
	}
	now := s.Now().UTC()
	ev := siaga.AuditEvent{At: now, Actor: Actor(by), Action: siaga.AuditTokenRevoke, Subject: owner.Username + "/" + t.Name,
		Scope: owner.Scope, Detail: siaga.AuditDetail(map[string]any{"prefix": t.Prefix})}
	if err := s.Store.RevokeAPIToken(ctx, t.TokenHash, now, ev); err != nil {
		return fmt.Errorf("revoking token %q: %w", t.Name, err)
	}
	return nil
}

// Follow keeps this node's device cache in step with revocations made by
// other nodes and processes (the command line on the same database) until
// ctx ends. feed, when not nil, names each revoked device as it commits
// (PostgreSQL NOTIFY); every `every` the node also asks the store for the
// devices revoked since it last asked, in case a notice was lost. since
// is when the cache was filled.
func (s *Service) Follow(ctx context.Context, feed siaga.RevocationFeed, every time.Duration, since time.Time, log *slog.Logger) {
	var notices <-chan string
	if feed != nil {
		notices = feed.Revocations(ctx)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case id, ok := <-notices:
			if !ok {
				notices = nil
				continue
			}
			if id != "" {
				s.dropDevice(ctx, id, log)
				continue
			}
			since = s.reconcile(ctx, since, log) // notices may have been missed
		case <-tick.C:
			since = s.reconcile(ctx, since, log)
		}
	}
}

// dropDevice marks a device another node revoked. It reads the row to
// keep the cache's entries whole; if that fails it keeps a bare mark,
// which refuses just the same.
func (s *Service) dropDevice(ctx context.Context, id string, log *slog.Logger) {
	d, err := s.Store.DeviceByID(ctx, id)
	if err != nil || d.RevokedAt.IsZero() {
		if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
			log.Warn("reading a revoked device", "device", id, "err", err)
		}
		d = &siaga.Device{ID: id, RevokedAt: s.Now().UTC()}
	}
	s.devices.Store(id, d)
}

// clockSlack covers clocks of nodes that disagree a little and a
// revocation committed a moment after its time was taken.
const clockSlack = time.Minute

// reconcile marks the devices revoked since since and returns the time to
// ask from next.
func (s *Service) reconcile(ctx context.Context, since time.Time, log *slog.Logger) time.Time {
	asked := s.Now()
	ds, err := s.Store.RevokedDevices(ctx, since.Add(-clockSlack))
	if err != nil {
		log.Warn("reading revoked devices", "err", err)
		return since
	}
	for i := range ds {
		s.markRevoked(&ds[i])
	}
	return asked
}
