package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/registry"
)

// The shipments of Banten 2024 from H-10 to H-1 (docs/logistics.md,
// "Pengiriman"). Kecamatan Cilegon (Kota Cilegon) plays every leg through
// the service (148 legs: each a durable write with its audit entry), with
// its events and BTTBs, one short delivery and its follow-up, and a few
// TPS legs still on the road on H-1; Pulau Tunda and Pulau Panjang cross
// by sea as in 2024 (../shared/data/readiness/README.md, "Logistics":
// Antara Banten, banteninside.co.id), Pulau Panjang with a weather hold.
// The other kab/kota are stored in bulk, delivered with their BTTBs: 33,000
// legs through the service one by one would take minutes, in bulk they
// take seconds. Quantities are the bill of materials of each TPS's DPT
// (synthetic DPT, real TPS).
const (
	fullKab     = "3672"       // Kota Cilegon
	fullKec     = "367202"     // Kec. Cilegon (5 desa, 142 TPS): its legs one by one
	tundaPPK    = "360413"     // Kec. Tirtayasa
	tundaDesa   = "3604132009" // Desa Wargasara, on Pulau Tunda
	panjangPPK  = "360408"     // Kec. Pulo Ampel
	panjangDesa = "3604082009" // Desa Pulo Panjang, on Pulau Panjang
)

// polres is the police escort of each kab/kota's legs.
var polres = map[string]string{
	"3601": "Polres Pandeglang", "3602": "Polres Lebak", "3603": "Polresta Tangerang", "3604": "Polres Serang",
	"3671": "Polres Metro Tangerang Kota", "3672": "Polres Cilegon", "3673": "Polresta Serang Kota", "3674": "Polres Tangerang Selatan",
}

// hday is a time on H-d (d days before voting day, 14 Feb 2024) in WIB.
func hday(d, hour, minute int) time.Time {
	return time.Date(2024, 2, 14-d, hour, minute, 0, 0, wib)
}

// shipPlay plays the shipments on a clock of its own: the demo's events
// happen in February 2024, whatever the day the demo runs.
type shipPlay struct {
	n   *node.Node
	svc *logistics.Shipments
	at  time.Time
	rng *rand.Rand
	bom *logistics.BOM
}

func (p *shipPlay) now() time.Time { return p.at }

// logisticsShipments plays the shipments once, on a fresh demo folder.
func logisticsShipments(ctx context.Context, n *node.Node) error {
	if n.Shipments == nil {
		return nil
	}
	if _, total, err := n.Shipments.List(ctx, siaga.ShipmentFilter{Limit: 1}); err != nil || total > 0 {
		return err // a kept demo folder has its shipments already
	}
	islands, err := registry.Islands()
	if err != nil {
		return err
	}
	p := &shipPlay{n: n, at: hday(10, 8, 0), rng: rand.New(rand.NewPCG(13, 2024)), bom: logistics.DefaultBOM()}
	p.svc = logistics.NewShipments(logistics.ShipmentsConfig{Store: n.Store, Registry: n.Registry, Regions: n.Regions,
		Election: n.Election, Ballot: n.Ballot, Islands: islands, Now: p.now})
	if err := p.bulk(ctx); err != nil {
		return fmt.Errorf("demo shipments in bulk: %w", err)
	}
	if err := p.cilegon(ctx); err != nil {
		return fmt.Errorf("demo shipments of Kecamatan Cilegon: %w", err)
	}
	if err := p.islands(ctx); err != nil {
		return fmt.Errorf("demo shipments to the islands: %w", err)
	}
	return nil
}

// needs sums the bill of materials of tps per (item, dapil), in the
// order the bill lists them.
func (p *shipPlay) needs(tps []siaga.TPS) []siaga.Line {
	var out []siaga.Line
	at := map[string]int{}
	for _, t := range tps {
		for _, l := range p.bom.TPS(t, p.n.Ballot) {
			k := string(l.Item) + "|" + l.Dapil
			if i, ok := at[k]; ok {
				out[i].Qty += l.Qty
				continue
			}
			at[k] = len(out)
			out = append(out, l)
		}
	}
	return out
}

