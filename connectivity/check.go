package connectivity

import (
	"math"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
)

// Bounds of what a survey can hold. A value outside them is a typo or a
// made-up number, never a measurement.
const (
	// 3GPP TS 38.133 reports SS-RSRP from −156 to −31 dBm, which contains
	// LTE's −140 to −44 (TS 36.133).
	minRSRP, maxRSRP = -156.0, -31.0
	// A received power above 0 dBm (1 mW) does not reach a handset; below
	// −120 dBm no 2G/3G phone decodes anything.
	minRSSI, maxRSSI = -120.0, 0.0
	maxKbps          = 10_000_000 // 10 Gbit/s: beyond any phone
	maxRTTms         = 600_000    // ten minutes: the data test gives up long before
	maxText          = 200        // a name, an operator's free text
	// clockSkew is how far ahead of the server a phone's clock may be: a
	// survey dated later than that is refused as "in the future".
	clockSkew = 10 * time.Minute
)

// Sources a survey may come from.
var Sources = []string{siaga.SurveyField, siaga.SurveyWeb, siaga.SurveyImport, siaga.SurveyDemo}

// InIndonesia reports whether a point lies in the box around Indonesia's
// land and waters (lat −11..6.5, lon 94..141.5): a point outside is a
// swapped or mistyped coordinate.
func InIndonesia(lat, lon float64) bool {
	return lat >= -11 && lat <= 6.5 && lon >= 94 && lon <= 141.5
}

// TPSIndex says which TPS exist (registry.Index is one).
type TPSIndex interface {
	TPS(code string) (siaga.TPS, bool)
}

// CheckSurvey refuses a survey that cannot be a measurement: an unknown
// TPS, operator, technology or source, a value out of range, a level for
// "no service", speeds without a data test, a point outside Indonesia, no
// date or one in the future. The error's field is the CSV column at
// fault. Lat and Lon both 0 mean no point was taken.
func CheckSurvey(s *siaga.Survey, tps TPSIndex, now time.Time) *siaga.Error {
	if _, ok := tps.TPS(s.TPS); !ok {
		return siaga.Errorf(siaga.EInvalid, "tps", "TPS %q tidak ada di registri", "no TPS %q in the registry", s.TPS)
	}
	if !slices.Contains(Operators, s.Operator) {
		return siaga.Errorf(siaga.EInvalid, "operator", "operator %q tidak dikenal; pilih: %v", "unknown operator %q; one of: %v", s.Operator, Operators)
	}
	if !slices.Contains(Techs, s.Tech) {
		return siaga.Errorf(siaga.EInvalid, "tech", "teknologi %q tidak dikenal; pilih: %v", "unknown technology %q; one of: %v", s.Tech, Techs)
	}
	if err := checkRange("rsrp", s.RSRP, minRSRP, maxRSRP, "dBm"); err != nil {
		return err
	}
	if err := checkRange("rssi", s.RSSI, minRSSI, maxRSSI, "dBm"); err != nil {
		return err
	}
	if s.Tech == TechNone && (s.RSRP != nil || s.RSSI != nil) {
		field := "rsrp"
		if s.RSRP == nil {
			field = "rssi"
		}
		return siaga.Errorf(siaga.EInvalid, field, "tanpa layanan (tech none) tidak punya kuat sinyal", "no service (tech none) has no signal level")
	}
	for _, m := range []struct {
		field string
		v     *float64
		max   float64
		unit  string
	}{{"down_kbps", s.DownKbps, maxKbps, "kbps"}, {"up_kbps", s.UpKbps, maxKbps, "kbps"}, {"rtt_ms", s.RTTms, maxRTTms, "ms"}} {
		if m.v != nil && s.DataOK == nil {
			return siaga.Errorf(siaga.EInvalid, m.field, "ada hasil uji data tanpa data_ok", "a data test result without data_ok")
		}
		if err := checkRange(m.field, m.v, 0, m.max, m.unit); err != nil {
			return err
		}
	}
	if (s.Lat != 0 || s.Lon != 0) && !InIndonesia(s.Lat, s.Lon) {
		field := "lat"
		if s.Lat >= -11 && s.Lat <= 6.5 {
			field = "lon"
		}
		return siaga.Errorf(siaga.EInvalid, field, "titik %.5f, %.5f di luar Indonesia", "point %.5f, %.5f is outside Indonesia", s.Lat, s.Lon)
	}
	if s.Surveyor == "" || len(s.Surveyor) > maxText {
		return siaga.Errorf(siaga.EInvalid, "surveyor", "nama surveyor wajib, paling panjang %d karakter", "the surveyor's name is required, at most %d characters", maxText)
	}
	if len(s.Link) > maxText {
		return siaga.Errorf(siaga.EInvalid, "link", "keterangan jaringan terlalu panjang", "the link description is too long")
	}
	if !slices.Contains(Sources, s.Source) {
		return siaga.Errorf(siaga.EInvalid, "source", "sumber survei %q tidak dikenal", "unknown survey source %q", s.Source)
	}
	if s.At.IsZero() {
		return siaga.Errorf(siaga.EInvalid, "at", "waktu pengukuran wajib", "the time of the measurement is required")
	}
	if s.At.After(now.Add(clockSkew)) {
		return siaga.Errorf(siaga.EInvalid, "at", "waktu %s belum terjadi", "%s is in the future", s.At.In(siaga.WIB).Format(time.RFC3339))
	}
	return nil
}

func checkRange(field string, v *float64, lo, hi float64, unit string) *siaga.Error {
	if v == nil {
		return nil
	}
	if math.IsNaN(*v) || *v < lo || *v > hi {
		return siaga.Errorf(siaga.EInvalid, field, "%g %s mustahil: harus antara %g dan %g", "%g %s is impossible: it must lie between %g and %g",
			*v, unit, lo, hi)
	}
	return nil
}
