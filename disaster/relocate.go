package disaster

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
)

// DefaultWalk is how far, in a straight line, a relocated TPS may be from
// where its voters expected it. 1 km is some 15 minutes on foot for an
// elderly voter, and the real path is longer than the straight line;
// farther than that, a TPS of ≤ 300 voters usually lands in another RW or
// desa and turnout falls. A desk can widen it where a whole desa floods.
const DefaultWalk = 1000.0 // metres

// holdsTPS are the site kinds a TPS can move into; towers and rooftops
// are for boosters.
var holdsTPS = []string{"sekolah", "masjid", "kantor_desa", "balai", "gedung", "lapangan", "lainnya"}

// Candidate is a safe place a TPS can move to.
type Candidate struct {
	Site      siaga.Site `json:"site"`
	DistanceM float64    `json:"distance_m"`
	// Fits is false when the site's known capacity is below the TPS's
	// voters; true when it holds them or its capacity is unknown.
	Fits bool `json:"fits"`
	// Zones are the rendah zones it lies in (sedang and above are never
	// candidates).
	Zones []Hit `json:"zones"`
}

// Candidates returns the sites a TPS at from, of voters voters, can move
// to: a kind that can hold a TPS, outside every zone of class sedang or
// above, within walk metres, nearest first (ties by code). It is a pure
// function of its inputs, so the desk's list and the tests agree.
func Candidates(from orb.Point, voters int, sites []siaga.Site, x *Exposure, walk float64) []Candidate {
	out := []Candidate{}
	for _, site := range sites {
		if !slices.Contains(holdsTPS, site.Kind) {
			continue
		}
		p := orb.Point{site.Lon, site.Lat}
		d := geo.Distance(from, p)
		if d > walk {
			continue
		}
		hits := x.At(p)
		if siaga.HazardRank(Worst(hits)) >= siaga.HazardRank(siaga.HazardMedium) {
			continue
		}
		if hits == nil {
			hits = []Hit{}
		}
		out = append(out, Candidate{Site: site, DistanceM: d, Fits: site.Capacity == 0 || site.Capacity >= voters, Zones: hits})
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.DistanceM, b.DistanceM), strings.Compare(a.Site.Code, b.Site.Code))
	})
	return out
}

// Candidates is the package's Candidates for one registered TPS where it
// stands now; a TPS without a known point has none.
func (s *Service) Candidates(code string, sites []siaga.Site, walk float64) ([]Candidate, error) {
	p, t, err := s.point(code)
	if err != nil {
		return nil, err
	}
	if p.Source == "" {
		return nil, siaga.Errorf(siaga.EInvalid, "tps", "Lokasi TPS %s belum diketahui; impor dulu (siaga import tps-locations)",
			"TPS %s has no known location; import one first (siaga import tps-locations)", code)
	}
	if walk <= 0 {
		walk = DefaultWalk
	}
	return Candidates(p.orb(), t.DPT, sites, s.st.load().exposure, walk), nil
}

// Relocate records a relocation decision: r names the TPS, the new place
// and the decision (reason, decider and office, date, letter number); the
// old place is filled in from where the TPS stands now. The TPS keeps its
// code and its location history.
func (s *Service) Relocate(ctx context.Context, r *siaga.Relocation) error {
	if err := checkRelocation(r); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, _, err := s.point(r.TPS)
	if err != nil {
		return err
	}
	r.FromLat, r.FromLon, r.FromAddress = p.Lat, p.Lon, p.Address
	r.At = s.cfg.Now()
	audit := siaga.AuditEvent{At: r.At, Actor: r.By, Action: siaga.AuditRelocation, Subject: r.TPS, Scope: r.TPS,
		Detail: siaga.AuditDetail(map[string]any{"letter": r.Letter, "decided": r.Decided.Format("2006-01-02"),
			"decider": r.Decider, "office": r.DeciderOffice, "to": r.ToAddress, "site": r.Site, "reason": r.Reason})}
	if err := s.cfg.Store.AddRelocation(ctx, r, audit); err != nil {
		return err
	}
	s.moved([]siaga.TPSLocation{r.Location()})
	return nil
}

// checkRelocation refuses a decision without its legal trail.
func checkRelocation(r *siaga.Relocation) error {
	for _, f := range []struct{ name, value, id, en string }{
		{"tps", r.TPS, "kode TPS", "the TPS code"},
		{"to_address", r.ToAddress, "alamat tempat baru", "the new place's address"},
		{"reason", r.Reason, "alasan", "the reason"},
		{"decider", r.Decider, "pejabat yang memutuskan", "who decided"},
		{"decider_office", r.DeciderOffice, "kantor yang memutuskan", "the deciding office"},
		{"letter", r.Letter, "nomor surat keputusan KPU", "the KPU letter number"},
	} {
		if strings.TrimSpace(f.value) == "" {
			return &siaga.Error{Code: siaga.EInvalid, Field: f.name,
				Message: "Keputusan relokasi perlu " + f.id, MessageEN: "a relocation decision needs " + f.en}
		}
	}
	if r.Decided.IsZero() {
		return siaga.Errorf(siaga.EInvalid, "decided", "Keputusan relokasi perlu tanggalnya", "a relocation decision needs its date")
	}
	if !Indonesia.Contains(orb.Point{r.ToLon, r.ToLat}) {
		return siaga.Errorf(siaga.EInvalid, "to_lat", "Tempat baru (%g, %g) di luar Indonesia", "the new place (%g, %g) is outside Indonesia", r.ToLat, r.ToLon)
	}
	return nil
}
