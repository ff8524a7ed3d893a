// Package siaga holds the domain of the regional election desk: regions and
// polling stations, the election definition, count forms, results and the
// interfaces the storage and transport adapters implement. It imports nothing
// outside the standard library so every other package can depend on it.
package siaga

// Level is the depth of a region in the administrative tree.
type Level int

const (
	LevelProvince  Level = 1
	LevelKabKota   Level = 2
	LevelKecamatan Level = 3
	LevelDesa      Level = 4
	LevelTPS       Level = 5
)

// String returns the Indonesian name of the level.
func (l Level) String() string {
	switch l {
	case LevelProvince:
		return "provinsi"
	case LevelKabKota:
		return "kabupaten/kota"
	case LevelKecamatan:
		return "kecamatan"
	case LevelDesa:
		return "desa/kelurahan"
	case LevelTPS:
		return "TPS"
	}
	return "wilayah"
}

// LevelOf derives the level from the length of a plain (undotted) code:
// 2 province, 4 kab/kota, 6 kecamatan, 10 desa, 13 TPS.
func LevelOf(code string) Level {
	switch len(code) {
	case 2:
		return LevelProvince
	case 4:
		return LevelKabKota
	case 6:
		return LevelKecamatan
	case 10:
		return LevelDesa
	case 13:
		return LevelTPS
	}
	return 0
}

// IsRegionCode reports whether s is the plain code of a region or a TPS:
// digits only, as many as LevelOf knows.
func IsRegionCode(s string) bool { return LevelOf(s) != 0 && allDigits(s) }

// IsTPSCode reports whether s is a TPS code: 13 digits, the desa's ten and
// the TPS number's three.
func IsTPSCode(s string) bool { return len(s) == 13 && allDigits(s) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParentCode is the code of the enclosing region, "" for a province.
func ParentCode(code string) string {
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	case 10:
		return code[:6]
	case 13:
		return code[:10]
	}
	return ""
}

// Ancestors lists the codes of every region enclosing code, nearest first.
func Ancestors(code string) []string {
	var out []string
	for p := ParentCode(code); p != ""; p = ParentCode(p) {
		out = append(out, p)
	}
	return out
}

// Region is a province, kab/kota, kecamatan or desa. Codes are plain digits
// (Kemendagri codes without dots): "36", "3601", "360101", "3601012001".
type Region struct {
	Code     string `json:"code"`
	Parent   string `json:"parent,omitempty"`
	Level    Level  `json:"level"`
	Name     string `json:"name"`
	TPSCount int    `json:"tps_count"`
	DPT      int    `json:"dpt"`
}

// TPS is one polling station. Its code is the desa code plus a three-digit
// number; special TPS (in hospitals, prisons…) are numbered from 901.
type TPS struct {
	Code    string `json:"code"`
	Desa    string `json:"desa"`
	Number  int    `json:"number"`
	Special bool   `json:"special,omitempty"`
	DPT     int    `json:"dpt"`
	// DPTImported is true when DPT came from a real voter list rather than
	// the seeded generator; rule R9 only applies then.
	DPTImported bool `json:"dpt_imported,omitempty"`
	// Lat and Lon are synthetic unless imported: no public TPS locations exist.
	Lat float64 `json:"lat,omitempty"`
	Lon float64 `json:"lon,omitempty"`
	// Connectivity is synthetic too: no public survey by TPS exists.
	Connectivity Connectivity `json:"connectivity,omitempty"`
}

// Connectivity is the mobile signal at a TPS, which decides how its forms
// travel: over the network, by relay from a phone that has signal, or by a
// runner from a blank spot.
type Connectivity string

const (
	SignalGood Connectivity = "good"
	SignalWeak Connectivity = "weak"
	BlankSpot  Connectivity = "blank" // no signal: forms leave by relay, SMS or runner
)

// Registry is the region tree and polling stations of a deployment.
type Registry struct {
	Regions []Region // parents before children
	TPS     []TPS    // ordered by code
}
