package results_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/results"
	"github.com/deskpemilu/siaga/storetest"
)

// fault is what faultStore does to one AppendVersions.
type fault int

const (
	pass fault = iota
	// lostAnswer stores the versions and then fails as a dropped
	// connection does after the server committed.
	lostAnswer
	// lostThenDown is lostAnswer, after which the database cannot be
	// reached until up is called.
	lostThenDown
	// refused fails without storing, as a database refusing a value does.
	refused
)

var (
	errDown = fmt.Errorf("%w: connect: connection refused",
		siaga.Errorf(siaga.EUnavailable, "", "basis data tidak terjangkau", "database unreachable"))
	errLost = fmt.Errorf("%w: commit: unexpected EOF (%w)",
		siaga.Errorf(siaga.EUnavailable, "", "basis data tidak terjangkau", "database unreachable"), siaga.ErrCommitUnknown)
	errRefused = errors.New("ERROR: invalid byte sequence (SQLSTATE 22021)")
)

// faultStore is a real store that fails the way a database does when
// told to.
type faultStore struct {
	siaga.Store
	mu     sync.Mutex
	decide func(vs []siaga.Version) fault // nil: every append passes
	down   bool
}

func (f *faultStore) fault(vs []siaga.Version) (fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down || f.decide == nil {
		return pass, f.down
	}
	return f.decide(vs), false
}

func (f *faultStore) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *faultStore) isDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

func (f *faultStore) AppendVersions(ctx context.Context, vs []siaga.Version, audit ...siaga.AuditEvent) error {
	what, down := f.fault(vs)
	switch {
	case down:
		return errDown
	case what == refused:
		return errRefused
	case what == lostAnswer || what == lostThenDown:
		if err := f.Store.AppendVersions(ctx, vs, audit...); err != nil {
			return err
		}
		f.setDown(what == lostThenDown)
		return errLost
	}
	return f.Store.AppendVersions(ctx, vs, audit...)
}

func (f *faultStore) VersionsBySubmission(ctx context.Context, ids []string) ([]siaga.Version, error) {
	if f.isDown() {
		return nil, errDown
	}
	return f.Store.VersionsBySubmission(ctx, ids)
}

func (f *faultStore) VersionsOfTPS(ctx context.Context, tps string) ([]siaga.Version, error) {
	if f.isDown() {
		return nil, errDown
	}
	return f.Store.VersionsOfTPS(ctx, tps)
}

// first applies what to the first append only.
func first(what fault) func([]siaga.Version) fault {
	n := 0
	return func([]siaga.Version) fault {
		n++
		if n == 1 {
			return what
		}
		return pass
	}
}

// holding applies refused to every append that holds the submission id.
func holding(id string) func([]siaga.Version) fault {
	return func(vs []siaga.Version) fault {
		for _, v := range vs {
			if v.Submission == id {
				return refused
			}
		}
		return pass
	}
}

// loadedEngine is an engine over store whose writer is not running: the
// tests give it batches of their own make-up (Engine.Batch).
func loadedEngine(t testing.TB, store siaga.VersionStore, reg *siaga.Registry, el *siaga.Election) *results.Engine {
	t.Helper()
	e, err := results.New(results.Config{Store: store, Registry: reg, Election: el,
		Recovery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// forms are n first reports, each of its own TPS.
func forms(reg *siaga.Registry, n int) []siaga.Submission {
	out := make([]siaga.Submission, n)
	for i := range out {
		out[i] = siaga.Submission{ID: newID(), TPS: reg.TPS[i].Code, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
			Form: ppwpForm(10+i, 20, 30)}
	}
	return out
}

// TestRecovery: a commit that fails — its answer lost, the database
// unreachable, an id already stored, one version refused — never turns a
// stored form into a refused one nor fails the other forms of its batch:
// every answer is a receipt, a replay of the stored receipt or a 503
// (unavailable), the identical retry gets the stored receipt, and the
// store and the tallies hold every form once.
func TestRecovery(t *testing.T) {
	reg, el := world()
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt
	}{
		{"answer of COMMIT lost, then read back", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 3)
			store.decide = first(lostAnswer)
			acked := wantAnswers(t, subs, e.Batch(ctx, subs, "test"), "stored")
			wantReplays(t, subs, e.Batch(ctx, subs, "test"), acked)
			return acked
		}},
		{"answer lost and the database unreachable past the bound", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 4)
			store.decide = first(lostThenDown)
			wantAnswers(t, subs[:3], e.Batch(ctx, subs[:3], "test"), "unavailable")
			// Until the commit in doubt is known, nothing else is stored.
			wantAnswers(t, subs[3:], e.Batch(ctx, subs[3:], "test"), "unavailable")
			store.setDown(false)
			answers := e.Batch(ctx, subs, "test")
			acked := wantStoredReceipts(t, store, subs[:3])
			wantReplays(t, subs[:3], answers[:3], acked)
			for id, r := range wantAnswers(t, subs[3:], answers[3:], "stored") {
				acked[id] = r
			}
			return acked
		}},
		{"id stored by a commit this engine never heard of", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 3)
			other := loadedEngine(t, store, reg, el) // another writer on the same store
			acked := wantAnswers(t, subs[:1], other.Batch(ctx, subs[:1], "test"), "stored")
			answers := e.Batch(ctx, subs, "test")
			wantReplays(t, subs[:1], answers[:1], acked)
			for id, r := range wantAnswers(t, subs[1:], answers[1:], "stored") {
				acked[id] = r
			}
			wantReplays(t, subs, e.Batch(ctx, subs, "test"), acked)
			return acked
		}},
		{"slot taken by a version this engine never heard of", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 3)
			other := loadedEngine(t, store, reg, el)
			acked := wantAnswers(t, subs[:1], other.Batch(ctx, subs[:1], "test"), "stored")
			// The same form under a new id, as a re-sent SMS: the stored
			// version's receipt, found by catching up with the store.
			again := subs[0]
			again.ID = newID()
			batch := []siaga.Submission{again, subs[1], subs[2]}
			answers := e.Batch(ctx, batch, "test")
			if a := answers[0]; a.Err != nil || !a.Replay || !cmp.Equal(a.Receipt, acked[subs[0].ID]) {
				t.Errorf("same form, new id: %+v, want a replay of %+v", a, acked[subs[0].ID])
			}
			for id, r := range wantAnswers(t, subs[1:], answers[1:], "stored") {
				acked[id] = r
			}
			return acked
		}},
		{"one version refused, the others stored", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 5)
			store.decide = holding(subs[2].ID)
			answers := e.Batch(ctx, subs, "test")
			if answers[2].Err == nil {
				t.Errorf("the refused version got a receipt: %+v", answers[2])
			}
			good := append(subs[:2:2], subs[3:]...)
			acked := wantAnswers(t, good, append(answers[:2:2], answers[3:]...), "stored")
			wantReplays(t, good, e.Batch(ctx, good, "test"), acked)
			return acked
		}},
		{"database unreachable, the same id twice in the batch", func(t *testing.T, store *faultStore, e *results.Engine) map[string]siaga.Receipt {
			subs := forms(reg, 2)
			twice := []siaga.Submission{subs[0], subs[1], subs[0]}
			store.setDown(true)
			wantAnswers(t, twice, e.Batch(ctx, twice, "test"), "unavailable")
			store.setDown(false)
			return wantAnswers(t, subs, e.Batch(ctx, subs, "test"), "stored")
		}},
	}
	for _, sk := range stores() {
		t.Run(sk.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					store := &faultStore{Store: sk.open(t)}
					e := loadedEngine(t, store, reg, el)
					acked := tt.run(t, store, e)
					wantStoredOnce(t, store, acked)
					wantRecount(t, store, reg, e)
				})
			}
		})
	}
}

