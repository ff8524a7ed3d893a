package incident

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
)

// scoped narrows f to what u may read: f.Scope defaults to u's scope and
// may not reach outside it.
func scoped(u *siaga.User, f siaga.IncidentFilter) (siaga.IncidentFilter, error) {
	if u == nil || !hasRole(u, ReporterRoles) {
		return f, siaga.Errorf(siaga.EForbidden, "", "Peran Anda tidak membaca laporan insiden", "your role does not read incident reports")
	}
	if siaga.IsTPSCode(u.Scope) {
		// A PTPS reads its own TPS's reports: no region lies under a TPS.
		if f.Scope != "" && !siaga.InScope(f.Scope, u.Scope) || f.TPS != "" && f.TPS != u.Scope {
			return f, siaga.Errorf(siaga.EForbidden, "region", "Anda hanya membaca laporan TPS %s", "you read the reports of TPS %s only", u.Scope)
		}
		f.Scope, f.TPS = u.Scope[:10], u.Scope
		return f, nil
	}
	if f.Scope == "" {
		f.Scope = u.Scope
	}
	if !siaga.InScope(u.Scope, f.Scope) {
		return f, siaga.Errorf(siaga.EForbidden, "region", "Wilayah %s di luar wilayah Anda (%s)", "region %s is outside your region (%s)",
			f.Scope, u.Scope)
	}
	return f, nil
}

// List is one page of the reports f selects in u's scope, newest first,
// and how many f selects in all (the "N dari M" of a list).
func (s *Service) List(ctx context.Context, u *siaga.User, f siaga.IncidentFilter) ([]siaga.Incident, int, error) {
	f, err := scoped(u, f)
	if err != nil {
		return nil, 0, err
	}
	list, err := s.cfg.Store.Incidents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.cfg.Store.CountIncidents(ctx, f)
	return list, n, err
}

// One is a report u may read.
func (s *Service) One(ctx context.Context, u *siaga.User, id int64) (*siaga.Incident, error) {
	in, err := s.cfg.Store.IncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanRead(u, in) {
		return nil, siaga.Errorf(siaga.EForbidden, "", "Laporan di luar wilayah Anda", "the report is outside your region")
	}
	return in, nil
}

// Steps is the history of a report u may read, oldest first.
func (s *Service) Steps(ctx context.Context, u *siaga.User, id int64) ([]siaga.IncidentStep, error) {
	if _, err := s.One(ctx, u, id); err != nil {
		return nil, err
	}
	return s.cfg.Store.IncidentSteps(ctx, id)
}

// Count counts what f selects, unscoped: for the services (the situation
// report, early warning) that count for a region they were asked about.
func (s *Service) Count(ctx context.Context, f siaga.IncidentFilter) (int, error) {
	return s.cfg.Store.CountIncidents(ctx, f)
}

// Keys CountBy counts by.
const (
	ByCategory = "category"
	ByStatus   = "status"
	ByKabKota  = "kabkota"
	ByAgency   = "agency"
)

// CountBy counts the duplicate groups (not the reports) f selects by key:
// category, status, kabkota (the region's first four digits) or agency
// ("" for unassigned).
func (s *Service) CountBy(ctx context.Context, f siaga.IncidentFilter, key string) (map[string]int, error) {
	var of func(*siaga.Incident) string
	switch key {
	case ByCategory:
		of = func(in *siaga.Incident) string { return string(in.Category) }
	case ByStatus:
		of = func(in *siaga.Incident) string { return string(in.Status) }
	case ByKabKota:
		of = func(in *siaga.Incident) string { return in.Region[:min(4, len(in.Region))] }
	case ByAgency:
		of = func(in *siaga.Incident) string { return string(in.Agency) }
	default:
		return nil, siaga.Errorf(siaga.EInvalid, "by", "Kunci hitung %q tidak dikenal", "unknown count key %q", key)
	}
	f.Groups = true
	out := map[string]int{}
	err := s.cfg.Store.EachIncident(ctx, f, func(in *siaga.Incident) error {
		out[of(in)]++
		return nil
	})
	return out, err
}

// PublicIncident is what the public may see of a verified report: no
// reporter, phone, sender, description, evidence, reason or notes.
type PublicIncident struct {
	ID         int64                  `json:"id"`
	Category   siaga.IncidentCategory `json:"category"`
	Severity   siaga.Severity         `json:"severity"`
	OccurredAt time.Time              `json:"occurred_at"`
	Region     string                 `json:"region"`
	TPS        string                 `json:"tps,omitempty"`
	Lat        float64                `json:"lat,omitempty"`
	Lon        float64                `json:"lon,omitempty"`
	Title      string                 `json:"title"`
	Status     siaga.IncidentStatus   `json:"status"`
}

