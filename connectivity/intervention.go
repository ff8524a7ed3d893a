package connectivity

import (
	"context"
	"slices"
	"strconv"

	"github.com/deskpemilu/siaga"
)

// InterventionKinds are the kinds of intervention, in the order lists
// show them.
var InterventionKinds = []string{siaga.InterventionBooster, siaga.InterventionVSAT, siaga.InterventionCOW, siaga.InterventionWalk}

// Statuses are an intervention's statuses in the only order it goes
// through them.
var Statuses = []string{siaga.InterventionPlanned, siaga.InterventionInstalled, siaga.InterventionTested, siaga.InterventionRemoved}

// maxRadius bounds a coverage radius: a mobile BTS reaches a few
// kilometres in hills, a macro cell in the flat rarely more than 20 km.
const maxRadius = 20_000

// AddIntervention checks and stores a new intervention, planned or
// already installed, recorded by by. Its region is its TPS's desa when it
// serves one, else iv.Region, which must be a known region (the caller
// sets it: the region it was entered under). It sets iv's ID.
func (s *Service) AddIntervention(ctx context.Context, iv *siaga.Intervention, by string) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	now := s.now()
	if iv.ID != 0 {
		return siaga.Errorf(siaga.EInvalid, "id", "intervensi baru belum punya id", "a new intervention has no id yet")
	}
	if iv.Status == "" {
		iv.Status = siaga.InterventionPlanned
	}
	if iv.Status != siaga.InterventionPlanned && iv.Status != siaga.InterventionInstalled {
		return siaga.Errorf(siaga.EInvalid, "status", "intervensi baru berstatus %s atau %s; uji setelah pemasangan dicatat kemudian",
			"a new intervention is %s or %s; the test after installation is recorded later", siaga.InterventionPlanned, siaga.InterventionInstalled)
	}
	if err := s.checkIntervention(iv); err != nil {
		return err
	}
	if iv.Status == siaga.InterventionInstalled && iv.InstalledAt.IsZero() {
		iv.InstalledAt = now
	}
	iv.UpdatedAt, iv.By = now, by
	entry := auditEntry(iv, siaga.AuditInterventionCreate, map[string]any{"intervention": iv})
	if err := s.store.SaveIntervention(ctx, iv, entry); err != nil {
		return err
	}
	s.update(func(st *state) { st.ivs = append(st.ivs, *iv) })
	return nil
}

// SetInterventionStatus moves an intervention to status, forward only:
// planned → installed → tested → removed, skipping steps allowed (a plan
// abandoned is removed). It becomes tested only with a stored survey of
// its test after installation that passed the data test
// (Survey.Intervention): that is what "tested" means on the map.
func (s *Service) SetInterventionStatus(ctx context.Context, id int64, status, note, by string) (siaga.Intervention, error) {
	s.writing.Lock()
	defer s.writing.Unlock()
	s.mu.RLock()
	st := s.st
	s.mu.RUnlock()
	k := slices.IndexFunc(st.ivs, func(iv siaga.Intervention) bool { return iv.ID == id })
	if k < 0 {
		return siaga.Intervention{}, siaga.Errorf(siaga.ENotFound, "id", "intervensi %d tidak ada", "no intervention %d", id)
	}
	iv := st.ivs[k]
	from, to := slices.Index(Statuses, iv.Status), slices.Index(Statuses, status)
	switch {
	case to < 0:
		return iv, siaga.Errorf(siaga.EInvalid, "status", "status %q tidak dikenal; pilih: %v", "unknown status %q; one of: %v", status, Statuses)
	case to <= from:
		return iv, siaga.Errorf(siaga.EConflict, "status", "status %s tidak dapat kembali ke %s: status hanya maju", "status %s cannot go back to %s: statuses only move forward",
			iv.Status, status)
	case status == siaga.InterventionTested && st.tests[id].ID == 0:
		return iv, siaga.Errorf(siaga.EInvalid, "status", "belum ada survei uji data yang lulus untuk intervensi ini", "no passing data-test survey of this intervention yet")
	}
	if len(note) > 1000 {
		return iv, siaga.Errorf(siaga.EInvalid, "note", "catatan paling panjang 1000 karakter", "a note is at most 1000 characters")
	}
	now := s.now()
	prev := iv.Status
	iv.Status, iv.UpdatedAt, iv.By = status, now, by
	if note != "" {
		iv.Note = note
	}
	if status != siaga.InterventionRemoved && iv.InstalledAt.IsZero() {
		iv.InstalledAt = now
	}
	entry := auditEntry(&iv, siaga.AuditInterventionStatus, map[string]any{"id": id, "kind": iv.Kind, "from": prev, "to": status, "note": note})
	if err := s.store.SaveIntervention(ctx, &iv, entry); err != nil {
		return iv, err
	}
	s.update(func(st *state) {
		if k := slices.IndexFunc(st.ivs, func(o siaga.Intervention) bool { return o.ID == id }); k >= 0 {
			st.ivs[k] = iv
		}
	})
	return iv, nil
}

