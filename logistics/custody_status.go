package logistics

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/deskpemilu/siaga"
)

// CustodyPlace is where a TPS's boxes are along the chain.
type CustodyPlace string

const (
	AtTPS CustodyPlace = "tps" // not handed over yet
	AtPPS CustodyPlace = "pps"
	AtPPK CustodyPlace = "ppk"
)

// CustodyPlaces lists the places in chain order.
var CustodyPlaces = []CustodyPlace{AtTPS, AtPPS, AtPPK}

// Valid reports whether p is one of CustodyPlaces.
func (p CustodyPlace) Valid() bool { return p == AtTPS || p == AtPPS || p == AtPPK }

// TPSCustody is where one TPS's sealed boxes are at a moment. It holds no
// names: who gave and received is on the chain (Chain), for staff.
type TPSCustody struct {
	TPS    string       `json:"tps"`
	Number int          `json:"number"`
	Place  CustodyPlace `json:"place"`
	// Code is the place's code: the TPS, its desa or its kecamatan.
	Code string `json:"code"`
	// Since is when the boxes reached Place; nil while at the TPS.
	Since *time.Time `json:"since,omitempty"`
	// Late: the boxes were not at the PPS, or not at the PPK, by its
	// deadline (Due is the one missed, or the next one).
	Late bool      `json:"late"`
	Due  time.Time `json:"due"`
	// SealProblem: some handover of the chain raised a seal alert (a
	// broken or mismatched seal, a count that differs).
	SealProblem bool `json:"seal_problem"`
	Handovers   int  `json:"handovers"`
	Boxes       int  `json:"boxes"`     // as the last receiver counted them
	Envelopes   int  `json:"envelopes"` //
}

// Status returns, for every TPS under region in code order, where its boxes
// are at time at, since when, whether they are late and whether a seal or
// count went wrong on the way.
func (c *Custody) Status(ctx context.Context, region string, at time.Time) ([]TPSCustody, error) {
	if !siaga.IsRegionCode(region) {
		return nil, siaga.Errorf(siaga.EInvalid, "region", "Kode wilayah %q tidak sah", "invalid region code %q", region)
	}
	all, err := c.cfg.Store.Handovers(ctx, region)
	if err != nil {
		return nil, err
	}
	byTPS := map[string][]siaga.Handover{}
	for _, h := range all {
		if !h.At.After(at) {
			byTPS[h.TPS] = append(byTPS[h.TPS], h)
		}
	}
	tps := c.tpsUnder(region)
	out := make([]TPSCustody, len(tps))
	for i, t := range tps {
		out[i] = c.custodyOf(t, byTPS[t.Code], at)
	}
	return out, nil
}

// custodyOf folds one TPS's chain (in order, none after at).
func (c *Custody) custodyOf(t siaga.TPS, chain []siaga.Handover, at time.Time) TPSCustody {
	s := TPSCustody{TPS: t.Code, Number: t.Number, Place: AtTPS, Code: t.Code, Handovers: len(chain)}
	var prev *siaga.Handover
	var atPPS, atPPK time.Time // when the boxes left the TPS, reached the PPK
	for i := range chain {
		h := &chain[i]
		if _, bad := sealAlert(prev, *h); bad {
			s.SealProblem = true
		}
		if atPPS.IsZero() {
			atPPS = h.At
		}
		s.Code, s.Boxes, s.Envelopes = h.To, h.Boxes, h.Envelopes
		since := h.At
		s.Since = &since
		s.Place = AtPPS
		if h.To == t.Code[:6] {
			s.Place, atPPK = AtPPK, h.At
		}
		prev = h
	}
	d := c.cfg.Deadlines
	lateFor := func(reached, due time.Time) bool {
		if reached.IsZero() {
			return at.After(due)
		}
		return reached.After(due)
	}
	switch {
	case !atPPK.IsZero() && !atPPK.After(d.PPK): // in on time: a slow first leg made up for
		s.Due = d.PPK
	case lateFor(atPPS, d.PPS):
		s.Late, s.Due = true, d.PPS
	case lateFor(atPPK, d.PPK):
		s.Late, s.Due = true, d.PPK
	case atPPS.IsZero():
		s.Due = d.PPS
	default:
		s.Due = d.PPK
	}
	return s
}

// CustodyFilter selects rows of a Status.
type CustodyFilter struct {
	Place CustodyPlace // "" for every place
	Late  bool         // only the late ones
	Seal  bool         // only those with a seal problem
	After string       // cursor: the TPS code of the previous page's last row
	Limit int          // 0 for all
}

// CustodyPage is a page of a Status with the counts the PPK reads first.
type CustodyPage struct {
	Items []TPSCustody `json:"items"`
	Total int          `json:"total"` // rows the filter selects
	Next  string       `json:"next,omitempty"`
	// Of the whole region, whatever the filter: how many TPS, how many of
	// them with their boxes at the PPK, late, with a seal problem.
	TPS          int       `json:"tps"`
	AtPPK        int       `json:"at_ppk"`
	LateCount    int       `json:"late"`
	SealProblems int       `json:"seal_problems"`
	Deadlines    Deadlines `json:"deadlines"`
	At           time.Time `json:"at"`
}