// Public is the public view of in, and false when the public may not see
// it at all (not yet verified, or rejected, or a duplicate).
func Public(in *siaga.Incident) (PublicIncident, bool) {
	if in.DuplicateOf != 0 {
		return PublicIncident{}, false // its group's first report stands for it
	}
	switch in.Status {
	case siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand, siaga.IncidentClosed:
	default:
		return PublicIncident{}, false
	}
	return PublicIncident{ID: in.ID, Category: in.Category, Severity: in.Severity, OccurredAt: in.OccurredAt,
		Region: in.Region, TPS: in.TPS, Lat: in.Lat, Lon: in.Lon, Title: in.Title, Status: in.Status}, true
}

// Receipt is the acknowledgement a public reporter gets: a number to
// quote, nothing of the report's handling.
func Receipt(in *siaga.Incident) string { return fmt.Sprintf("INS-%06d", in.ID) }

// EvidenceTypes are the evidence files taken, sniffed by content.
var EvidenceTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// AddEvidence stores a photo or PDF of a report by someone who may add
// notes to it (its reporting device too), and records the step.
func (s *Service) AddEvidence(ctx context.Context, id int64, data []byte, by Actor) (*siaga.IncidentEvidence, error) {
	typ, err := evidenceType(data)
	if err != nil {
		return nil, err
	}
	in, err := s.cfg.Store.IncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := may(reader, in, by); err != nil {
		return nil, err
	}
	return s.addEvidence(ctx, in, data, typ, by)
}

// ReportWithEvidence is Report with the reporter's files (the public
// form's photos, which no one else may add to a public report): every
// file is checked before the report is stored, and stored with it. A
// replayed report gets its files again, stored once.
func (s *Service) ReportWithEvidence(ctx context.Context, in *siaga.Incident, files [][]byte, by Actor) (*siaga.Incident, error) {
	types := make([]string, len(files))
	for i, f := range files {
		t, err := evidenceType(f)
		if err != nil {
			return nil, err
		}
		types[i] = t
	}
	got, err := s.Report(ctx, in, by)
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		if _, err := s.addEvidence(ctx, got, f, types[i], by); err != nil {
			return nil, err
		}
	}
	if len(files) > 0 {
		return s.cfg.Store.IncidentByID(ctx, got.ID)
	}
	return got, nil
}

// evidenceType is the sniffed type of an evidence file, or why it is refused.
func evidenceType(data []byte) (string, error) {
	if len(data) == 0 {
		return "", siaga.Errorf(siaga.EInvalid, "bukti", "Berkas bukti kosong", "the evidence file is empty")
	}
	if len(data) > MaxEvidence {
		return "", siaga.Errorf(siaga.ETooLarge, "bukti", "Berkas bukti %d KiB, paling besar %d KiB", "the evidence file is %d KiB, at most %d KiB",
			len(data)>>10, MaxEvidence>>10)
	}
	typ := http.DetectContentType(data)
	if !isEvidenceType(typ) {
		return "", siaga.Errorf(siaga.EInvalid, "bukti", "Bukti harus foto JPEG atau PNG, atau PDF (bukan %s)",
			"evidence must be a JPEG or PNG photo or a PDF (not %s)", typ)
	}
	return typ, nil
}

// addEvidence stores a checked file of in and records the step.
func (s *Service) addEvidence(ctx context.Context, in *siaga.Incident, data []byte, typ string, by Actor) (*siaga.IncidentEvidence, error) {
	id := in.ID
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if slices.Contains(in.Evidence, sha) {
		// The same file again (a replay): stored once, one step.
		return s.cfg.Store.IncidentEvidence(ctx, id, sha)
	}
	now := s.cfg.Now().UTC()
	e := &siaga.IncidentEvidence{SHA256: sha, Incident: id, Type: typ, Data: data, By: by.name(), At: now}
	err := s.cfg.Store.AddIncidentEvidence(ctx, e)
	if err != nil {
		return nil, err
	}
	// The step records who added it; a report changed meanwhile is read
	// again, since adding evidence conflicts with no other step.
	for try := 0; try < 3; try++ {
		in.UpdatedAt, in.Version = now, in.Version+1
		err = s.cfg.Store.UpdateIncident(ctx, in, by.step(siaga.StepEvidence, in, e.SHA256, now),
			siaga.AuditEvent{At: now, Actor: by.audit(), Action: siaga.AuditIncidentStep, Scope: in.Region,
				Detail: siaga.AuditDetail(map[string]any{"kind": siaga.StepEvidence, "sha256": e.SHA256, "type": typ})})
		if siaga.ErrorCode(err) != siaga.EConflict {
			break
		}
		if in, err = s.cfg.Store.IncidentByID(ctx, id); err != nil {
			return nil, err
		}
	}
	return e, err
}

func isEvidenceType(t string) bool {
	for _, k := range EvidenceTypes {
		if t == k {
			return true
		}
	}
	return false
}

// Evidence is one evidence file of a report u may read.
func (s *Service) Evidence(ctx context.Context, u *siaga.User, id int64, sha string) (*siaga.IncidentEvidence, error) {
	if _, err := s.One(ctx, u, id); err != nil {
		return nil, err
	}
	return s.cfg.Store.IncidentEvidence(ctx, id, sha)
}
