package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/registry"
	"github.com/deskpemilu/siaga/sqlite"
)

// logisticsReport is what `siaga bench logistics` prints: SPEC §10's
// needs_s and board_ms, then their references and the workload.
type logisticsReport struct {
	Benchmark string `json:"benchmark"`
	// NeedsS is the median time to compute what every TPS of the province
	// needs and its totals (logistics.NeedsOf of the province: what
	// `siaga logistics needs` and the needs page ask); NeedsVia says so.
	// NeedsPerTPSS is (*BOM).TPS alone over every TPS, the ballot lines
	// with their dapil from the election index, without the sums.
	NeedsS       float64 `json:"needs_s"`
	NeedsVia     string  `json:"needs_via"`
	NeedsPerTPSS float64 `json:"needs_per_tps_s"`
	NeedsTPS     int     `json:"needs_tps"`
	NeedLines    int     `json:"need_lines"`
	// BoardMS is the median time of the province's board (every TPS's kit,
	// the kab/kota rows, the four lists paged at 50) over the board's
	// in-memory copy; BoardReferenceMS the same board with the copy reread
	// from the store each time (a plain re-scan of every shipment, event
	// and delivery per request), in the same run; BoardRatio the second
	// over the first. SameBoard says both gave the same numbers.
	BoardMS          float64 `json:"board_ms"`
	BoardReferenceMS float64 `json:"board_reference_ms"`
	BoardRatio       float64 `json:"board_ratio"`
	SameBoard        bool    `json:"same_board"`
	// BoardKabMS is a kab/kota's board, BoardTPSMS one TPS's kit status
	// (what the readiness API asks).
	BoardKabMS float64 `json:"board_kab_ms"`
	BoardTPSMS float64 `json:"board_tps_kit_ms"`
	// The workload: seeded warehouse → PPK → PPS → TPS legs, Events status
	// events among them (departures, positions, holds, arrivals),
	// Deliveries (BTTB), Short of them short.
	Shipments  int     `json:"shipments"`
	Events     int     `json:"events"`
	Deliveries int     `json:"deliveries"`
	Short      int     `json:"short_deliveries"`
	FillS      float64 `json:"store_fill_s"`
	At         string  `json:"at"` // the board's moment
	// What the province board said, to see the workload is not trivial.
	TPS      int                         `json:"tps"`
	Complete int                         `json:"complete"`
	Counts   map[logistics.KitStatus]int `json:"counts"`
	Lists    map[logistics.BoardList]int `json:"lists"`
	Runs     int                         `json:"runs"`
	machine
}

const logisticsRuns = 9

// logisticsAt is the board's moment: the morning of H-1, when most kits
// are in and some are not.
var logisticsAt = time.Date(2024, 2, 13, 9, 0, 0, 0, siaga.WIB)

