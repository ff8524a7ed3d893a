package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// The custody of the sealed boxes after voting, as the demo plays it
// (docs/logistics.md, "Serah terima kotak suara"): every TPS of Kecamatan
// Ciruas (Kab. Serang) hands its five sealed boxes to its PPS on the
// evening of 14 February 2024 and the PPS brings them to the PPK on the
// morning of the 15th; one desa's TPS go straight to the PPK; at one TPS
// the PPK finds a seal broken (an alert to Bawaslu), a few TPS come late,
// one never comes. Elsewhere a sample of Kota Serang's first kecamatan
// reaches its PPS only. Names are offices, not people; seal numbers are
// synthetic; everything is seeded, so a kept demo folder replays the same
// handovers (stored once).
const (
	custodyKecamatan = "360409" // Ciruas
	custodySample    = "3673"   // Kota Serang: a sample elsewhere
	custodySeed      = 2024_02_15
)

// logisticsCustody records the handovers on n. The official opens
// /logistik/360409/kotak.
func logisticsCustody(ctx context.Context, n *node.Node) error {
	if n.Custody == nil {
		return nil
	}
	rng := rand.New(rand.NewPCG(custodySeed, 6))
	tps := n.Regions.TPSOf(custodyKecamatan)
	if len(tps) == 0 {
		return fmt.Errorf("demo custody: no TPS in %s", custodyKecamatan)
	}
	day := time.Date(2024, 2, 14, 0, 0, 0, 0, wib)
	// Which TPS go wrong: by index, seeded, among the kecamatan's. One
	// desa's PPS does not collect: its TPS go straight to the PPK.
	direct := tps[rng.IntN(len(tps))].Desa
	broken := rng.IntN(len(tps))
	for tps[broken].Desa == direct {
		broken = (broken + 1) % len(tps)
	}
	late := map[int]bool{}
	missing := len(tps) // the first of the late never reaches the PPK
	for len(late) < 4 {
		if i := rng.IntN(len(tps)); i != broken && tps[i].Desa != direct && !late[i] {
			late[i] = true
			missing = min(missing, i)
		}
	}
	for i, t := range tps {
		seals := make([]string, 5)
		for k := range seals {
			seals[k] = fmt.Sprintf("KPU-3604-%06d", 100000+i*5+k)
		}
		counted := day.Add(20*time.Hour + time.Duration(rng.IntN(300))*time.Minute) // 20:00–01:00: the count ends
		first := custodyHandover(t, 1, t.Code, t.Desa, counted, seals)
		first.GivenBy, first.ReceivedBy = "Ketua KPPS TPS "+custodyTPSNo(t), "Ketua PPS "+custodyPlaceName(n, t.Desa)
		if t.Desa == direct {
			first.To, first.ReceivedBy = custodyKecamatan, "Sekretariat PPK Ciruas"
		}
		if late[i] {
			first.At = day.Add(30*time.Hour + time.Duration(rng.IntN(120))*time.Minute) // 06:00–08:00: past the PPS deadline
		}
		if err := custodyRecord(ctx, n, first); err != nil {
			return err
		}
		if t.Desa == direct || i == missing {
			continue
		}
		second := custodyHandover(t, 2, t.Desa, custodyKecamatan, first.At.Add(6*time.Hour+time.Duration(rng.IntN(240))*time.Minute), seals)
		second.GivenBy, second.ReceivedBy = first.ReceivedBy, "Sekretariat PPK Ciruas"
		if second.At.Before(day.Add(30 * time.Hour)) {
			second.At = day.Add(30*time.Hour + time.Duration(rng.IntN(300))*time.Minute) // the PPK opens at 06:00
		}
		if i == broken {
			second.BrokenSeals = []string{seals[2]}
			second.Note = "Segel kotak suara DPRD Kabupaten sobek saat diterima; Panwascam Ciruas dihubungi."
		}
		if err := custodyRecord(ctx, n, second); err != nil {
			return err
		}
	}
	// The sample elsewhere: the first TPS of Kota Serang reach their PPS.
	for i, t := range n.Regions.TPSOf(custodySample) {
		if i == 12 {
			break
		}
		seals := make([]string, 5)
		for k := range seals {
			seals[k] = fmt.Sprintf("KPU-3673-%06d", 200000+i*5+k)
		}
		h := custodyHandover(t, 1, t.Code, t.Desa, day.Add(21*time.Hour+time.Duration(rng.IntN(240))*time.Minute), seals)
		h.GivenBy, h.ReceivedBy = "Ketua KPPS TPS "+custodyTPSNo(t), "Ketua PPS "+custodyPlaceName(n, t.Desa)
		if err := custodyRecord(ctx, n, h); err != nil {
			return err
		}
	}
	// The late check, as a schedule would run it at noon on the 15th.
	_, err := n.Custody.RaiseLate(ctx, custodyKecamatan, day.Add(36*time.Hour))
	return err
}

// handover is leg k of t's chain, five boxes and five envelopes.
func custodyHandover(t siaga.TPS, k int, from, to string, at time.Time, seals []string) siaga.Handover {
	return siaga.Handover{ID: fmt.Sprintf("demo-%s-%d", t.Code, k), TPS: t.Code, From: from, To: to, Boxes: len(seals),
		Envelopes: len(seals), Seals: seals, At: at, Source: "demo", By: demoBy}
}

// record stores h; a kept demo folder has it already, the same.
func custodyRecord(ctx context.Context, n *node.Node, h siaga.Handover) error {
	if _, _, err := n.Custody.Handover(ctx, h); err != nil {
		return fmt.Errorf("demo custody %s: %w", h.ID, err)
	}
	return nil
}

func custodyTPSNo(t siaga.TPS) string { return fmt.Sprintf("%03d", t.Number) }

func custodyPlaceName(n *node.Node, code string) string {
	if r, ok := n.Regions.Region(code); ok {
		return r.Name
	}
	return code
}
