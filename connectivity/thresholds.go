package connectivity

import (
	"math"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// ThresholdsHelp says how ParseThresholds reads its text.
const ThresholdsHelp = "good_rsrp=-100,blank_rsrp=-120,good_rssi=-85,blank_rssi=-105,min_kbps=70,max_rtt_ms=1400 (any of them; dBm, kbit/s, ms)"

// ParseThresholds reads thresholds written as comma-separated key=value
// pairs (ThresholdsHelp), each changing one of DefaultThresholds: how a
// desk whose operators or app need other limits sets them (siaga serve
// --signal-thresholds). A key it does not know, a number it cannot read
// or limits in the wrong order are refused, named.
func ParseThresholds(s string) (Thresholds, error) {
	th := DefaultThresholds
	fields := map[string]*float64{"good_rsrp": &th.GoodRSRP, "blank_rsrp": &th.WeakRSRP, "good_rssi": &th.GoodRSSI,
		"blank_rssi": &th.WeakRSSI, "min_kbps": &th.MinKbps, "max_rtt_ms": &th.MaxRTTms}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		key = strings.TrimSpace(key)
		f, ok := fields[key]
		if !ok {
			return th, siaga.Errorf(siaga.EInvalid, key, "ambang %q tidak dikenal; yang dikenal: %s", "unknown threshold %q; known: %s",
				key, ThresholdsHelp)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return th, siaga.Errorf(siaga.EInvalid, key, "ambang %s: %q bukan angka", "threshold %s: %q is not a number", key, value)
		}
		*f = v
	}
	return th, th.check()
}

// check refuses limits no survey could be classified by: a good level
// below the blank one, levels outside what phones report, a speed or a
// round trip that is not positive.
func (th Thresholds) check() error {
	switch {
	case th.WeakRSRP >= th.GoodRSRP || th.WeakRSRP < -156 || th.GoodRSRP > -31:
		return siaga.Errorf(siaga.EInvalid, "good_rsrp", "RSRP: batas blank harus di bawah batas baik, keduanya antara −156 dan −31 dBm",
			"RSRP: the blank limit must be below the good one, both between −156 and −31 dBm")
	case th.WeakRSSI >= th.GoodRSSI || th.WeakRSSI < -120 || th.GoodRSSI > 0:
		return siaga.Errorf(siaga.EInvalid, "good_rssi", "RSSI: batas blank harus di bawah batas baik, keduanya antara −120 dan 0 dBm",
			"RSSI: the blank limit must be below the good one, both between −120 and 0 dBm")
	case th.MinKbps <= 0 || th.MaxRTTms <= 0:
		return siaga.Errorf(siaga.EInvalid, "min_kbps", "kecepatan dan waktu bolak-balik minimum harus positif",
			"the speed and round-trip limits must be positive")
	}
	return nil
}
