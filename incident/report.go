package incident

import (
	"cmp"
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// ReporterRoles are the staff roles that may report (common brief's
// incRoles): everyone in the field or at the desk but the parties'
// witnesses, whose reports go to Bawaslu through their own channels.
var ReporterRoles = []siaga.Role{siaga.RolePTPS, siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv,
	siaga.RoleBawaslu, siaga.RoleDesk, siaga.RoleAparat, siaga.RoleLogistik}

func hasRole(u *siaga.User, roles []siaga.Role) bool {
	for _, r := range roles {
		if u != nil && u.Role == r {
			return true
		}
	}
	return false
}

// Report checks in, places it, groups it with its likely duplicates and
// stores it at status baru with its first step. A ClientID already stored
// gives the stored report back, not a second copy. A public report is
// refused with ETooMany when its Sender sent PublicLimit reports within
// PublicWindow.
func (s *Service) Report(ctx context.Context, in *siaga.Incident, by Actor) (*siaga.Incident, error) {
	if in.ClientID != "" {
		if old, err := s.cfg.Store.IncidentByClientID(ctx, in.ClientID); err == nil {
			return old, nil
		} else if siaga.ErrorCode(err) != siaga.ENotFound {
			return nil, err
		}
	}
	now := s.cfg.Now().UTC()
	if err := s.check(in, by, now); err != nil {
		return nil, err
	}
	if err := s.place(ctx, in); err != nil {
		return nil, err
	}
	if by.User != nil && !siaga.InScope(by.User.Scope, place(in)) {
		return nil, siaga.Errorf(siaga.EForbidden, "region", "Tempat kejadian di luar wilayah Anda (%s)",
			"the place is outside your region (%s)", by.User.Scope)
	}
	if in.Channel.Public() {
		if err := s.limitPublic(ctx, in.Sender, now); err != nil {
			return nil, err
		}
	}
	s.reporter(in, by)
	in.ID, in.Status, in.Agency, in.Reason, in.Outcome, in.Evidence = 0, siaga.IncidentNew, "", "", "", nil
	in.ReportedAt, in.UpdatedAt, in.Version = now, now, 1
	head, err := s.duplicateHead(ctx, in)
	if err != nil {
		return nil, err
	}
	in.DuplicateOf = head
	ev := siaga.AuditEvent{At: now, Actor: by.audit(), Action: siaga.AuditIncidentReport, Scope: in.Region,
		Detail: siaga.AuditDetail(map[string]any{"channel": in.Channel, "category": in.Category, "severity": in.Severity,
			"tps": in.TPS, "duplicate_of": in.DuplicateOf})}
	err = s.cfg.Store.CreateIncident(ctx, in, by.step(siaga.StepReported, in, "", now), ev)
	if siaga.ErrorCode(err) == siaga.EConflict && in.ClientID != "" {
		// The same report sent twice at once: the other copy won.
		return s.cfg.Store.IncidentByClientID(ctx, in.ClientID)
	}
	if err != nil {
		return nil, err
	}
	s.cfg.Logger.Info("incident reported", "id", in.ID, "channel", in.Channel, "category", in.Category,
		"region", in.Region, "duplicate_of", in.DuplicateOf)
	return in, nil
}

// check validates what the reporter wrote. Every error names its field.
func (s *Service) check(in *siaga.Incident, by Actor, now time.Time) error {
	public := by.User == nil && by.Device == ""
	switch {
	case in.Channel == "":
		return siaga.Errorf(siaga.EInvalid, "channel", "Saluran laporan wajib diisi", "the report's channel is required")
	case !validChannel(in.Channel):
		return siaga.Errorf(siaga.EInvalid, "channel", "Saluran %q tidak dikenal", "unknown channel %q", in.Channel)
	case in.Channel.Public() != public:
		return siaga.Errorf(siaga.EInvalid, "channel", "Saluran %q tidak cocok dengan pelapor", "channel %q does not fit the reporter", in.Channel)
	case by.User != nil && !hasRole(by.User, ReporterRoles):
		return siaga.Errorf(siaga.EForbidden, "", "Peran %s tidak dapat melapor insiden", "role %s cannot report incidents", by.User.Role)
	case public && strings.TrimSpace(in.Sender) == "":
		return siaga.Errorf(siaga.EInvalid, "sender", "Pengirim laporan publik tidak diketahui", "the public report's sender is unknown")
	case !in.Category.Valid():
		return siaga.Errorf(siaga.EInvalid, "category", "Kategori %q tidak dikenal", "unknown category %q", in.Category)
	}
	if in.Severity == "" {
		in.Severity = siaga.SeverityMedium // the public and SMS seldom say
	}
	if !in.Severity.Valid() {
		return siaga.Errorf(siaga.EInvalid, "severity", "Tingkat %q tidak dikenal", "unknown severity %q", in.Severity)
	}
	in.Title, in.Text = strings.TrimSpace(in.Title), strings.TrimSpace(in.Text)
	for _, f := range []struct {
		name, value string
		max         int
	}{{"title", in.Title, MaxTitle}, {"text", in.Text, MaxText}, {"reporter_name", in.ReporterName, MaxTitle},
		{"reporter_phone", in.ReporterPhone, 32}} {
		if !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			return siaga.Errorf(siaga.EInvalid, f.name, "Teks tidak sah (bukan UTF-8)", "text is not valid UTF-8")
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return siaga.Errorf(siaga.EInvalid, f.name, "Terlalu panjang: %d karakter, paling banyak %d",
				"too long: %d characters, at most %d", n, f.max)
		}
	}
	if in.Title == "" && in.Text == "" {
		return siaga.Errorf(siaga.EInvalid, "text", "Uraian kejadian wajib diisi", "the description is required")
	}
	if in.Title == "" {
		in.Title = titleOf(in.Text) // an SMS has no title: its first words are one
	}
	if in.OccurredAt.IsZero() {
		in.OccurredAt = now
	}
	in.OccurredAt = in.OccurredAt.UTC()
	switch {
	case in.OccurredAt.After(now.Add(MaxAhead)):
		return siaga.Errorf(siaga.EInvalid, "occurred_at", "Waktu kejadian %s ada di masa depan",
			"the time %s is in the future", in.OccurredAt.In(siaga.WIB).Format("2006-01-02 15:04 WIB"))
	case in.OccurredAt.Before(now.Add(-MaxAge)):
		return siaga.Errorf(siaga.EInvalid, "occurred_at", "Waktu kejadian lebih dari %d hari yang lalu",
			"the time is more than %d days ago", int(MaxAge.Hours()/24))
	}
	return nil
}

