package logistics

import (
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The words and colours a waybill, a BTTB and the shipment pages print
// for the codes of the root contract, kept here once so that the PDF and
// the pages say the same thing.

// Colour is the colour of one contest's ballots.
type Colour struct {
	Name    string // "abu-abu"
	NameEN  string // "grey"
	R, G, B uint8
}

// Hex is the colour as CSS writes it.
func (c Colour) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// ballotColours are the colours of the Pemilu 2024 ballots, one per
// contest, by which a PPS sorts a delivery at a glance: Presiden grey, DPR
// yellow, DPD red, DPRD Provinsi blue, DPRD Kab/Kota green (KPU's 2024
// ballot designs, as summed up in the readiness data notes, section
// "Logistics"). The RGB values are print-friendly approximations, not
// KPU's own.
var ballotColours = map[siaga.Contest]Colour{
	siaga.PPWP:     {"abu-abu", "grey", 160, 160, 160},
	siaga.DPR:      {"kuning", "yellow", 240, 200, 40},
	siaga.DPD:      {"merah", "red", 210, 50, 50},
	siaga.DPRDProv: {"biru", "blue", 50, 100, 200},
	siaga.DPRDKab:  {"hijau", "green", 40, 150, 70},
}

// BallotColour is the colour of item's ballots; ok is false for an item
// that is not a ballot.
func BallotColour(item siaga.Item) (c Colour, ok bool) {
	contest, ok := item.Contest()
	if !ok {
		return Colour{}, false
	}
	c, ok = ballotColours[contest]
	return c, ok
}

// itemNames are the items as a warehouse's stock list names them.
var itemNames = map[siaga.Item]string{
	siaga.ItemBallotPPWP:     "Surat suara Presiden dan Wakil Presiden",
	siaga.ItemBallotDPR:      "Surat suara DPR RI",
	siaga.ItemBallotDPD:      "Surat suara DPD",
	siaga.ItemBallotDPRDProv: "Surat suara DPRD Provinsi",
	siaga.ItemBallotDPRDKab:  "Surat suara DPRD Kabupaten/Kota",
	siaga.ItemBox:            "Kotak suara",
	siaga.ItemBooth:          "Bilik suara",
	siaga.ItemInk:            "Tinta",
	siaga.ItemSeal:           "Segel",
	siaga.ItemFormCHasil:     "Formulir C.Hasil",
	siaga.ItemFormCSalinan:   "Formulir C.Salinan",
	siaga.ItemVoterList:      "Salinan DPT, DPTb dan DCT",
	siaga.ItemStationery:     "Alat tulis",
	ItemPlasticSeal:          "Segel plastik",
}

// ItemName is the item in words; an item this list does not know is
// printed as its code.
func ItemName(item siaga.Item) string {
	if n, ok := itemNames[item]; ok {
		return n
	}
	return string(item)
}

// modeNames are the transport modes in words.
var modeNames = map[siaga.TransportMode]string{
	siaga.ModeTruck:     "truk",
	siaga.ModeMinibus:   "minibus",
	siaga.ModeBoat:      "kapal",
	siaga.ModeMotorbike: "sepeda motor",
	siaga.ModeOnFoot:    "jalan kaki",
}

// ModeName is the transport mode in words.
func ModeName(m siaga.TransportMode) string {
	if n, ok := modeNames[m]; ok {
		return n
	}
	return string(m)
}

// statusNames are the shipment statuses in words, Indonesian then English.
var statusNames = map[siaga.ShipmentStatus][2]string{
	siaga.ShipmentPlanned:   {"direncanakan", "planned"},
	siaga.ShipmentDeparted:  {"dalam perjalanan", "in transit"},
	siaga.ShipmentHeld:      {"tertahan", "held"},
	siaga.ShipmentArrived:   {"tiba, belum dihitung", "arrived, not yet counted"},
	siaga.ShipmentDelivered: {"diterima (BTTB)", "delivered"},
	siaga.ShipmentCancelled: {"dibatalkan", "cancelled"},
}

// StatusName is the status in Indonesian and in English.
func StatusName(s siaga.ShipmentStatus) (id, en string) {
	if n, ok := statusNames[s]; ok {
		return n[0], n[1]
	}
	return string(s), string(s)
}

// WaybillPlace is a place of the chain as a document prints it: a code, the
// region's name, and what the place is at its level (the KPU warehouse
// of a kab/kota, the PPK of a kecamatan, the PPS of a desa, the TPS).
type WaybillPlace struct {
	Code string
	Name string // the region's name: "TIRTAYASA"; for a TPS its desa's
	// Within names the regions above it, nearest first: "Kab. Serang,
	// Banten".
	Within string
}

// Role is what the place is on the chain.
func (p WaybillPlace) Role() string {
	switch siaga.LevelOf(p.Code) {
	case siaga.LevelProvince:
		return "Gudang KPU Provinsi"
	case siaga.LevelKabKota:
		return "Gudang KPU Kab/Kota"
	case siaga.LevelKecamatan:
		return "PPK Kecamatan"
	case siaga.LevelDesa:
		return "PPS Desa/Kelurahan"
	case siaga.LevelTPS:
		return "TPS " + p.Code[len(p.Code)-3:]
	}
	return "Tempat"
}

// String is the place in one line: "PPK Kecamatan TIRTAYASA (360413), Kab. Serang".
func (p WaybillPlace) String() string {
	parts := []string{p.Role()}
	if p.Name != "" {
		parts = append(parts, p.Name)
	}
	s := strings.Join(parts, " ") + " (" + p.Code + ")"
	if p.Within != "" {
		s += ", " + p.Within
	}
	return s
}