// auditEntry is the log entry of a change to iv. Its subject is the TPS
// it serves, else its site, else its number.
func auditEntry(iv *siaga.Intervention, action string, detail any) siaga.AuditEvent {
	subject := iv.TPS
	if subject == "" {
		subject = iv.Site
	}
	if subject == "" && iv.ID != 0 {
		subject = "intervensi " + strconv.FormatInt(iv.ID, 10)
	}
	return siaga.AuditEvent{At: iv.UpdatedAt, Actor: iv.By, Action: action, Subject: subject, Scope: iv.Region,
		Detail: siaga.AuditDetail(detail)}
}

// checkIntervention refuses what cannot be put up: an unknown kind, a
// VSAT or walk point without its TPS, a booster or COW without a radius,
// a point outside Indonesia, no owner. A VSAT or walk point without a
// point stands at its TPS. It sets iv.Region.
func (s *Service) checkIntervention(iv *siaga.Intervention) *siaga.Error {
	if !slices.Contains(InterventionKinds, iv.Kind) {
		return siaga.Errorf(siaga.EInvalid, "kind", "jenis intervensi %q tidak dikenal; pilih: %v", "unknown intervention kind %q; one of: %v", iv.Kind, InterventionKinds)
	}
	if iv.TPS != "" {
		t, ok := s.TPS(iv.TPS)
		if !ok {
			return siaga.Errorf(siaga.EInvalid, "tps", "TPS %q tidak ada di registri", "no TPS %q in the registry", iv.TPS)
		}
		if iv.Region != "" && !siaga.InScope(iv.Region, t.Desa) {
			return siaga.Errorf(siaga.EInvalid, "tps", "TPS %s di luar wilayah %s", "TPS %s lies outside region %s", iv.TPS, iv.Region)
		}
		iv.Region = t.Desa
		if iv.Lat == 0 && iv.Lon == 0 {
			s.mu.RLock()
			p := s.st.points[s.index[iv.TPS]]
			s.mu.RUnlock()
			iv.Lat, iv.Lon = p[1], p[0]
		}
	}
	switch iv.Kind {
	case siaga.InterventionVSAT, siaga.InterventionWalk:
		if iv.TPS == "" {
			return siaga.Errorf(siaga.EInvalid, "tps", "VSAT dan titik sinyal melayani satu TPS: sebutkan TPS-nya", "a VSAT or a walk point serves one TPS: name it")
		}
	case siaga.InterventionBooster, siaga.InterventionCOW:
		if !(iv.RadiusM > 0 && iv.RadiusM <= maxRadius) {
			return siaga.Errorf(siaga.EInvalid, "radius_m", "booster dan BTS bergerak perlu radius jangkauan, 1 sampai %d m", "a booster or mobile BTS needs a coverage radius, 1 to %d m", maxRadius)
		}
	}
	if !InIndonesia(iv.Lat, iv.Lon) {
		return siaga.Errorf(siaga.EInvalid, "lat", "titik %.5f, %.5f di luar Indonesia", "point %.5f, %.5f is outside Indonesia", iv.Lat, iv.Lon)
	}
	if !s.regions[iv.Region] {
		return siaga.Errorf(siaga.EInvalid, "region", "sebutkan wilayah tempat intervensi berdiri", "name the region the intervention stands in")
	}
	if iv.Cost < 0 {
		return siaga.Errorf(siaga.EInvalid, "cost", "biaya tidak boleh negatif", "the cost cannot be negative")
	}
	if iv.Owner == "" || len(iv.Owner) > maxText {
		return siaga.Errorf(siaga.EInvalid, "owner", "instansi pemilik wajib, paling panjang %d karakter", "the owner agency is required, at most %d characters", maxText)
	}
	if len(iv.Note) > 1000 || len(iv.Site) > maxText {
		return siaga.Errorf(siaga.EInvalid, "note", "catatan paling panjang 1000 karakter", "a note is at most 1000 characters")
	}
	return nil
}