// runLogistics times the needs of every TPS and the province board over
// -n synthetic shipment events stored in SQLite.
func runLogistics(ctx context.Context, o options) (any, error) {
	reg, err := registry.Load(o.province, o.seed)
	if err != nil {
		return nil, err
	}
	el := election.Banten2024(reg, o.seed)
	idx := election.NewIndex(el)
	bom := logistics.DefaultBOM()
	rep := logisticsReport{Benchmark: "logistics", NeedsVia: "needs_of_province", NeedsTPS: len(reg.TPS), Runs: logisticsRuns,
		At: logisticsAt.Format(time.RFC3339), machine: machineInfo(o)}
	rep.machine.Server = "in-process"

	var needs, perTPS []float64
	for range logisticsRuns {
		start := time.Now()
		n := 0
		for _, t := range reg.TPS {
			n += len(bom.TPS(t, idx))
		}
		perTPS = append(perTPS, time.Since(start).Seconds())
		rep.NeedLines = n
		start = time.Now()
		total, err := logistics.NeedsOf(reg, idx, bom, reg.Regions[0].Code)
		if err != nil {
			return nil, err
		}
		needs = append(needs, time.Since(start).Seconds())
		if total.TPS != len(reg.TPS) {
			return nil, fmt.Errorf("bench logistics: the province's needs count %d TPS, want %d", total.TPS, len(reg.TPS))
		}
	}
	rep.NeedsS, rep.NeedsPerTPSS = seconds(median(needs)), seconds(median(perTPS))

	db, err := sqlite.Open(ctx, filepath.Join(o.data, "logistics.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	start := time.Now()
	if err := fillLogistics(ctx, db, reg, idx, bom, o, &rep); err != nil {
		return nil, err
	}
	rep.FillS = math.Round(time.Since(start).Seconds()*10) / 10

	index := registry.NewIndex(reg)
	board := logistics.NewBoard(logistics.BoardConfig{Store: db, TPS: reg.TPS, Regions: index, Ballot: idx, BOM: bom,
		VotingDay: el.Date, Now: func() time.Time { return logisticsAt }, MaxAge: time.Hour})
	board.Needs() // once per node, as the node would have at its first question
	province := reg.Regions[0].Code
	q := logistics.BoardQuery{Limit: 50}
	var fast, ref, kab, one []float64
	var first, again *logistics.BoardView
	for range logisticsRuns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		board.Changed() // the reference: reread the store for this request
		start := time.Now()
		if again, err = board.Of(ctx, province, q); err != nil {
			return nil, err
		}
		ref = append(ref, time.Since(start).Seconds())
		start = time.Now()
		if first, err = board.Of(ctx, province, q); err != nil {
			return nil, err
		}
		fast = append(fast, time.Since(start).Seconds())
		start = time.Now()
		if _, err := board.Of(ctx, index.Children(province)[0].Code, q); err != nil {
			return nil, err
		}
		kab = append(kab, time.Since(start).Seconds())
		start = time.Now()
		if _, err := board.KitStatus(ctx, reg.TPS[len(reg.TPS)/2].Code, logisticsAt); err != nil {
			return nil, err
		}
		one = append(one, time.Since(start).Seconds())
	}
	ms := func(xs []float64) float64 { return math.Round(median(xs)*1e6) / 1e3 }
	rep.BoardMS, rep.BoardReferenceMS, rep.BoardKabMS, rep.BoardTPSMS = ms(fast), ms(ref), ms(kab), ms(one)
	if rep.BoardMS > 0 {
		rep.BoardRatio = math.Round(rep.BoardReferenceMS/rep.BoardMS*10) / 10
	}
	rep.SameBoard = first.Total == again.Total && slices.Equal(first.Children, again.Children)
	rep.TPS, rep.Complete = first.Total.TPS, first.Total.Complete
	rep.Counts, rep.Lists = map[logistics.KitStatus]int{}, map[logistics.BoardList]int{}
	for i, k := range logistics.KitStatuses {
		rep.Counts[k] = first.Total.Counts[i]
	}
	for name, p := range first.Lists {
		rep.Lists[name] = p.Total
	}
	return rep, nil
}

// fillLogistics stores the synthetic logistics of the province: a leg to
// every kecamatan (PPK), desa (PPS) and TPS, each planned to arrive by
// its day (PPK legs 7 February, PPS legs 10 February, TPS legs H-3 to
// H-1), and
// o.n status events (0: 50,000) spread over them at random, seeded:
// most legs left and arrived with a BTTB (one in 30 short), some are on
// their way, some late, some held for the weather, the rest still
// planned.
func fillLogistics(ctx context.Context, db *sqlite.DB, reg *siaga.Registry, idx *election.Index, bom *logistics.BOM, o options, rep *logisticsReport) error {
	rng := rand.New(rand.NewPCG(uint64(o.seed), 13))
	target := o.n
	if target == 0 {
		target = 50000
	}
	day := func(d, hour int) time.Time { return time.Date(2024, 2, d, hour, 0, 0, 0, siaga.WIB) }
	var ships []siaga.Shipment
	add := func(from, to string, lines []siaga.Line, arrive int) {
		dep := day(arrive, 7)
		ships = append(ships, siaga.Shipment{ID: fmt.Sprintf("b%06d", len(ships)), Waybill: fmt.Sprintf("SJ/%s/%06d", to, len(ships)),
			From: from, To: to, Lines: lines, Mode: siaga.ModeTruck, PlannedDeparture: dep, PlannedArrival: dep.Add(4 * time.Hour),
			Status: siaga.ShipmentPlanned, Source: "bench", CreatedAt: day(3, 8), LastEvent: day(3, 8)})
	}
	for _, r := range reg.Regions {
		switch r.Level {
		case siaga.LevelKecamatan:
			add(r.Parent, r.Code, []siaga.Line{{Item: siaga.ItemBox, Qty: 5 * max(1, r.TPSCount)}}, 7)
		case siaga.LevelDesa:
			add(r.Parent, r.Code, []siaga.Line{{Item: siaga.ItemBox, Qty: 5 * max(1, r.TPSCount)}}, 10)
		}
	}
	for _, t := range reg.TPS {
		add(t.Desa, t.Code, bom.TPS(t, idx), 11+rng.IntN(3)) // TPS legs arrive H-3 to H-1
	}
	if err := db.SaveShipments(ctx, ships); err != nil {
		return err
	}
	rep.Shipments = len(ships)
	events := 0
	record := func(sh *siaga.Shipment, kind siaga.ShipmentEventKind, at time.Time, reason string) error {
		events++
		e := siaga.ShipmentEvent{ID: fmt.Sprintf("%s-%d", sh.ID, events), Shipment: sh.ID, Kind: kind, At: at, Reason: reason,
			Source: "bench", RecordedAt: at}
		sh.LastEvent = at
		return db.AddShipmentEvent(ctx, e, *sh, nil)
	}
	for _, i := range rng.Perm(len(ships)) {
		if events >= target {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		sh := &ships[i]
		dep := sh.PlannedDeparture.Add(time.Duration(rng.IntN(90)) * time.Minute)
		if dep.After(logisticsAt) {
			continue // not due yet at the board's moment
		}
		if err := record(sh, siaga.EventDeparted, dep, ""); err != nil {
			return err
		}
		switch p := rng.IntN(100); {
		case p < 80: // arrived and counted
			arr := dep.Add(time.Duration(60+rng.IntN(240)) * time.Minute)
			if err := record(sh, siaga.EventPosition, dep.Add(arr.Sub(dep)/2), ""); err != nil {
				return err
			}
			if err := record(sh, siaga.EventArrived, arr, ""); err != nil {
				return err
			}
			d := siaga.Delivery{ID: "d-" + sh.ID, Shipment: sh.ID, Receiver: "bench", ReceivedAt: arr.Add(30 * time.Minute), Source: "bench", RecordedAt: arr}
			short := rng.IntN(30) == 0
			for j, l := range sh.Lines {
				dl := siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Sent: l.Qty, Counted: l.Qty}
				if short && j == 0 {
					dl.Damaged = 1 + rng.IntN(5)
					dl.Counted -= dl.Damaged
				}
				d.Lines = append(d.Lines, dl)
			}
			if short {
				rep.Short++
			}
			rep.Deliveries++
			if err := db.AddDelivery(ctx, d, *sh, nil, nil); err != nil {
				return err
			}
		case p < 88: // on its way, maybe late or silent
			if err := record(sh, siaga.EventPosition, dep.Add(time.Hour), ""); err != nil {
				return err
			}
		case p < 93: // held for the weather
			if err := record(sh, siaga.EventHeld, dep.Add(time.Hour), "gelombang tinggi"); err != nil {
				return err
			}
		}
	}
	rep.Events = events
	return nil
}