// leg is one planned leg: from, to, its waybill and kit.
func (p *shipPlay) leg(from, to string, mode siaga.TransportMode, dep time.Time) siaga.Shipment {
	tps := p.n.Regions.TPSOf(to)
	if siaga.IsTPSCode(to) {
		t, _ := p.n.Regions.TPS(to)
		tps = []siaga.TPS{t}
	}
	return siaga.Shipment{Waybill: fmt.Sprintf("SJ/%s/%s/II/2024", from, to), From: from, To: to, Lines: p.needs(tps), Mode: mode,
		Escort: polres[to[:4]], PlannedDeparture: dep, PlannedArrival: dep.Add(logistics.LegDuration(siaga.Shipment{Mode: mode})),
		Source: "demo", CreatedBy: demoBy}
}

// bulk stores every leg outside Kecamatan Cilegon and the two islands' desa,
// delivered whole with its BTTB, in one transaction.
func (p *shipPlay) bulk(ctx context.Context) error {
	var (
		ss []siaga.Shipment
		ds []siaga.Delivery
	)
	add := func(sh siaga.Shipment, late time.Duration) {
		sh.ID = fmt.Sprintf("demo-%s-%s", sh.From, sh.To)
		dep := sh.PlannedDeparture.Add(time.Duration(p.rng.IntN(45)) * time.Minute)
		arr := dep.Add(sh.PlannedArrival.Sub(sh.PlannedDeparture)).Add(late)
		sh.Departed, sh.Arrived, sh.Status, sh.LastEvent, sh.CreatedAt = &dep, &arr, siaga.ShipmentDelivered, arr, hday(10, 8, 0)
		d := siaga.Delivery{ID: "bttb-" + sh.ID, Shipment: sh.ID, Receiver: "Penerima " + sh.To, ReceivedAt: arr,
			Source: "demo", By: demoBy, RecordedAt: arr}
		for _, l := range sh.Lines {
			d.Lines = append(d.Lines, siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Sent: l.Qty, Counted: l.Qty})
		}
		ss, ds = append(ss, sh), append(ds, d)
	}
	jitter := func() time.Duration { return time.Duration(p.rng.IntN(90)-30) * time.Minute }
	for i, kab := range p.n.Regions.Children("36") {
		for _, kec := range p.n.Regions.Children(kab.Code) {
			if kec.Code == fullKec {
				continue
			}
			// The warehouses ship to their PPK from H-10 to H-7, one
			// kab/kota after another.
			add(p.leg(kab.Code, kec.Code, siaga.ModeTruck, hday(10-i%4, 7, 0)), jitter())
			for _, desa := range p.n.Regions.Children(kec.Code) {
				if desa.Code == tundaDesa || desa.Code == panjangDesa {
					continue
				}
				add(p.leg(kec.Code, desa.Code, siaga.ModeTruck, hday(3-i%2, 7, 0)), jitter())
				for _, t := range p.n.Regions.TPSOf(desa.Code) {
					add(p.leg(desa.Code, t.Code, siaga.ModeMotorbike, hday(1, 6, 0)), jitter())
				}
			}
		}
	}
	audit := siaga.AuditEvent{At: hday(1, 18, 0), Actor: demoBy, Action: siaga.AuditShipmentSave, Subject: fmt.Sprint(len(ss)),
		Detail: siaga.AuditDetail(map[string]any{"demo": true, "shipments": len(ss), "deliveries": len(ds)})}
	return p.n.Store.ImportShipments(ctx, ss, ds, nil, audit)
}

// move records the life of a leg through the service: created on H-10,
// departed, arrived at its planned arrival give or take, and received
// whole; counted overrides the count of the first lines (a short BTTB).
func (p *shipPlay) move(ctx context.Context, sh siaga.Shipment, counted map[siaga.Item]int) (siaga.Shipment, []siaga.Shipment, error) {
	p.at = hday(10, 8, 0)
	sh, err := p.svc.Create(ctx, sh, demoBy)
	if err != nil {
		return sh, nil, err
	}
	return p.deliver(ctx, sh, counted, 0)
}

// deliver departs, arrives and receives a created leg, late by late.
func (p *shipPlay) deliver(ctx context.Context, sh siaga.Shipment, counted map[siaga.Item]int, late time.Duration) (siaga.Shipment, []siaga.Shipment, error) {
	dep := sh.PlannedDeparture.Add(time.Duration(p.rng.IntN(30)) * time.Minute)
	if err := p.event(ctx, sh, siaga.EventDeparted, dep, "Berangkat dari "+sh.From); err != nil {
		return sh, nil, err
	}
	arr := dep.Add(sh.PlannedArrival.Sub(sh.PlannedDeparture)).Add(late)
	if err := p.event(ctx, sh, siaga.EventArrived, arr, "Tiba di "+sh.To); err != nil {
		return sh, nil, err
	}
	p.at = arr.Add(30 * time.Minute)
	d := siaga.Delivery{ID: "bttb-" + sh.ID, Shipment: sh.ID, Receiver: "Penerima " + sh.To, ReceivedAt: p.at, Source: "demo", By: demoBy}
	for _, l := range sh.Lines {
		n := l.Qty
		if c, ok := counted[l.Item]; ok {
			n = c
		}
		d.Lines = append(d.Lines, siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Counted: n})
	}
	return p.svc.Deliver(ctx, d)
}