// wantAnswers checks that every answer is a new receipt ("stored") or a
// 503 ("unavailable") and returns the receipts by submission id.
func wantAnswers(t *testing.T, subs []siaga.Submission, answers []results.Answer, want string) map[string]siaga.Receipt {
	t.Helper()
	acked := map[string]siaga.Receipt{}
	for i, a := range answers {
		switch want {
		case "stored":
			if a.Err != nil || a.Replay || a.Receipt.Submission != subs[i].ID {
				t.Errorf("%s: answer %+v, want a new receipt", subs[i].ID, a)
				continue
			}
			acked[subs[i].ID] = a.Receipt
		case "unavailable":
			if code := siaga.ErrorCode(a.Err); code != siaga.EUnavailable {
				t.Errorf("%s: answer %+v (code %q), want unavailable", subs[i].ID, a, code)
			}
		}
	}
	return acked
}

// wantReplays checks that every answer replays the acknowledged receipt.
func wantReplays(t *testing.T, subs []siaga.Submission, answers []results.Answer, acked map[string]siaga.Receipt) {
	t.Helper()
	for i, a := range answers {
		if a.Err != nil || !a.Replay {
			t.Errorf("%s: retry answered %+v, want a replay", subs[i].ID, a)
			continue
		}
		if diff := cmp.Diff(acked[subs[i].ID], a.Receipt); diff != "" {
			t.Errorf("%s: replayed receipt differs (-first +retry):\n%s", subs[i].ID, diff)
		}
	}
}

// wantStoredReceipts returns the receipts of the stored versions of subs,
// which must all be stored.
func wantStoredReceipts(t *testing.T, store siaga.Store, subs []siaga.Submission) map[string]siaga.Receipt {
	t.Helper()
	out := map[string]siaga.Receipt{}
	for _, v := range storetest.AllVersions(t, store) {
		out[v.Submission] = v.Receipt()
	}
	for _, s := range subs {
		if _, ok := out[s.ID]; !ok {
			t.Errorf("%s is not stored", s.ID)
		}
	}
	return out
}

// wantStoredOnce checks that the store holds every id once and every
// acknowledged one with the receipt its sender got.
func wantStoredOnce(t *testing.T, store siaga.Store, acked map[string]siaga.Receipt) {
	t.Helper()
	seen := map[string]int{}
	for _, v := range storetest.AllVersions(t, store) {
		seen[v.Submission]++
		if r, ok := acked[v.Submission]; ok {
			if diff := cmp.Diff(r, v.Receipt()); diff != "" {
				t.Errorf("%s: stored version differs from its receipt (-receipt +stored):\n%s", v.Submission, diff)
			}
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s stored %d times", id, n)
		}
	}
	for id := range acked {
		if seen[id] != 1 {
			t.Errorf("%s acknowledged but not stored", id)
		}
	}
}

// wantRecount checks the engine's tallies against a recount of the store:
// every stored version is counted once, none that is not stored.
func wantRecount(t *testing.T, store siaga.Store, reg *siaga.Registry, e *results.Engine) {
	t.Helper()
	want := recount(t, store, reg)[siaga.PPWP]
	for _, r := range reg.Regions {
		tally, _ := e.Tally(siaga.PPWP, r.Code)
		got := sums{reported: tally.TPSReported, sah: tally.SuaraSah, votes: tally.Votes}
		if diff := cmp.Diff(want[r.Code], got, cmp.AllowUnexported(sums{}), cmp.Comparer(sameVotes)); diff != "" {
			t.Errorf("%s: tally differs from the recount of the store (-recount +tally):\n%s", r.Code, diff)
		}
	}
}
