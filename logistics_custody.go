package siaga

import "slices"

// AuditCustodyHandover is the audit action of a handover of a TPS's sealed
// boxes after voting (Handover, package logistics' Custody).
const AuditCustodyHandover = "custody.handover"

// SameHandover reports whether a and b are the same handover as its sender
// wrote it: a phone's retry, or the same form sent twice. Who recorded it
// and when it was stored (Source, By, RecordedAt) may differ between two
// tries and do not count.
func SameHandover(a, b Handover) bool {
	return a.ID == b.ID && a.TPS == b.TPS && a.From == b.From && a.To == b.To && a.Boxes == b.Boxes &&
		a.Envelopes == b.Envelopes && slices.Equal(a.Seals, b.Seals) && slices.Equal(a.BrokenSeals, b.BrokenSeals) &&
		a.GivenBy == b.GivenBy && a.ReceivedBy == b.ReceivedBy && a.At.Equal(b.At) &&
		slices.Equal(a.Photos, b.Photos) && a.Note == b.Note
}
