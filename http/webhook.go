package http

import (
	"container/list"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TimestampHeader carries the Unix time in seconds at which a webhook
// body was signed; the signature covers it.
const TimestampHeader = "X-Siaga-Timestamp"

// webhookSkew is how far a signed body's timestamp may be from the
// server's clock: clocks of a gateway and a server set by NTP agree to
// well within it, and a body recorded by someone on the path is useless
// after it. Within it, replays are caught by remembering signatures.
const webhookSkew = 5 * time.Minute

// maxSeenWebhooks bounds the signatures remembered (about 10 MB): a
// gateway sends far fewer than this within twice webhookSkew. Should it
// fill, the oldest is forgotten first.
const maxSeenWebhooks = 50_000

// webhookMAC is the hex HMAC-SHA256 that a gateway sends in
// X-Siaga-Signature: over the timestamp, a dot and the raw body, so that
// neither can be changed without the other.
func webhookMAC(secret []byte, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// validSignature checks header against the MAC of timestamp and body, and
// returns the MAC: the identity of this signed body.
func validSignature(secret []byte, timestamp string, body []byte, header string) ([]byte, bool) {
	if len(secret) == 0 {
		return nil, false
	}
	got, err := hex.DecodeString(strings.TrimSpace(header))
	if err != nil || len(got) != sha256.Size {
		return nil, false
	}
	want := webhookMAC(secret, timestamp, body)
	return want, hmac.Equal(got, want)
}

// fresh reports whether timestamp (Unix seconds) is within webhookSkew of
// now, and returns it.
func fresh(timestamp string, now time.Time) (time.Time, bool) {
	sec, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	at := time.Unix(sec, 0)
	d := now.Sub(at)
	return at, d <= webhookSkew && d >= -webhookSkew
}

// seenMACs remembers the signatures of accepted webhook bodies until their
// timestamps are too old to be accepted anyway. Its zero value is ready;
// it is safe for concurrent use.
type seenMACs struct {
	mu    sync.Mutex
	byMAC map[string]*list.Element // → seenMAC
	order *list.List               // by arrival
}

type seenMAC struct {
	mac     string
	expires time.Time
}

// first records mac, signed at at, and reports whether it is new.
func (s *seenMACs) first(mac []byte, at, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byMAC == nil {
		s.byMAC, s.order = map[string]*list.Element{}, list.New()
	}
	for e := s.order.Front(); e != nil; e = s.order.Front() {
		if v := e.Value.(seenMAC); now.Before(v.expires) && len(s.byMAC) < maxSeenWebhooks {
			break
		}
		s.forget(e)
	}
	key := string(mac)
	if _, ok := s.byMAC[key]; ok {
		return false
	}
	// Past this the timestamp itself is refused as stale.
	s.byMAC[key] = s.order.PushBack(seenMAC{mac: key, expires: at.Add(webhookSkew)})
	return true
}

func (s *seenMACs) forget(e *list.Element) {
	delete(s.byMAC, e.Value.(seenMAC).mac)
	s.order.Remove(e)
}