func validChannel(c siaga.IncidentChannel) bool {
	switch c {
	case siaga.ChannelWeb, siaga.ChannelAPI, siaga.ChannelField, siaga.ChannelSMS, siaga.ChannelPublicWeb, siaga.ChannelPublicSMS:
		return true
	}
	return false
}

// titleOf is the first line of text, cut at a word within 80 runes.
func titleOf(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	r := []rune(strings.TrimSpace(line))
	if len(r) <= 80 {
		return string(r)
	}
	cut := string(r[:80])
	if i := strings.LastIndexByte(cut, ' '); i > 40 {
		cut = cut[:i]
	}
	return cut + "…"
}

// place checks the report's place and fills Region, Lat, Lon and Placed:
// a TPS stands at its newest stored location, else at its registry point;
// a region at its centre; a point given is kept.
func (s *Service) place(ctx context.Context, in *siaga.Incident) error {
	point := in.Lat != 0 || in.Lon != 0
	if point && !connectivity.InIndonesia(in.Lat, in.Lon) {
		return siaga.Errorf(siaga.EInvalid, "lat", "Titik %.5f, %.5f di luar Indonesia", "point %.5f, %.5f is outside Indonesia", in.Lat, in.Lon)
	}
	switch {
	case in.TPS != "":
		t, ok := s.cfg.Places.TPS(in.TPS)
		if !ok {
			return siaga.Errorf(siaga.EInvalid, "tps", "TPS %q tidak ada", "no TPS %q", in.TPS)
		}
		in.Region = t.Desa
		if !point {
			lat, lon, err := s.tpsPoint(ctx, t)
			if err != nil {
				return err
			}
			in.Lat, in.Lon, in.Placed = lat, lon, "tps"
		}
	case in.Region != "":
		if _, ok := s.cfg.Places.Region(in.Region); !ok {
			return siaga.Errorf(siaga.EInvalid, "region", "Wilayah %q tidak ada", "no region %q", in.Region)
		}
		if !point {
			cs, err := s.centroids()
			if err != nil {
				return err
			}
			if c, ok := cs[in.Region]; ok {
				in.Lat, in.Lon, in.Placed = c[1], c[0], "region"
			}
		}
	case point:
		if s.cfg.Locate != nil {
			in.Region, _ = s.cfg.Locate(orb.Point{in.Lon, in.Lat})
		}
	default:
		return siaga.Errorf(siaga.EInvalid, "tps", "Tempat kejadian wajib diisi: TPS, desa atau titik",
			"the place is required: a TPS, a desa or a point")
	}
	if point {
		in.Placed = "point"
	}
	return nil
}

// tpsPoint is where t stands now.
func (s *Service) tpsPoint(ctx context.Context, t siaga.TPS) (lat, lon float64, err error) {
	if s.cfg.Locations != nil {
		ls, err := s.cfg.Locations.TPSLocationHistory(ctx, t.Code)
		if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
			return 0, 0, err
		}
		if len(ls) > 0 {
			return ls[len(ls)-1].Lat, ls[len(ls)-1].Lon, nil
		}
	}
	return t.Lat, t.Lon, nil
}

// limitPublic refuses a public report over the sender's limit.
func (s *Service) limitPublic(ctx context.Context, sender string, now time.Time) error {
	n, err := s.cfg.Store.CountPublicReports(ctx, sender, now.Add(-s.cfg.PublicWindow))
	if err != nil {
		return err
	}
	if n >= s.cfg.PublicLimit {
		e := siaga.Errorf(siaga.ETooMany, "", "Terlalu banyak laporan dari pengirim ini: paling banyak %d per %s; coba lagi nanti",
			"too many reports from this sender: at most %d per %s; try again later", s.cfg.PublicLimit, s.cfg.PublicWindow)
		e.RetryAfter = s.cfg.PublicWindow
		return e
	}
	return nil
}

// reporter fills who reported from the actor.
func (s *Service) reporter(in *siaga.Incident, by Actor) {
	in.ReporterUser, in.ReporterDevice = 0, ""
	switch {
	case by.User != nil:
		in.ReporterUser, in.Sender = by.User.ID, ""
		if in.ReporterName == "" {
			in.ReporterName = cmp.Or(by.User.Name, by.User.Username)
		}
	case by.Device != "":
		in.ReporterDevice, in.Sender = by.Device, ""
	default:
		if in.ReporterName == "" {
			in.ReporterName = by.Public
		}
	}
}
