package node_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/postgres/pgtest"
	"github.com/deskpemilu/siaga/storetest"
)

// answer is what the server said to one POST /api/v1/submissions.
type answer struct {
	status     int
	retryAfter string
	code       string // of an error answer
	receipt    siaga.Receipt
	err        error // the request itself failed
}

func (a answer) String() string {
	return fmt.Sprintf("%d %s (Retry-After %q, err %v)", a.status, a.code, a.retryAfter, a.err)
}

// post sends sub as a phone does and reads the answer, whatever it is.
func post(url string, sub *siaga.Submission) answer {
	body, err := json.Marshal(sub)
	if err != nil {
		return answer{err: err}
	}
	resp, err := http.Post(url+"/api/v1/submissions", "application/json", bytes.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		a.err = json.NewDecoder(resp.Body).Decode(&e)
		a.code = e.Error.Code
		return a
	}
	a.err = json.NewDecoder(resp.Body).Decode(&a.receipt)
	return a
}

// signedForms enrols a phone at each of n TPS from the registry's from-th
// and returns a signed first report of each.
func signedForms(t *testing.T, s *served, from, n int) []siaga.Submission {
	t.Helper()
	out := make([]siaga.Submission, n)
	for i := range out {
		tps := s.n.Registry.TPS[from+i].Code
		out[i] = ppwp(tps, 10+i, 20, 30)
		s.phone(t, tps, siaga.RoleKPPS).Sign(&out[i])
	}
	return out
}

// TestCommitAnswerLost cuts the connection to PostgreSQL right after the
// server committed a batch and before the node heard so, then, in a second
// case, keeps the database unreachable a while. No form of the batch may
// be refused as a conflict (the phones' outboxes take 409 as final) nor
// fail with 500: each gets its receipt or 503 with Retry-After, its
// identical retry the stored receipt, and the store and the tallies hold
// every form once. /readyz fails while the database is unreachable.
func TestCommitAnswerLost(t *testing.T) {
	proxy, via := newPGProxy(t, pgtest.DSN(t))
	s := serve(t, via)
	tests := []struct {
		name string
		down bool // the database stays unreachable after the cut
	}{
		{"connection cut after COMMIT", false},
		{"connection cut after COMMIT, database unreachable", true},
	}
	acked := map[string]siaga.Receipt{}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs := signedForms(t, s, 6*i, 6)
			pilot, batch := subs[0], subs[1:]
			first := sendBehindHeldCommit(t, proxy, s.url, &pilot, batch, commitStep{cut: true, down: tt.down})
			for j, a := range first {
				switch {
				case a.status == http.StatusCreated && a.receipt.Submission == batch[j].ID:
					acked[batch[j].ID] = a.receipt
				case a.status == http.StatusServiceUnavailable && a.code == siaga.EUnavailable && a.retryAfter != "":
				default:
					t.Errorf("%s: first answer %v, want 201 with its receipt or 503 unavailable with Retry-After", batch[j].ID, a)
				}
			}
			if tt.down {
				waitReadyz(t, s.url, http.StatusServiceUnavailable)
				wantHealth(t, s.url, "degraded")
				proxy.up()
				waitReadyz(t, s.url, http.StatusOK)
			}
			stored := storedReceipts(t, s)
			for _, sub := range batch {
				a := post(s.url, &sub)
				want, ok := acked[sub.ID]
				if !ok {
					want = stored[sub.ID] // answered 503 first: stored anyway, since the server committed
				}
				if a.status != http.StatusOK || a.err != nil {
					t.Errorf("%s: retry answered %v, want 200 with the stored receipt", sub.ID, a)
				} else if diff := cmp.Diff(want, a.receipt); diff != "" {
					t.Errorf("%s: retry's receipt differs from the stored one (-stored +retry):\n%s", sub.ID, diff)
				}
				acked[sub.ID] = want
			}
			wantHealth(t, s.url, "ok")
		})
	}
	wantOnce(t, s, acked)
}

