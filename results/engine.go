// Package results is the e-rekap engine: it takes authenticated count forms,
// turns them into versions chained by hash, stores them with group commit
// and keeps the tallies of every region up to date as versions arrive.
//
// One writer goroutine owns all changes. It drains whatever submissions are
// waiting, plans their versions, stores them in one durable transaction and
// only then applies them to the in-memory state that readers see and
// answers the waiting callers. A receipt therefore always means durable,
// and the tallies never show a version that could still be lost.
package results

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// Config is what an Engine needs. Store and Registry are required.
type Config struct {
	Store    siaga.VersionStore
	Registry *siaga.Registry
	Election *siaga.Election
	// Counting is the source whose forms make the official tally.
	Counting siaga.Source
	// MaxBatch bounds how many submissions share one commit.
	MaxBatch int
	// CommitTimeout bounds one commit (default 30 s): past it the outcome
	// is unknown and the writer finds out by reading back.
	CommitTimeout time.Duration
	// Recovery bounds how long the writer spends finding out what a
	// failed commit stored and storing the rest again, while the database
	// is unreachable (default 5 s), before it answers 503. Keep it below
	// the HTTP request timeout.
	Recovery time.Duration
	// SeriesStep is the spacing of progress-over-time samples.
	SeriesStep time.Duration
	// Reviews keeps the desk's reviews of anomalies (anomaly.go); nil
	// leaves every anomaly "baru" and refuses reviews.
	Reviews siaga.AnomalyReviewStore
	// Postponed tells which TPS have their voting postponed (package
	// postponement's Set); nil: none. Progress counts them apart and the
	// missing list shows them as "ditunda", not missing.
	Postponed Postponements
	Now       func() time.Time
	Logger    *slog.Logger
}

// Postponements is what the engine asks of the postponed TPS: the active
// postponements below a region ("" everywhere), in TPS order. It is asked
// once per progress or missing-list query, never per TPS, and must answer
// from memory: a bad day postpones tens of TPS, not thousands.
type Postponements interface {
	PostponedIn(region string) []siaga.Postponement
}

// Engine is the e-rekap engine. Create it with New, fill it from the store
// with Load, then call Run in a goroutine before SubmitEncoded.
type Engine struct {
	cfg  Config
	reqs chan *request
	done chan struct{}

	mu   sync.RWMutex
	st   *state
	feed feed
	// reviews are the desk's latest review of every history (anomaly.go),
	// under mu; reviewMu makes one review at a time.
	reviews  map[slotKey]*siaga.AnomalyReview
	reviewMu sync.Mutex

	// doubt holds the submission ids of a commit whose outcome the writer
	// could not learn before it had to answer (503). Until it learns,
	// nothing else is committed: a version planned on a state that may
	// lack those could break a chain. Only the writer touches it.
	doubt []string
}

// New returns an engine for cfg; defaults fill what cfg leaves zero.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil || cfg.Registry == nil {
		return nil, fmt.Errorf("results: store and registry are required")
	}
	if cfg.Counting == "" {
		cfg.Counting = siaga.SourceKPPS
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 2000
	}
	if cfg.CommitTimeout <= 0 {
		cfg.CommitTimeout = 30 * time.Second
	}
	if cfg.Recovery <= 0 {
		cfg.Recovery = 5 * time.Second
	}
	if cfg.SeriesStep <= 0 {
		cfg.SeriesStep = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	st, err := newState(cfg.Registry, cfg.Election, cfg.Counting)
	if err != nil {
		return nil, err
	}
	return &Engine{
		cfg:  cfg,
		reqs: make(chan *request, 4*cfg.MaxBatch),
		done: make(chan struct{}),
		st:   st,

		reviews: map[slotKey]*siaga.AnomalyReview{},
	}, nil
}

// Run is the writer loop. It returns when ctx is cancelled, after answering
// every request it had taken.
func (e *Engine) Run(ctx context.Context) {
	defer close(e.done)
	batch := make([]*request, 0, e.cfg.MaxBatch)
	for {
		select {
		case <-ctx.Done():
			e.drainRefusing()
			return
		case r := <-e.reqs:
			batch = append(batch[:0], r)
		}
	fill:
		for len(batch) < e.cfg.MaxBatch {
			select {
			case r := <-e.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		e.commit(ctx, batch)
	}
}

// Done is closed when Run has returned.
func (e *Engine) Done() <-chan struct{} { return e.done }

func (e *Engine) drainRefusing() {
	for {
		select {
		case r := <-e.reqs:
			r.answer <- answer{err: errShuttingDown()}
		default:
			return
		}
	}
}

func errShuttingDown() error {
	return siaga.Errorf(siaga.EUnavailable, "", "Server sedang berhenti; kirim ulang nanti", "server is shutting down; retry later")
}
