package client

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// State is where an outbox item stands.
type State string

const (
	Waiting  State = "waiting"  // not sent yet, or waiting to try again
	Sending  State = "sending"  // a request is on the way
	Received State = "received" // the server holds it (a replay counts)
	Refused  State = "refused"  // the server said no for good; Reason says why
)

// Item is one thing the outbox carries: a signed submission or one page of
// a submission's photos.
type Item struct {
	Submission *siaga.Submission
	Photo      *PhotoUpload // with its upload token once declared

	State    State
	Receipt  siaga.Receipt // of a received submission
	Replay   bool          // the server had it already
	Reason   error         // why it was refused
	Attempts int
}

// Outbox sends signed submissions and photos over an unreliable link until
// every one has a final answer, as the field app's outbox does. Retrying is
// safe because the server recognises a submission by its id and a photo by
// its signed hash: a retry after a lost answer is answered with the
// original receipt, never stored twice.
//
// Versions of the same form (TPS, contest, source) go in the order they
// were added, each after the previous one has its answer, since a
// correction names the version it replaces. The photos of a submission in
// the outbox go after its form's versions: the server takes photos only
// once it holds their numbers. Everything else goes in parallel.
type Outbox struct {
	Client  *Client
	Workers int // parallel sends; default 4
	// MinBackoff and MaxBackoff bound the wait between attempts: it doubles
	// from MinBackoff up to MaxBackoff, half of it random (jitter) so that
	// phones that lost the link together do not come back together.
	// Defaults 1 s and 5 min.
	MinBackoff, MaxBackoff time.Duration
	// Rand draws the jitter; nil seeds one from crypto/rand.
	Rand *mathrand.Rand

	mu    sync.Mutex
	items []*Item
}

// Add queues a signed submission.
func (o *Outbox) Add(sub *siaga.Submission) *Item {
	return o.add(&Item{Submission: sub, State: Waiting})
}

// AddPhoto queues one page of a submission's photos.
func (o *Outbox) AddPhoto(dev *Device, submission string, page, pages int, jpeg []byte) *Item {
	return o.add(&Item{Photo: &PhotoUpload{Device: dev, Submission: submission, Page: page, Pages: pages, JPEG: jpeg}, State: Waiting})
}

func (o *Outbox) add(it *Item) *Item {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.items = append(o.items, it)
	return it
}

// Items returns a snapshot of every item in the order added.
func (o *Outbox) Items() []Item {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Item, len(o.items))
	for i, it := range o.items {
		out[i] = *it
		if it.Photo != nil {
			p := *it.Photo // its token changes while it is sent
			out[i].Photo = &p
		}
	}
	return out
}

// Run sends every item without a final answer and returns when each has
// one, or with ctx's error when ctx ends first (unfinished items wait).
func (o *Outbox) Run(ctx context.Context) error {
	o.mu.Lock()
	if o.Rand == nil {
		var seed [16]byte
		_, _ = rand.Read(seed[:])
		o.Rand = mathrand.New(mathrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	}
	queues := o.queues()
	o.mu.Unlock()

	work := make(chan []*Item)
	var wg sync.WaitGroup
	for range max(o.Workers, 1) {
		wg.Go(func() {
			for q := range work {
				o.deliverQueue(ctx, q)
			}
		})
	}
feed:
	for _, q := range queues {
		select {
		case work <- q:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return ctx.Err()
}

// queues groups the unfinished items: one queue per form history, with
// the photos of its submissions at the end, and one per other photo page.
// Call it locked.
func (o *Outbox) queues() [][]*Item {
	byKey := map[siaga.Key]int{}
	bySubmission := map[string]int{}
	var out [][]*Item
	for _, it := range o.items {
		if it.Submission == nil || it.State == Received || it.State == Refused {
			continue
		}
		k := it.Submission.Key()
		i, ok := byKey[k]
		if !ok {
			i = len(out)
			byKey[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], it)
		bySubmission[it.Submission.ID] = i
	}
	for _, it := range o.items {
		if it.Photo == nil || it.State == Received || it.State == Refused {
			continue
		}
		if i, ok := bySubmission[it.Photo.Submission]; ok {
			out[i] = append(out[i], it)
			continue
		}
		out = append(out, []*Item{it})
	}
	return out
}

// deliverQueue delivers a queue's items in order until ctx ends. The photos
// of a refused submission are refused with it: their numbers will never
// be stored.
func (o *Outbox) deliverQueue(ctx context.Context, q []*Item) {
	refused := map[string]error{}
	for _, it := range q {
		if it.Photo != nil && refused[it.Photo.Submission] != nil {
			err := fmt.Errorf("client: the submission of this photo was refused: %w", refused[it.Photo.Submission])
			o.set(it, func(it *Item) { it.State, it.Reason = Refused, err })
			continue
		}
		if o.deliver(ctx, it) != nil {
			return
		}
		o.mu.Lock()
		if it.Submission != nil && it.State == Refused {
			refused[it.Submission.ID] = it.Reason
		}
		o.mu.Unlock()
	}
}

// deliver tries it until the server answers for good. It returns an error
// only when ctx ends.
func (o *Outbox) deliver(ctx context.Context, it *Item) error {
	for attempt := 0; ; attempt++ {
		o.set(it, func(it *Item) { it.State = Sending; it.Attempts++ })
		receipt, replay, err := o.send(ctx, it)
		switch {
		case err == nil:
			o.set(it, func(it *Item) { it.State, it.Receipt, it.Replay, it.Reason = Received, receipt, replay, nil })
			return nil
		case ctx.Err() != nil:
			o.set(it, func(it *Item) { it.State = Waiting })
			return ctx.Err()
		case final(err):
			o.set(it, func(it *Item) { it.State, it.Reason = Refused, err })
			return nil
		}
		o.set(it, func(it *Item) { it.State = Waiting })
		t := time.NewTimer(o.backoff(attempt))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

func (o *Outbox) send(ctx context.Context, it *Item) (siaga.Receipt, bool, error) {
	if it.Submission != nil {
		return o.Client.Submit(ctx, it.Submission)
	}
	o.mu.Lock()
	u := *it.Photo
	o.mu.Unlock()
	err := o.Client.Upload(ctx, &u)
	o.set(it, func(it *Item) { it.Photo.Token = u.Token }) // kept for the next attempt, or the next Run
	return siaga.Receipt{}, false, err
}

func (o *Outbox) set(it *Item, fn func(*Item)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fn(it)
}

// backoff is the wait before attempt+1: exponential, capped, and drawn
// from its upper half.
func (o *Outbox) backoff(attempt int) time.Duration {
	lo, hi := o.MinBackoff, o.MaxBackoff
	if lo <= 0 {
		lo = time.Second
	}
	if hi <= 0 {
		hi = 5 * time.Minute
	}
	d := lo
	for range min(attempt, 30) {
		if d >= hi/2 {
			d = hi
			break
		}
		d *= 2
	}
	d = min(d, hi)
	o.mu.Lock()
	defer o.mu.Unlock()
	return d/2 + time.Duration(o.Rand.Int64N(int64(d/2)+1))
}

// final reports whether the server's answer ends the item: a refusal of
// the content. Lost answers, resets, time-outs, an overloaded or restarting
// server, and photos whose numbers the server does not hold yet are worth
// another try.
func final(err error) bool {
	var e *APIError
	if errors.Is(err, ErrNumbersFirst) || !errors.As(err, &e) {
		return false
	}
	switch {
	case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooEarly, e.Status == http.StatusTooManyRequests:
		return false
	case e.Status >= 400 && e.Status < 500:
		return true
	}
	return false
}