func (p *shipPlay) event(ctx context.Context, sh siaga.Shipment, kind siaga.ShipmentEventKind, at time.Time, place string) error {
	p.at = at
	_, err := p.svc.Record(ctx, siaga.ShipmentEvent{ID: fmt.Sprintf("%s-%s", sh.ID, kind), Shipment: sh.ID, Kind: kind, At: at,
		Place: place, Source: "demo", By: demoBy})
	return err
}

// cilegon plays Kecamatan Cilegon's legs one by one: the warehouse of Kota
// Cilegon to its PPK on H-8, the PPK to its 5 PPS on H-3 (one delivered short: 40 DPRD
// Kota ballots missing and a box damaged, made good by a follow-up on
// H-1), the PPS to their TPS on H-1, of which six are still on the road
// and three have not left at noon.
func (p *shipPlay) cilegon(ctx context.Context) error {
	var tpsLegs []siaga.Shipment
	shortDone := false
	kec, ok := p.n.Regions.Region(fullKec)
	if !ok {
		return fmt.Errorf("no kecamatan %s in the registry", fullKec)
	}
	if _, _, err := p.move(ctx, p.leg(fullKab, kec.Code, siaga.ModeTruck, hday(8, 7, 0)), nil); err != nil {
		return err
	}
	for _, desa := range p.n.Regions.Children(kec.Code) {
		leg := p.leg(kec.Code, desa.Code, siaga.ModeTruck, hday(3, 8, 0))
		var counted map[siaga.Item]int
		if !shortDone {
			counted = shortCount(leg)
			shortDone = true
		}
		_, follow, err := p.move(ctx, leg, counted)
		if err != nil {
			return err
		}
		for _, f := range follow {
			// The PPK sends the missing ballots and a box on H-1.
			f.PlannedDeparture, f.PlannedArrival = hday(1, 7, 0), hday(1, 9, 0)
			if err := p.n.Store.SaveShipments(ctx, []siaga.Shipment{f}); err != nil {
				return err
			}
			if _, _, err := p.deliver(ctx, f, nil, 20*time.Minute); err != nil {
				return err
			}
		}
		for _, t := range p.n.Regions.TPSOf(desa.Code) {
			tpsLegs = append(tpsLegs, p.leg(desa.Code, t.Code, siaga.ModeMotorbike, hday(1, 7, 0)))
		}
	}
	// The H-1 legs: six still on the road at noon, three not left.
	order := p.rng.Perm(len(tpsLegs))
	onRoad, notLeft := map[int]bool{}, map[int]bool{}
	for _, i := range order[:6] {
		onRoad[i] = true
	}
	for _, i := range order[6:9] {
		notLeft[i] = true
	}
	for i, leg := range tpsLegs {
		p.at = hday(10, 8, 0)
		sh, err := p.svc.Create(ctx, leg, demoBy)
		if err != nil {
			return err
		}
		switch {
		case notLeft[i]:
		case onRoad[i]:
			err = p.event(ctx, sh, siaga.EventDeparted, hday(1, 7, p.rng.IntN(40)), "Berangkat dari PPS")
		default:
			_, _, err = p.deliver(ctx, sh, nil, time.Duration(p.rng.IntN(60))*time.Minute)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// shortCount is a BTTB of leg that lacks 40 DPRD Kab/Kota ballots and
// counts one ballot box damaged.
func shortCount(leg siaga.Shipment) map[siaga.Item]int {
	out := map[siaga.Item]int{}
	for _, l := range leg.Lines {
		switch l.Item {
		case siaga.ItemBallotDPRDKab:
			out[l.Item] = l.Qty - 40
		case siaga.ItemBox:
			out[l.Item] = l.Qty - 1
		}
	}
	return out
}

// islands ships Pulau Tunda's and Pulau Panjang's kits by sea as in 2024:
// Tunda on 11 Feb from Pelabuhan Karangantu on KM Tunda Ekspress (about
// 2 hours; the PPK's kit went to the port by a Pos Indonesia minibus),
// Panjang on 12 Feb from Pelabuhan Grenyang on KM Banowati 4, held in
// port by the waves until the afternoon. Each island's PPS then takes the
// kit to its TPS on H-1.
func (p *shipPlay) islands(ctx context.Context) error {
	tunda := p.leg(tundaPPK, tundaDesa, siaga.ModeBoat, hday(3, 7, 0))
	tunda.Sea = &siaga.SeaRoute{Port: "Pelabuhan Karangantu", Vessel: "KM Tunda Ekspress", CrossingM: 120,
		EscortBoat: "Kapal Ditpolairud Polda Banten"}
	tunda.Escort = "TNI (Koramil Tirtayasa), Polri (Polsek Tirtayasa), Ditpolairud Polda Banten"
	tunda.PlannedArrival = tunda.PlannedDeparture.Add(logistics.LegDuration(tunda))
	p.at = hday(10, 8, 0)
	sh, err := p.svc.Create(ctx, tunda, demoBy)
	if err != nil {
		return err
	}
	if err := p.event(ctx, sh, siaga.EventDeparted, hday(3, 7, 10), "Gudang PPK Tirtayasa, minibus Pos Indonesia"); err != nil {
		return err
	}
	if err := p.event(ctx, sh, siaga.EventPosition, hday(3, 8, 5), "Pelabuhan Karangantu, naik KM Tunda Ekspress"); err != nil {
		return err
	}
	if err := p.event(ctx, sh, siaga.EventArrived, hday(3, 10, 15), "Dermaga Pulau Tunda"); err != nil {
		return err
	}
	if err := p.receiveWhole(ctx, sh, hday(3, 10, 45), "Ketua PPS Wargasara"); err != nil {
		return err
	}

	panjang := p.leg(panjangPPK, panjangDesa, siaga.ModeBoat, hday(2, 7, 0))
	panjang.Sea = &siaga.SeaRoute{Port: "Pelabuhan Grenyang", Vessel: "KM Banowati 4", CrossingM: 60,
		EscortBoat: "Kapal Ditpolairud Polda Banten, KP Sanjaya (Diskominfo Banten)"}
	panjang.Escort = "Ditpolairud Polda Banten"
	panjang.PlannedArrival = panjang.PlannedDeparture.Add(logistics.LegDuration(panjang))
	p.at = hday(10, 8, 0)
	if sh, err = p.svc.Create(ctx, panjang, demoBy); err != nil {
		return err
	}
	p.at = hday(2, 6, 30)
	newDep, newArr := hday(2, 13, 0), hday(2, 15, 0)
	if _, err := p.svc.Record(ctx, siaga.ShipmentEvent{ID: sh.ID + "-tertahan", Shipment: sh.ID, Kind: siaga.EventHeld, At: p.at,
		Place: "Pelabuhan Grenyang", Reason: "gelombang tinggi ±2,5 m di Teluk Banten (peringatan BMKG); kapal belum diizinkan berlayar",
		NewDeparture: &newDep, NewArrival: &newArr, Source: "demo", By: demoBy}); err != nil {
		return err
	}
	if err := p.event(ctx, sh, siaga.EventResumed, hday(2, 13, 5), "Pelabuhan Grenyang, gelombang reda"); err != nil {
		return err
	}
	if err := p.event(ctx, sh, siaga.EventArrived, hday(2, 14, 20), "Dermaga Pulau Panjang"); err != nil {
		return err
	}
	if err := p.receiveWhole(ctx, sh, hday(2, 14, 50), "Ketua PPS Pulo Panjang"); err != nil {
		return err
	}
	for _, desa := range []string{tundaDesa, panjangDesa} {
		for _, t := range p.n.Regions.TPSOf(desa) {
			p.at = hday(10, 8, 0)
			sh, err := p.svc.Create(ctx, p.leg(desa, t.Code, siaga.ModeOnFoot, hday(1, 7, 0)), demoBy)
			if err != nil {
				return err
			}
			if _, _, err := p.deliver(ctx, sh, nil, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *shipPlay) receiveWhole(ctx context.Context, sh siaga.Shipment, at time.Time, receiver string) error {
	p.at = at
	d := siaga.Delivery{ID: "bttb-" + sh.ID, Shipment: sh.ID, Receiver: receiver, ReceivedAt: at, Source: "demo", By: demoBy}
	for _, l := range sh.Lines {
		d.Lines = append(d.Lines, siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Counted: l.Qty})
	}
	_, _, err := p.svc.Deliver(ctx, d)
	return err
}
