package logistics

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// Custody follows the sealed ballot boxes and C.Hasil envelopes of every
// TPS back after voting, TPS → PPS → PPK (docs/logistics.md, "Serah terima
// kotak suara"): each handover is checked against where the boxes are and
// what the previous receiver counted, stored with its alerts and audit
// entry, and the PPK sees per TPS where its boxes are and which are late.
type Custody struct {
	cfg CustodyConfig
}

// CustodyConfig is what Custody needs.
type CustodyConfig struct {
	Store siaga.CustodyStore
	// Registry knows the TPS and their desa and kecamatan; its TPS are
	// ordered by code.
	Registry *siaga.Registry
	Now      func() time.Time
	// Deadlines are when the boxes are late; the zero value is
	// DefaultDeadlines of Pemilu 2024.
	Deadlines Deadlines
	// Alerts stores the late alerts RaiseLate raises (the logistics
	// store); nil: RaiseLate stores none.
	Alerts CustodyAlerts
}

// CustodyAlerts is the part of the logistics store (siaga.ShipmentStore)
// that keeps alerts outside a handover.
type CustodyAlerts interface {
	AddLogisticsAlerts(ctx context.Context, alerts []siaga.LogisticsAlert) error
	LogisticsAlerts(ctx context.Context, f siaga.LogisticsAlertFilter) ([]siaga.LogisticsAlert, int, error)
}

// Deadlines are the times by which a TPS's boxes should have reached the
// PPS and the PPK.
type Deadlines struct {
	PPS time.Time `json:"pps"` // left the TPS (at the PPS or beyond)
	PPK time.Time `json:"ppk"` // at the PPK
}

// DefaultDeadlines are our default for an election on votingDay
// (YYYY-MM-DD, WIB): the boxes at the PPS by 06:00 and at the PPK by 12:00
// of the next day, since the count often ends after midnight and the PPK's
// recapitulation starts the next day. They are Siaga's, not an hour taken
// from the regulations: a KPU kab/kota replaces them by its own schedule
// (node.Config.CustodyDeadlines).
func DefaultDeadlines(votingDay string) (Deadlines, error) {
	d, err := time.ParseInLocation(time.DateOnly, votingDay, siaga.WIB)
	if err != nil {
		return Deadlines{}, fmt.Errorf("custody deadlines: voting day %q: %w", votingDay, err)
	}
	next := d.AddDate(0, 0, 1)
	return Deadlines{PPS: next.Add(6 * time.Hour), PPK: next.Add(12 * time.Hour)}, nil
}

// pemilu2024 is the default when the config names none.
var pemilu2024 = Deadlines{
	PPS: time.Date(2024, 2, 15, 6, 0, 0, 0, siaga.WIB),
	PPK: time.Date(2024, 2, 15, 12, 0, 0, 0, siaga.WIB),
}

