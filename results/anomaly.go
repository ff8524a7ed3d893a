package results

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// The anomaly list is answered in one pass over the region's TPS under the
// read lock: every filter is applied before counting, so the total is of
// every match and a page is the next Limit of them after the cursor. The
// desk's reviews are held here too, loaded at start and updated on
// write, so that the status filter needs no query.

// AnomalyPage returns the page of anomalies q selects; see
// siaga.AnomalyQuery. A filter that names nothing known is an EInvalid
// error naming its field.
func (e *Engine) AnomalyPage(q siaga.AnomalyQuery) (siaga.AnomalyPage, error) {
	f, err := e.anomalyFilter(q)
	if err != nil {
		return siaga.AnomalyPage{Items: []siaga.Anomaly{}}, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	page := siaga.AnomalyPage{Items: []siaga.Anomaly{}}
	lo, hi := e.st.tpsRange(q.Region)
	for i := lo; i < hi; i++ {
		for c, sl := range e.st.tpsState[i].slots {
			if sl == nil || (f.contest >= 0 && c != f.contest) {
				continue
			}
			r11 := e.st.slotR11(sl)
			for src, r := range sl.recs {
				if r == nil || (f.source >= 0 && src != f.source) {
					continue
				}
				rules := r.rules | r11
				if rules == 0 || (f.rule != 0 && rules&f.rule == 0) {
					continue
				}
				rv := e.reviewOf(r)
				status := siaga.AnomalyNew
				if rv != nil {
					status = rv.Status
				}
				if q.Status != "" && status != q.Status {
					continue
				}
				page.Total++
				pos := cursorPos{int32(i), c, src}
				if f.after != nil && !f.after.before(pos) {
					continue
				}
				if q.Limit > 0 && len(page.Items) == q.Limit {
					if page.Next == "" {
						page.Next = e.anomalyCursor(page.Items[len(page.Items)-1])
					}
					continue
				}
				page.Items = append(page.Items, siaga.Anomaly{TPS: e.st.tps[i].Code, Contest: siaga.Contests[c],
					Source: siaga.Sources[src], Rules: ruleIDs(rules), Version: int(r.version), Status: status, Review: rv})
			}
		}
	}
	return page, nil
}

// anomalyFilter is a query checked and turned into indexes.
type anomalyFilter struct {
	contest, source int // -1: any
	rule            uint16
	after           *cursorPos
}

func (e *Engine) anomalyFilter(q siaga.AnomalyQuery) (anomalyFilter, error) {
	f := anomalyFilter{contest: -1, source: -1}
	if err := e.checkRegion(q.Region); err != nil {
		return f, err
	}
	if q.Contest != "" {
		if f.contest = contestIndex(q.Contest); f.contest < 0 {
			return f, siaga.Errorf(siaga.EInvalid, "contest", "Kontes %q tidak dikenal", "unknown contest %q", q.Contest)
		}
	}
	if q.Source != "" {
		if f.source = sourceIndex(q.Source); f.source < 0 {
			return f, siaga.Errorf(siaga.EInvalid, "source", "Sumber %q tidak dikenal", "unknown source %q", q.Source)
		}
	}
	if q.Rule != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(q.Rule, "R"))
		if err != nil || !strings.HasPrefix(q.Rule, "R") || n < 1 || n >= nRules {
			return f, siaga.Errorf(siaga.EInvalid, "rule", "Aturan %q tidak dikenal (R1–R12)", "unknown rule %q (R1–R12)", q.Rule)
		}
		f.rule = 1 << n
	}
	if q.Status != "" && !q.Status.Valid() {
		return f, siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal (baru, diperiksa, perlu_koreksi)",
			"unknown status %q (baru, diperiksa, perlu_koreksi)", q.Status)
	}
	if q.After != "" {
		pos, ok := e.parseAnomalyCursor(q.After)
		if !ok {
			return f, siaga.Errorf(siaga.EInvalid, "cursor", "Kursor tidak sah", "invalid cursor")
		}
		f.after = &pos
	}
	return f, nil
}

// checkRegion accepts "" (everywhere), a region of the registry or a TPS.
func (e *Engine) checkRegion(code string) error {
	if code == "" {
		return nil
	}
	e.mu.RLock()
	_, ok := e.st.regions[code]
	e.mu.RUnlock()
	if ok || e.st.tpsIndex(code) >= 0 {
		return nil
	}
	return siaga.Errorf(siaga.EInvalid, "region", "Wilayah %q tidak terdaftar", "unknown region %q", code)
}

// cursorPos is a place in the anomaly list: registry order of TPS, then
// contest, then source.
type cursorPos struct {
	tps          int32
	contest, src int
}

// before reports whether p comes before q in the list.
func (p cursorPos) before(q cursorPos) bool {
	if p.tps != q.tps {
		return p.tps < q.tps
	}
	if p.contest != q.contest {
		return p.contest < q.contest
	}
	return p.src < q.src
}

// anomalyCursor names the place of a in the list by codes, not indexes,
// so that a cursor outlives a restart; it is opaque to callers.
func (e *Engine) anomalyCursor(a siaga.Anomaly) string {
	return base64.RawURLEncoding.EncodeToString([]byte(a.TPS + "/" + string(a.Contest) + "/" + string(a.Source)))
}

