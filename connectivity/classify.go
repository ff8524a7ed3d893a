// Package connectivity is the desk's picture of the mobile signal at every
// TPS: signal surveys classify each TPS as good, weak or blank; boosters,
// VSAT terminals, mobile BTS and mapped walk points change what a TPS can
// do; and the planner (BuildInstance, over package coverage) chooses
// where the next ones go. The store is the truth; a Service keeps in
// memory what the map and the API read, and refreshes it on every change.
package connectivity

import "github.com/deskpemilu/siaga"

// Thresholds decide the class of one survey. The zero value is not usable:
// start from DefaultThresholds.
type Thresholds struct {
	// 4G/5G: an RSRP at or above GoodRSRP is good, above WeakRSRP weak,
	// at or below it blank (dBm).
	GoodRSRP, WeakRSRP float64
	// 2G/3G: the same for the RSSI (dBm).
	GoodRSSI, WeakRSSI float64
	// A data test that passed but moved less than MinKbps either way, or
	// took MaxRTTms or longer to answer, was slow: weak at best.
	MinKbps, MaxRTTms float64
}

// DefaultThresholds are the classes operators and drive-test practice use:
//
//   - RSRP (4G, and 5G's SS-RSRP): ≥ −100 dBm is "fair" or better in the
//     usual operator bands (−80 excellent, −90 good, −100 fair, below poor);
//     around −120 dBm a phone is at the edge of camping on the cell (the
//     minimum RX level operators set in SIB1, q-RxLevMin of 3GPP TS 36.304's
//     cell-selection criterion, is commonly −120 to −124 dBm), so at or
//     below −120 there is no usable service.
//   - RSSI (2G/3G): ≥ −85 dBm is a solid signal (3–4 bars); GSM's reference
//     sensitivity of a handset is −102 dBm (3GPP TS 45.005), so at or below
//     −105 dBm calls and data drop.
//   - Data test: the Network Information API (WICG) calls a link "2g" at a
//     round trip of 1,400 ms or a downlink of 70 kbit/s, "slow-2g" worse;
//     a recap app that uploads the C1 photos cannot work on such a link.
//     So a passing test slower than 70 kbit/s either way, or with a round
//     trip of 1,400 ms or more, makes the TPS weak at best.
var DefaultThresholds = Thresholds{
	GoodRSRP: -100, WeakRSRP: -120,
	GoodRSSI: -85, WeakRSSI: -105,
	MinKbps: 70, MaxRTTms: 1400,
}

// Technologies a survey names ("none": the phone showed no service).
var Techs = []string{"2g", "3g", "4g", "5g", TechNone}

// TechNone is a survey of an operator with no service at all.
const TechNone = "none"

// Operators a survey names; "lainnya" is any other.
var Operators = []string{"telkomsel", "indosat", "xl", "smartfren", "tri", "lainnya"}

// Classify is the class of one survey:
//
//   - no service ("none") or a data test that failed: blank;
//   - else the class of its signal level (RSRP for 4G/5G, RSSI for 2G/3G),
//     capped at weak by a slow data test;
//   - a level at or below the blank threshold with a data test that went
//     through (slowly or not) is weak: the data test is direct evidence
//     that a count can leave, and a booster can help there;
//   - no level measured: the data test decides (good, or weak when slow);
//     with no data test either, weak: the phone showed service, but
//     nothing says it is enough.
func (th Thresholds) Classify(s *siaga.Survey) siaga.Connectivity {
	if s.Tech == TechNone || (s.DataOK != nil && !*s.DataOK) {
		return siaga.BlankSpot
	}
	level := th.level(s)
	data := th.data(s)
	switch {
	case level == siaga.SignalUnknown && data == siaga.SignalUnknown:
		return siaga.SignalWeak
	case level == siaga.SignalUnknown:
		return data
	case level == siaga.BlankSpot && data != siaga.SignalUnknown:
		return siaga.SignalWeak
	case level == siaga.SignalGood && data == siaga.SignalWeak:
		return siaga.SignalWeak
	}
	return level
}

// level is the class of the signal level alone, SignalUnknown when the
// survey's technology has no measurement.
func (th Thresholds) level(s *siaga.Survey) siaga.Connectivity {
	var v *float64
	var good, weak float64
	switch s.Tech {
	case "4g", "5g":
		v, good, weak = s.RSRP, th.GoodRSRP, th.WeakRSRP
	case "2g", "3g":
		v, good, weak = s.RSSI, th.GoodRSSI, th.WeakRSSI
	}
	switch {
	case v == nil:
		return siaga.SignalUnknown
	case *v >= good:
		return siaga.SignalGood
	case *v > weak:
		return siaga.SignalWeak
	}
	return siaga.BlankSpot
}

// data is the class of a passing data test: good, weak when slow,
// SignalUnknown when none was run.
func (th Thresholds) data(s *siaga.Survey) siaga.Connectivity {
	if s.DataOK == nil || !*s.DataOK {
		return siaga.SignalUnknown
	}
	slow := func(kbps *float64) bool { return kbps != nil && *kbps < th.MinKbps }
	if slow(s.DownKbps) || slow(s.UpKbps) || (s.RTTms != nil && *s.RTTms >= th.MaxRTTms) {
		return siaga.SignalWeak
	}
	return siaga.SignalGood
}

// rank orders classes from worst to best; a TPS takes its best
// operator's class.
func rank(c siaga.Connectivity) int {
	switch c {
	case siaga.BlankSpot:
		return 1
	case siaga.SignalWeak:
		return 2
	case siaga.SignalGood:
		return 3
	}
	return 0
}