// NewCustody returns the custody service of cfg.
func NewCustody(cfg CustodyConfig) *Custody {
	if cfg.Deadlines == (Deadlines{}) {
		cfg.Deadlines = pemilu2024
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Custody{cfg: cfg}
}

// Deadlines are the service's deadlines.
func (c *Custody) Deadlines() Deadlines { return c.cfg.Deadlines }

// Bounds of a handover's fields: a TPS has 5 boxes with 4 seals or so
// each; the rest is generous.
const (
	maxSeals    = 100
	maxSealLen  = 50
	maxNameLen  = 200
	maxNoteLen  = 1000
	maxIDLen    = 100
	maxPhotos   = 3
	clockSkew   = 10 * time.Minute // a phone's clock ahead of the server's
	handoverRef = "handover:"
)

// Handover checks h against the TPS's chain and stores it with its seal
// alert, if any, and its audit entry. It returns the handover as stored
// and the alerts it raised. A handover whose ID is stored already is a
// retry: the same one answers what is stored and no alert, another one
// EConflict. Errors name the field at fault.
func (c *Custody) Handover(ctx context.Context, h siaga.Handover) (siaga.Handover, []siaga.LogisticsAlert, error) {
	h = tidy(h)
	if err := c.checkFields(h); err != nil {
		return h, nil, err
	}
	chain, err := c.cfg.Store.Handovers(ctx, h.TPS)
	if err != nil {
		return h, nil, err
	}
	if i := slices.IndexFunc(chain, func(o siaga.Handover) bool { return o.ID == h.ID }); i >= 0 {
		if siaga.SameHandover(chain[i], h) {
			return chain[i], nil, nil
		}
		return h, nil, siaga.Errorf(siaga.EConflict, "id", "Serah terima %s sudah tercatat dengan isi lain",
			"handover %s is already recorded with other content", h.ID)
	}
	var prev *siaga.Handover
	if len(chain) > 0 {
		prev = &chain[len(chain)-1]
	}
	if err := checkLeg(prev, h); err != nil {
		return h, nil, err
	}
	h.RecordedAt = c.cfg.Now()
	if h.At.After(h.RecordedAt.Add(clockSkew)) {
		return h, nil, siaga.Errorf(siaga.EInvalid, "at", "Waktu serah terima %s belum terjadi",
			"handover time %s is in the future", h.At.In(siaga.WIB).Format("2006-01-02 15:04 MST"))
	}
	var alerts []siaga.LogisticsAlert
	if a, ok := sealAlert(prev, h); ok {
		alerts = append(alerts, a)
	}
	audit := siaga.AuditEvent{At: h.RecordedAt, Actor: cmpOr(h.By, "cli"), Action: siaga.AuditCustodyHandover,
		Subject: handoverRef + h.ID, Scope: h.TPS,
		Detail: siaga.AuditDetail(map[string]any{"tps": h.TPS, "from": h.From, "to": h.To, "boxes": h.Boxes,
			"envelopes": h.Envelopes, "seals": h.Seals, "broken_seals": h.BrokenSeals, "at": h.At, "alerts": len(alerts)})}
	if err := c.cfg.Store.AddHandover(ctx, h, alerts, audit); err != nil {
		return h, nil, err
	}
	return h, alerts, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// tidy trims what people type around seal numbers and names.
func tidy(h siaga.Handover) siaga.Handover {
	trim := func(l []string) []string {
		var out []string
		for _, s := range l {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	h.ID, h.TPS, h.From, h.To = strings.TrimSpace(h.ID), strings.TrimSpace(h.TPS), strings.TrimSpace(h.From), strings.TrimSpace(h.To)
	h.GivenBy, h.ReceivedBy, h.Note = strings.TrimSpace(h.GivenBy), strings.TrimSpace(h.ReceivedBy), strings.TrimSpace(h.Note)
	h.Seals, h.BrokenSeals, h.Photos = trim(h.Seals), trim(h.BrokenSeals), trim(h.Photos)
	return h
}

// checkFields checks h on its own, before its chain is read.
func (c *Custody) checkFields(h siaga.Handover) error {
	switch {
	case h.ID == "" || len(h.ID) > maxIDLen:
		return siaga.Errorf(siaga.EInvalid, "id", "ID serah terima wajib diisi (paling panjang %d karakter)",
			"a handover id is required (at most %d characters)", maxIDLen)
	case !c.knownTPS(h.TPS):
		return siaga.Errorf(siaga.EInvalid, "tps", "TPS %q tidak terdaftar", "unknown TPS %q", h.TPS)
	case h.Boxes < 1:
		return siaga.Errorf(siaga.EInvalid, "boxes", "Jumlah kotak suara paling sedikit 1", "at least 1 ballot box")
	case h.Envelopes < 0:
		return siaga.Errorf(siaga.EInvalid, "envelopes", "Jumlah sampul tidak boleh negatif", "the envelopes cannot be negative")
	case len(h.Seals) == 0:
		return siaga.Errorf(siaga.EInvalid, "seals", "Nomor segel wajib diisi", "the seal numbers are required")
	case len(h.Seals) > maxSeals:
		return siaga.Errorf(siaga.EInvalid, "seals", "Paling banyak %d nomor segel", "at most %d seal numbers", maxSeals)
	case h.GivenBy == "" || len(h.GivenBy) > maxNameLen:
		return siaga.Errorf(siaga.EInvalid, "given_by", "Nama yang menyerahkan wajib diisi", "the name of who handed over is required")
	case h.ReceivedBy == "" || len(h.ReceivedBy) > maxNameLen:
		return siaga.Errorf(siaga.EInvalid, "received_by", "Nama yang menerima wajib diisi", "the name of who received is required")
	case h.At.IsZero():
		return siaga.Errorf(siaga.EInvalid, "at", "Waktu serah terima wajib diisi", "the handover time is required")
	case len(h.Note) > maxNoteLen:
		return siaga.Errorf(siaga.EInvalid, "note", "Catatan paling panjang %d karakter", "the note is at most %d characters", maxNoteLen)
	case len(h.Photos) > maxPhotos:
		return siaga.Errorf(siaga.EInvalid, "photos", "Paling banyak %d foto", "at most %d photos", maxPhotos)
	}
	seen := map[string]bool{}
	for _, s := range h.Seals {
		if len(s) > maxSealLen {
			return siaga.Errorf(siaga.EInvalid, "seals", "Nomor segel %.20q… terlalu panjang", "seal number %.20q… is too long", s)
		}
		if seen[s] {
			return siaga.Errorf(siaga.EInvalid, "seals", "Nomor segel %s tertulis dua kali", "seal number %s is listed twice", s)
		}
		seen[s] = true
	}
	for _, s := range h.BrokenSeals {
		if !seen[s] {
			return siaga.Errorf(siaga.EInvalid, "broken_seals", "Segel rusak %s tidak ada di daftar nomor segel",
				"broken seal %s is not among the seal numbers", s)
		}
	}
	for _, p := range h.Photos {
		if !isSHA256(p) {
			return siaga.Errorf(siaga.EInvalid, "photos", "Foto %.20q bukan SHA-256 (64 heksadesimal)", "photo %.20q is not a SHA-256 (64 hex digits)", p)
		}
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// checkLeg checks that h is the chain's next leg: from where the boxes are
// (the TPS before any handover, else the previous one's receiver), one
// step up — TPS → PPS (its desa) → PPK (its kecamatan). A TPS may hand its
// boxes straight to the PPK when the PPS does not collect them (a desa
// whose PPS brings every TPS to the kecamatan in one trip, or a TPS next
// to the PPK's office): the chain then has one leg.
func checkLeg(prev *siaga.Handover, h siaga.Handover) error {
	where := h.TPS
	if prev != nil {
		where = prev.To
		if h.At.Before(prev.At) {
			return siaga.Errorf(siaga.EInvalid, "at", "Waktu serah terima sebelum serah terima sebelumnya (%s)",
				"the handover is before the previous one (%s)", prev.At.In(siaga.WIB).Format("2006-01-02 15:04 MST"))
		}
	}
	desa, kec := siaga.ParentCode(h.TPS), h.TPS[:6]
	if where == kec {
		return siaga.Errorf(siaga.EConflict, "from", "Kotak suara TPS %s sudah diterima PPK %s", "the boxes of TPS %s are already at PPK %s", h.TPS, kec)
	}
	if h.From != where {
		return siaga.Errorf(siaga.EInvalid, "from", "Kotak suara TPS %s sekarang di %s, bukan di %s",
			"the boxes of TPS %s are now at %s, not at %s", h.TPS, placeName(h.TPS, where), placeName(h.TPS, h.From))
	}
	if h.To == kec || (h.To == desa && where == h.TPS) {
		return nil
	}
	if where == h.TPS {
		return siaga.Errorf(siaga.EInvalid, "to", "Dari TPS kotak suara diserahkan ke PPS %s atau PPK %s, bukan ke %q",
			"from the TPS the boxes go to PPS %s or PPK %s, not to %q", desa, kec, h.To)
	}
	return siaga.Errorf(siaga.EInvalid, "to", "Dari PPS kotak suara diserahkan ke PPK %s, bukan ke %q",
		"from the PPS the boxes go to PPK %s, not to %q", kec, h.To)
}

// placeName says which place of a TPS's chain code is.
func placeName(tps, code string) string {
	switch code {
	case tps:
		return "TPS " + code
	case siaga.ParentCode(tps):
		return "PPS " + code
	case tps[:6]:
		return "PPK " + code
	}
	return fmt.Sprintf("%q", code)
}

// sealAlert is the alert to Bawaslu a handover raises when a seal is
// broken, a seal number differs from the previous handover's, or the
// boxes or envelopes counted differ from the previous receiver's count.
// Bawaslu of the TPS's kecamatan (Panwascam) and above see it.
func sealAlert(prev *siaga.Handover, h siaga.Handover) (siaga.LogisticsAlert, bool) {
	var id, en []string
	if len(h.BrokenSeals) > 0 {
		id = append(id, "segel rusak "+strings.Join(h.BrokenSeals, ", "))
		en = append(en, "broken seal "+strings.Join(h.BrokenSeals, ", "))
	}
	if prev != nil {
		if added := missing(h.Seals, prev.Seals); len(added) > 0 {
			id = append(id, "nomor segel tidak cocok dengan serah terima sebelumnya: "+strings.Join(added, ", "))
			en = append(en, "seal numbers not in the previous handover: "+strings.Join(added, ", "))
		}
		if gone := missing(prev.Seals, h.Seals); len(gone) > 0 {
			id = append(id, "segel tidak ditemukan: "+strings.Join(gone, ", "))
			en = append(en, "seals not found: "+strings.Join(gone, ", "))
		}
		if h.Boxes != prev.Boxes {
			id = append(id, fmt.Sprintf("kotak suara %d, sebelumnya %d", h.Boxes, prev.Boxes))
			en = append(en, fmt.Sprintf("%d ballot boxes, %d before", h.Boxes, prev.Boxes))
		}
		if h.Envelopes != prev.Envelopes {
			id = append(id, fmt.Sprintf("sampul C.Hasil %d, sebelumnya %d", h.Envelopes, prev.Envelopes))
			en = append(en, fmt.Sprintf("%d C.Hasil envelopes, %d before", h.Envelopes, prev.Envelopes))
		}
	}
	if len(id) == 0 {
		return siaga.LogisticsAlert{}, false
	}
	leg := fmt.Sprintf("%s → %s", placeName(h.TPS, h.From), placeName(h.TPS, h.To))
	return siaga.LogisticsAlert{
		Kind: siaga.AlertSeal, Region: h.TPS[:6], Role: siaga.RoleBawaslu, TPS: h.TPS, Ref: handoverRef + h.ID, At: h.At,
		Text: fmt.Sprintf("TPS %s, serah terima %s: %s. Segel: %s. Diserahkan oleh %s, diterima oleh %s.",
			h.TPS, leg, strings.Join(id, "; "), strings.Join(h.Seals, ", "), h.GivenBy, h.ReceivedBy),
		EN: fmt.Sprintf("TPS %s, handover %s: %s. Seals: %s. Handed over by %s, received by %s.",
			h.TPS, leg, strings.Join(en, "; "), strings.Join(h.Seals, ", "), h.GivenBy, h.ReceivedBy),
	}, true
}

// missing lists the strings of a that are not in b, in a's order.
func missing(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Chain returns the handovers of one TPS, in the order they happened.
func (c *Custody) Chain(ctx context.Context, tps string) ([]siaga.Handover, error) {
	if !c.knownTPS(tps) {
		return nil, siaga.Errorf(siaga.ENotFound, "tps", "TPS %q tidak terdaftar", "unknown TPS %q", tps)
	}
	return c.cfg.Store.Handovers(ctx, tps)
}

func (c *Custody) knownTPS(code string) bool {
	_, ok := c.tps(code)
	return ok
}

func (c *Custody) tps(code string) (siaga.TPS, bool) {
	all := c.cfg.Registry.TPS
	i := sort.Search(len(all), func(i int) bool { return all[i].Code >= code })
	if i < len(all) && all[i].Code == code && siaga.IsTPSCode(code) {
		return all[i], true
	}
	return siaga.TPS{}, false
}

// tpsUnder returns the registry's TPS whose codes start with region.
func (c *Custody) tpsUnder(region string) []siaga.TPS {
	all := c.cfg.Registry.TPS
	lo := sort.Search(len(all), func(i int) bool { return all[i].Code >= region })
	hi := lo
	for hi < len(all) && strings.HasPrefix(all[hi].Code, region) {
		hi++
	}
	return all[lo:hi]
}
