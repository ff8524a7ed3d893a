package results

import (
	"sync"

	"github.com/deskpemilu/siaga"
)

// feed fans changes out to live views. A subscriber that does not keep up
// loses changes instead of slowing the writer: views re-read the tallies
// anyway, a change only tells them when.
type feed struct {
	mu   sync.Mutex
	subs map[chan siaga.Change]struct{}
}

func (f *feed) publish(changes []siaga.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		for _, c := range changes {
			select {
			case ch <- c:
			default:
			}
		}
	}
}

// Subscribe returns a channel of changes and a function that ends the
// subscription and closes the channel.
func (e *Engine) Subscribe() (<-chan siaga.Change, func()) {
	ch := make(chan siaga.Change, 256)
	f := &e.feed
	f.mu.Lock()
	if f.subs == nil {
		f.subs = make(map[chan siaga.Change]struct{})
	}
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, ch)
			f.mu.Unlock()
			close(ch)
		})
	}
}