// sendBehindHeldCommit sends pilot and holds the answer to its COMMIT
// while batch is sent, so that the writer takes batch as one batch; the
// answer to that batch's COMMIT gets then. It returns batch's answers.
func sendBehindHeldCommit(t *testing.T, proxy *pgProxy, url string, pilot *siaga.Submission, batch []siaga.Submission, then commitStep) []answer {
	t.Helper()
	held, release := make(chan struct{}), make(chan struct{})
	proxy.then(commitStep{held: held, release: release}, then)
	piloted := make(chan answer, 1)
	go func() { piloted <- post(url, pilot) }()
	select {
	case <-held:
	case a := <-piloted:
		t.Fatalf("the pilot was answered %v before its commit was held", a)
	case <-time.After(30 * time.Second):
		t.Fatal("the pilot's COMMIT never reached the proxy")
	}
	answers := make([]answer, len(batch))
	var wg sync.WaitGroup
	for i := range batch {
		wg.Go(func() { answers[i] = post(url, &batch[i]) })
	}
	// The writer is held in the pilot's commit: whatever arrives now
	// waits for it and is committed together once it returns.
	time.Sleep(300 * time.Millisecond)
	close(release)
	wg.Wait()
	if a := <-piloted; a.status != http.StatusCreated {
		t.Errorf("pilot answered %v, want 201", a)
	}
	if n := proxy.pending(); n != 0 {
		t.Fatalf("%d COMMIT steps not played: the batch's COMMIT never reached the proxy", n)
	}
	return answers
}

// waitReadyz polls /readyz until it answers want; its answer is cached
// for about a second.
func waitReadyz(t *testing.T, url string, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == want {
			if want != http.StatusOK && resp.Header.Get("Retry-After") == "" {
				t.Errorf("/readyz answered %d without Retry-After", resp.StatusCode)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still answers %d after 30 s, want %d", resp.StatusCode, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// wantHealth checks that /healthz answers 200 with the status word.
func wantHealth(t *testing.T, url string, word string) {
	t.Helper()
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Status string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body.Status != word {
		t.Errorf("/healthz answered %d %+v (%v), want 200 %q", resp.StatusCode, body, err, word)
	}
}

func storedReceipts(t *testing.T, s *served) map[string]siaga.Receipt {
	t.Helper()
	out := map[string]siaga.Receipt{}
	for _, v := range storetest.AllVersions(t, s.n.Store) {
		out[v.Submission] = v.Receipt()
	}
	return out
}

// wantOnce checks that the store holds every acknowledged form once, with
// the receipt its phone got, and that the tallies count each once.
func wantOnce(t *testing.T, s *served, acked map[string]siaga.Receipt) {
	t.Helper()
	seen := map[string]int{}
	reported := map[string]bool{}
	for _, v := range storetest.AllVersions(t, s.n.Store) {
		seen[v.Submission]++
		reported[v.TPS] = true
		if r, ok := acked[v.Submission]; ok {
			if diff := cmp.Diff(r, v.Receipt()); diff != "" {
				t.Errorf("%s: stored version differs from its receipt (-receipt +stored):\n%s", v.Submission, diff)
			}
		}
	}
	for id := range acked {
		if seen[id] != 1 {
			t.Errorf("%s acknowledged and stored %d times", id, seen[id])
		}
	}
	tally, _ := s.n.Results.Tally(siaga.PPWP, s.n.Registry.TPS[0].Code[:2])
	if tally.TPSReported != len(reported) {
		t.Errorf("the tally counts %d TPS, the store holds forms of %d", tally.TPSReported, len(reported))
	}
}

// TestDiskFull fills SQLite's file to its limit: a form that cannot be
// stored is answered 503 unavailable with Retry-After, not 500, and is
// stored once room is made and the phone sends it again.
func TestDiskFull(t *testing.T) {
	s := serve(t, "")
	ctx := context.Background()
	db := s.n.Store.(interface{ WriteDB() *sql.DB }).WriteDB()
	var pages int
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The writer's one connection keeps the limit: the file cannot grow.
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	tps := s.n.Registry.TPS[0].Code
	dev := s.phone(t, tps, siaga.RoleKPPS)
	acked := map[string]siaga.Receipt{}
	var refused *siaga.Submission
	for version := 0; refused == nil && version < 2000; version++ {
		sub := ppwp(tps, version, 20, 30)
		sub.Replaces = version
		if version > 0 {
			sub.Reason = strings.Repeat("koreksi ", 60)
		}
		dev.Sign(&sub)
		switch a := post(s.url, &sub); {
		case a.status == http.StatusCreated:
			acked[sub.ID] = a.receipt
		case a.status == http.StatusServiceUnavailable && a.code == siaga.EUnavailable && a.retryAfter != "":
			refused = &sub
		default:
			t.Fatalf("version %d answered %v, want 201, or 503 unavailable with Retry-After once the file is full", version+1, a)
		}
	}
	if refused == nil {
		t.Fatal("the file never filled up")
	}
	if _, err := db.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	a := post(s.url, refused)
	if a.status != http.StatusCreated {
		t.Fatalf("sent again once there is room: %v, want 201", a)
	}
	acked[refused.ID] = a.receipt
	wantOnce(t, s, acked)
}
