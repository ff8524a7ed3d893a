package sitrep

import (
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The words the page and the PDF print for the codes of the root
// contract, kept here once so that both say the same thing.

// The kinds of the map's points.
const (
	PointIncident = "insiden"
	PointAlert    = "peringatan"
	PointTPS      = "tps" // a TPS at risk (rawan or ditunda)
)

// CategoryName is an incident category in words (siaga's one list).
func CategoryName(c siaga.IncidentCategory) string { id, _ := c.Words(); return id }

// StatusName is an incident status in words.
func StatusName(s siaga.IncidentStatus) string { id, _ := s.Words(); return id }

var contestNames = map[siaga.Contest]string{
	siaga.PPWP:     "Presiden",
	siaga.DPR:      "DPR RI",
	siaga.DPD:      "DPD",
	siaga.DPRDProv: "DPRD Provinsi",
	siaga.DPRDKab:  "DPRD Kab/Kota",
}

// ContestName is a contest as the report prints it.
func ContestName(c siaga.Contest) string {
	if n, ok := contestNames[c]; ok {
		return n
	}
	return string(c)
}

// kitOrder lists the logistics board's kit statuses (logistics.KitStatus)
// from the worst; the report does not import logistics, whose board the
// readiness service already composes.
var kitOrder = []string{"belum", "tertahan", "terlambat", "kurang", "dalam_perjalanan", "direncanakan", "lengkap"}

var kitNames = map[string]string{
	"belum":            "Belum dikirim",
	"tertahan":         "Tertahan",
	"terlambat":        "Terlambat",
	"kurang":           "Kurang",
	"dalam_perjalanan": "Dalam perjalanan",
	"direncanakan":     "Direncanakan",
	"lengkap":          "Lengkap",
}

// RegionTitle is a region as the report's title names it, in capitals:
// "PROVINSI BANTEN", "KABUPATEN PANDEGLANG" (the registry names a
// kab/kota with its kind).
func RegionTitle(r siaga.Region) string {
	name := strings.ToUpper(r.Name)
	switch r.Level {
	case siaga.LevelProvince:
		if !strings.HasPrefix(name, "PROVINSI") {
			name = "PROVINSI " + name
		}
	case siaga.LevelKecamatan:
		name = "KECAMATAN " + name
	case siaga.LevelDesa:
		name = "DESA/KELURAHAN " + name
	}
	return name
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