// Page filters and pages the rows of a Status (ordered by TPS code).
func (c *Custody) Page(rows []TPSCustody, f CustodyFilter, at time.Time) CustodyPage {
	p := CustodyPage{Items: []TPSCustody{}, TPS: len(rows), Deadlines: c.cfg.Deadlines, At: at}
	var sel []TPSCustody
	for _, r := range rows {
		if r.Place == AtPPK {
			p.AtPPK++
		}
		if r.Late {
			p.LateCount++
		}
		if r.SealProblem {
			p.SealProblems++
		}
		if (f.Place == "" || r.Place == f.Place) && (!f.Late || r.Late) && (!f.Seal || r.SealProblem) {
			sel = append(sel, r)
		}
	}
	p.Total = len(sel)
	if f.After != "" {
		i := sort.Search(len(sel), func(i int) bool { return sel[i].TPS > f.After })
		sel = sel[i:]
	}
	if f.Limit > 0 && len(sel) > f.Limit {
		sel = sel[:f.Limit]
		p.Next = sel[len(sel)-1].TPS
	}
	if sel != nil {
		p.Items = sel
	}
	return p
}

// LateAlerts are the alerts for the TPS under region whose boxes are not
// at the PPK at time at although a deadline passed: one per TPS, to the
// staff of its kecamatan (the PPK, KPU and Bawaslu above it). It stores
// nothing: the caller (a schedule) stores those it has not raised yet
// (Ref "custody-late:<tps>").
func (c *Custody) LateAlerts(ctx context.Context, region string, at time.Time) ([]siaga.LogisticsAlert, error) {
	rows, err := c.Status(ctx, region, at)
	if err != nil {
		return nil, err
	}
	var out []siaga.LogisticsAlert
	for _, r := range rows {
		if !r.Late || r.Place == AtPPK {
			continue
		}
		where := "masih di TPS"
		whereEN := "still at the TPS"
		if r.Place == AtPPS {
			where, whereEN = "di PPS "+r.Code, "at PPS "+r.Code
		}
		due := r.Due.In(siaga.WIB).Format("2006-01-02 15:04 MST")
		out = append(out, siaga.LogisticsAlert{Kind: siaga.AlertCustodyLate, Region: r.TPS[:6], TPS: r.TPS,
			Ref: "custody-late:" + r.TPS, At: at,
			Text: fmt.Sprintf("Kotak suara TPS %s belum sampai di PPK %s (batas %s): %s.", r.TPS, r.TPS[:6], due, where),
			EN:   fmt.Sprintf("The ballot boxes of TPS %s are not at PPK %s yet (due %s): %s.", r.TPS, r.TPS[:6], due, whereEN)})
	}
	return out, nil
}

// RaiseLate stores the LateAlerts of region at time at that are not
// raised yet (one per TPS, ever: an acknowledged one is not raised again)
// and returns how many it stored. A schedule calls it: the demo once
// after its handovers; a server may call it every few minutes after the
// deadlines.
func (c *Custody) RaiseLate(ctx context.Context, region string, at time.Time) (int, error) {
	if c.cfg.Alerts == nil {
		return 0, nil
	}
	late, err := c.LateAlerts(ctx, region, at)
	if err != nil || len(late) == 0 {
		return 0, err
	}
	raised, _, err := c.cfg.Alerts.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: region, Kind: siaga.AlertCustodyLate})
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, a := range raised {
		seen[a.Ref] = true
	}
	var fresh []siaga.LogisticsAlert
	for _, a := range late {
		if !seen[a.Ref] {
			fresh = append(fresh, a)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	return len(fresh), c.cfg.Alerts.AddLogisticsAlerts(ctx, fresh)
}

// LateAlertWindow is how long after the PPK's deadline the schedule
// still raises late alerts: the days of the PPK's recapitulation.
const LateAlertWindow = 7 * 24 * time.Hour

// RunLateAlerts raises the late alerts of region every interval until ctx
// ends: the server's schedule, so that a TPS whose boxes miss the PPK's
// deadline reaches the staff's alerts without anyone opening its page.
// A failure is logged and tried again at the next tick. It raises only
// from the PPS deadline until LateAlertWindow after the PPK's: a server
// started long after an election (the demo, an audit) does not alert every
// TPS whose handovers were never entered.
func (c *Custody) RunLateAlerts(ctx context.Context, region string, every time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if now := c.cfg.Now(); c.LateAlertsDue(now) {
			if n, err := c.RaiseLate(ctx, region, now); err != nil && ctx.Err() == nil {
				logger.Warn("custody: late alerts", "region", region, "err", err)
			} else if n > 0 {
				logger.Info("custody: late alerts raised", "region", region, "n", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// LateAlertsDue reports whether the schedule raises late alerts at now: now lies from the PPS deadline to
// LateAlertWindow after the PPK's.
func (c *Custody) LateAlertsDue(now time.Time) bool {
	d := c.cfg.Deadlines
	return !now.Before(d.PPS) && !now.After(d.PPK.Add(LateAlertWindow))
}
