package sitrep

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/deskpemilu/siaga"
)

// MorningHour is when, in WIB, the day's report is made: before the desk's
// morning coordination meeting.
const MorningHour = 6

// Morning is 06:00 WIB of the day (in WIB) of t.
func Morning(t time.Time) time.Time {
	t = t.In(siaga.WIB)
	return time.Date(t.Year(), t.Month(), t.Day(), MorningHour, 0, 0, 0, siaga.WIB)
}

// RunMorning stores the morning reports of region (the province) and of
// each of its child regions (kab/kota) every day, checking every interval
// until ctx ends: the server's schedule (as logistics.Custody's
// RunLateAlerts). The first check waits one interval: a node that opens
// (a restart, every test, every benchmark) does not print nine PDFs while
// it warms up, and the day's report is at most one interval late. A
// failure is logged and tried again at the next tick.
func (s *Service) RunMorning(ctx context.Context, region string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := s.MorningReports(ctx, region); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("sitrep: morning reports", "region", region, "err", err)
		} else if n > 0 {
			s.cfg.Logger.Info("sitrep: morning reports stored", "region", region, "n", n)
		}
	}
}

// MorningReports is one tick of the schedule: once the clock is past
// today's 06:00 WIB, it stores today's report of region and of each child
// region that has none yet, and says how many it stored. It is
// idempotent: a report already stored (by this node, an earlier tick or
// another node) is kept, not made again. Before 06:00 it stores nothing:
// yesterday's was made yesterday.
func (s *Service) MorningReports(ctx context.Context, region string) (int, error) {
	if s.cfg.Store == nil {
		return 0, nil
	}
	now := s.cfg.Now()
	at := Morning(now)
	if now.Before(at) {
		return 0, nil
	}
	codes := []string{region}
	for _, c := range s.cfg.Regions.Children(region) {
		codes = append(codes, c.Code)
	}
	n := 0
	for _, code := range codes {
		stored, err := s.StoreReport(ctx, code, at)
		if err != nil {
			return n, err
		}
		if stored {
			n++
		}
	}
	return n, nil
}

// StoreReport builds, prints and stores the report of region at at, as
// the report of at's day (WIB), unless that day's is stored already:
// stored says whether this call stored it.
func (s *Service) StoreReport(ctx context.Context, region string, at time.Time) (stored bool, err error) {
	date := at.In(siaga.WIB).Format(time.DateOnly)
	if _, err := s.cfg.Store.SitrepReport(ctx, region, date); err == nil {
		return false, nil
	} else if siaga.ErrorCode(err) != siaga.ENotFound {
		return false, err
	}
	rep, err := s.Build(ctx, region, at)
	if err != nil {
		return false, err
	}
	var pdf bytes.Buffer
	if err := s.PDF(&pdf, rep); err != nil {
		return false, err
	}
	snap, err := json.Marshal(rep)
	if err != nil {
		return false, err
	}
	r := &siaga.SitrepReport{Region: region, Date: date, At: rep.At, CreatedAt: s.cfg.Now().UTC(), PDF: pdf.Bytes(), Snapshot: snap}
	if err := s.cfg.Store.SaveSitrep(ctx, r); err != nil {
		if siaga.ErrorCode(err) == siaga.EConflict {
			return false, nil // another node stored it meanwhile
		}
		return false, err
	}
	return true, nil
}

// Report is a stored report, with its PDF.
func (s *Service) Report(ctx context.Context, region, date string) (*siaga.SitrepReport, error) {
	if s.cfg.Store == nil {
		return nil, siaga.Errorf(siaga.ENotFound, "", "arsip laporan situasi tidak tersedia", "the situation report archive is not available")
	}
	return s.cfg.Store.SitrepReport(ctx, region, date)
}

// Reports is a page of region's stored reports, newest first.
func (s *Service) Reports(ctx context.Context, f siaga.SitrepFilter) (siaga.SitrepPage, error) {
	if s.cfg.Store == nil {
		return siaga.SitrepPage{Items: []siaga.SitrepReport{}}, nil
	}
	return s.cfg.Store.SitrepReports(ctx, f)
}