func (e *Engine) parseAnomalyCursor(s string) (cursorPos, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursorPos{}, false
	}
	parts := strings.Split(string(b), "/")
	if len(parts) != 3 {
		return cursorPos{}, false
	}
	p := cursorPos{tps: e.st.tpsIndex(parts[0]), contest: contestIndex(siaga.Contest(parts[1])), src: sourceIndex(siaga.Source(parts[2]))}
	return p, p.tps >= 0 && p.contest >= 0 && p.src >= 0
}

// reviewOf is the desk's review of r's version, nil when there is none
// (a review of an older version no longer counts). Callers hold e.mu.
func (e *Engine) reviewOf(r *rec) *siaga.AnomalyReview {
	rv := e.reviews[slotKey{tps: r.tps, contest: r.contest, source: r.source}]
	if rv == nil || rv.Version != int(r.version) {
		return nil
	}
	return rv
}

// loadReviews reads the stored reviews, keeping the newest version's of
// each history. Callers hold e.mu.
func (e *Engine) loadReviews(ctx context.Context) error {
	e.reviews = map[slotKey]*siaga.AnomalyReview{}
	if e.cfg.Reviews == nil {
		return nil
	}
	list, err := e.cfg.Reviews.AnomalyReviews(ctx)
	if err != nil {
		return err
	}
	for i := range list {
		rv := &list[i]
		k, ok := e.reviewKey(rv)
		if !ok {
			continue // a TPS no longer in the registry
		}
		if old := e.reviews[k]; old == nil || old.Version <= rv.Version {
			e.reviews[k] = rv
		}
	}
	return nil
}

// RefreshReviews reads the stored reviews again and takes in those this
// engine has not seen: reviews set through another node on the same
// PostgreSQL database. A review is only ever set, never removed, so the
// newer of two reviews of a history (by version, then time) is kept.
func (e *Engine) RefreshReviews(ctx context.Context) error {
	if e.cfg.Reviews == nil {
		return nil
	}
	list, err := e.cfg.Reviews.AnomalyReviews(ctx)
	if err != nil {
		return fmt.Errorf("results: reading anomaly reviews: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range list {
		rv := &list[i]
		k, ok := e.reviewKey(rv)
		if !ok {
			continue
		}
		old := e.reviews[k]
		if old == nil || rv.Version > old.Version || (rv.Version == old.Version && rv.At.After(old.At)) {
			e.reviews[k] = rv
		}
	}
	return nil
}

// FollowReviews refreshes the reviews every interval until ctx ends, so
// that the nodes sharing a database agree on them within that time.
func (e *Engine) FollowReviews(ctx context.Context, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := e.RefreshReviews(ctx); err != nil && ctx.Err() == nil {
				log.Warn("refreshing anomaly reviews", "err", err)
			}
		}
	}
}

func (e *Engine) reviewKey(rv *siaga.AnomalyReview) (slotKey, bool) {
	t, c, src := e.st.tpsIndex(rv.TPS), contestIndex(rv.Contest), sourceIndex(rv.Source)
	return slotKey{tps: t, contest: uint8(c), source: uint8(src)}, t >= 0 && c >= 0 && src >= 0
}

// ReviewAnomaly stores the desk's review rv of the latest version of its
// history, with audit in the same transaction, and shows it in the list.
// rv.Version must be the latest version (the one the reviewer saw):
// otherwise the numbers changed under the reviewer and the review is
// refused with EConflict. A version that breaks no rule has nothing to
// review (EInvalid).
func (e *Engine) ReviewAnomaly(ctx context.Context, rv siaga.AnomalyReview, audit ...siaga.AuditEvent) error {
	if e.cfg.Reviews == nil {
		return siaga.Errorf(siaga.EUnavailable, "", "Status anomali tidak dapat disimpan", "anomaly reviews cannot be stored")
	}
	if !rv.Status.Valid() {
		return siaga.Errorf(siaga.EInvalid, "status", "Status %q tidak dikenal", "unknown status %q", rv.Status)
	}
	k, ok := e.reviewKey(&rv)
	if !ok {
		return siaga.Errorf(siaga.ENotFound, "tps", "Riwayat %s/%s/%s tidak ada", "no history %s/%s/%s", rv.TPS, rv.Contest, rv.Source)
	}
	// One review at a time, so that the store and the list end with the
	// same one.
	e.reviewMu.Lock()
	defer e.reviewMu.Unlock()
	e.mu.RLock()
	r := e.st.latest(k)
	var rules uint16
	if r != nil {
		rules = r.rules | e.st.slotR11(e.st.tpsState[k.tps].slots[k.contest])
	}
	e.mu.RUnlock()
	switch {
	case r == nil:
		return siaga.Errorf(siaga.ENotFound, "tps", "Riwayat %s/%s/%s tidak ada", "no history %s/%s/%s", rv.TPS, rv.Contest, rv.Source)
	case rules == 0:
		return siaga.Errorf(siaga.EInvalid, "version", "Versi ini tidak melanggar aturan apa pun", "this version breaks no rule")
	case rv.Version != int(r.version):
		return siaga.Errorf(siaga.EConflict, "version", "Versi %d sudah masuk; periksa angka yang baru",
			"version %d has arrived; check the new numbers", r.version)
	}
	if err := e.cfg.Reviews.SetAnomalyReview(ctx, &rv, audit...); err != nil {
		return err
	}
	e.mu.Lock()
	e.reviews[k] = &rv
	e.mu.Unlock()
	return nil
}
