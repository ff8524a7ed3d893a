// Package readiness composes the readiness modules into one level per TPS
// (ditunda, rawan, waspada, siap) with its reasons in words, counts them
// per region and serves the readiness map's layers (docs/readiness-map.md).
//
// It reads the modules through small interfaces it owns: Signal
// (connectivity.Service), Hazards (disaster.Service) and Postponed
// (postponement.Set). Each is optional: nil means the layer is absent, and
// the map says so.
package readiness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/connectivity"
)

// Layers of the map, as reasons name them.
const (
	LayerSignal       = "sinyal"
	LayerHazard       = "bahaya"
	LayerIntervention = "intervensi"
	LayerRelocation   = "relokasi"
	LayerPostponement = "penundaan"
)

// Inputs are what the modules know of one TPS.
type Inputs struct {
	// SignalKnown is false when the connectivity module is absent.
	SignalKnown bool
	Surveyed    siaga.Connectivity // from surveys alone; "" nobody surveyed it
	Residual    bool               // blank with a faint signal a booster can amplify
	Effective   siaga.Connectivity // after the tested interventions (or connectivity.ClassTitik)
	// Planned counts the interventions that would help it but do not work
	// yet (planned or installed, not tested).
	Planned int
	// Helped counts the tested interventions lifting or marking it.
	Helped int
	// HazardKnown is false when the disaster module is absent or has no
	// hazard layer: then nothing is known either way.
	HazardKnown bool
	Located     bool   // it has a point, so its zones could be checked
	Hazard      string // the highest class of the zones it lies in; "" none
	HazardTypes []string
	Relocated   bool
	Postponed   *siaga.Postponement // its active postponement, nil for none
}

// Assess gives the level of a TPS and the reasons, worst first. The level
// is the worst any reason calls for:
//
//   - postponed (from the report on, as the e-rekap counts it): ditunda;
//   - effectively blank (no signal, nothing working for it: a planned
//     booster does not send a count) or in a hazard zone of class tinggi:
//     rawan;
//   - weak, only a walk to a point with signal, not surveyed (or no signal
//     data at all: a TPS nobody measured must not look ready), in a zone of
//     class sedang, or without a point while hazard zones exist: waspada;
//   - otherwise siap. A zone of class rendah, a relocation, a planned or a
//     working intervention are said, and do not lower the level.
func Assess(in Inputs) (siaga.ReadinessLevel, []siaga.ReadinessReason) {
	var rs []siaga.ReadinessReason
	add := func(code, layer string, l siaga.ReadinessLevel, id, en string) {
		rs = append(rs, siaga.ReadinessReason{Code: code, Layer: layer, Level: l, Text: id, EN: en})
	}
	if p := in.Postponed; p != nil {
		id := fmt.Sprintf("Pemungutan suara ditunda (%s, %s)", p.Kind.Name(), p.Status)
		en := fmt.Sprintf("voting postponed (%s, %s)", p.Kind, p.Status)
		if p.NewDate != "" {
			id += ", tanggal baru " + p.NewDate
			en += ", new date " + p.NewDate
		}
		add("postponed", LayerPostponement, siaga.ReadinessPostponed, id, en)
	}
	switch {
	case !in.SignalKnown:
		add("no_signal_data", LayerSignal, siaga.ReadinessWatch, "Data sinyal tidak tersedia", "no signal data on this server")
	case in.Effective == siaga.BlankSpot:
		add("blank", LayerSignal, siaga.ReadinessAtRisk, "Blank spot: tidak ada sinyal dan belum ada intervensi yang bekerja",
			"blank spot: no signal and nothing working for it")
	case in.Effective == connectivity.ClassTitik:
		add("walk_point", LayerSignal, siaga.ReadinessWatch, "Tanpa sinyal di TPS; hasil dikirim dari titik sinyal terdekat",
			"no signal at the TPS; the count leaves from a mapped point nearby")
	case in.Effective == siaga.SignalWeak:
		add("weak", LayerSignal, siaga.ReadinessWatch, "Sinyal lemah", "weak signal")
	case in.Effective == siaga.SignalUnknown:
		add("unsurveyed", LayerSignal, siaga.ReadinessWatch, "Sinyal belum disurvei", "signal not surveyed yet")
	}
	if in.SignalKnown && in.Planned > 0 && in.Effective != siaga.SignalGood {
		add("planned", LayerIntervention, siaga.ReadinessWatch,
			fmt.Sprintf("%d intervensi direncanakan, belum bekerja", in.Planned),
			fmt.Sprintf("%d intervention(s) planned, not working yet", in.Planned))
	}
	if in.SignalKnown && in.Helped > 0 && in.Surveyed != in.Effective {
		add("helped", LayerIntervention, siaga.ReadinessReady, "Intervensi teruji membantu sinyalnya",
			"a tested intervention brings it signal")
	}
	if in.HazardKnown {
		types := "(" + strings.Join(in.HazardTypes, ", ") + ")"
		switch {
		case !in.Located:
			add("unlocated", LayerHazard, siaga.ReadinessWatch, "Lokasi TPS tidak diketahui: zona bahaya tidak dapat diperiksa",
				"the TPS has no known point: its hazard zones cannot be checked")
		case in.Hazard == siaga.HazardHigh:
			add("hazard_high", LayerHazard, siaga.ReadinessAtRisk, "Di zona bahaya kelas tinggi "+types,
				"in a hazard zone of class high "+types)
		case in.Hazard == siaga.HazardMedium:
			add("hazard_medium", LayerHazard, siaga.ReadinessWatch, "Di zona bahaya kelas sedang "+types,
				"in a hazard zone of class medium "+types)
		case in.Hazard == siaga.HazardLow:
			add("hazard_low", LayerHazard, siaga.ReadinessReady, "Di zona bahaya kelas rendah "+types,
				"in a hazard zone of class low "+types)
		}
	}
	if in.Relocated {
		add("relocated", LayerRelocation, siaga.ReadinessReady, "Dipindahkan dengan keputusan KPU", "moved by a KPU decision")
	}
	level := siaga.ReadinessReady
	for _, r := range rs {
		level = level.Worse(r.Level)
	}
	slices.SortStableFunc(rs, func(a, b siaga.ReadinessReason) int { return b.Level.Rank() - a.Level.Rank() })
	return level, rs
}
