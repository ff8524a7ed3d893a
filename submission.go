package siaga

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// Submission is one count form sent by a device, a user or an importer. The
// client generates ID (a UUID) so that retries from flaky links are
// recognised: the same ID with the same content returns the original receipt.
//
// Field order is alphabetical by JSON name: see CanonicalBytes.
type Submission struct {
	Contest  Contest `json:"contest"`
	Device   string  `json:"device,omitempty"`
	Form     Form    `json:"form"`
	ID       string  `json:"id"`
	Reason   string  `json:"reason,omitempty"`
	Replaces int     `json:"replaces,omitempty"` // version number this corrects; 0 for a first report
	Source   Source  `json:"source"`
	TPS      string  `json:"tps"`

	// Signature is the base64 (standard, padded) Ed25519 signature of
	// CanonicalBytes by the device's key. It is not part of the signed bytes.
	Signature string `json:"signature,omitempty"`
}

// CanonicalBytes is what a device signs and what identifies the content of
// a submission: the JSON encoding without the signature, keys in
// alphabetical order at every level, no insignificant white space, no HTML
// escaping, zero-valued optional fields omitted.
func (s *Submission) CanonicalBytes() []byte {
	canonical, _ := s.Canonical()
	return canonical
}

// Canonical returns CanonicalBytes and, as a sub-slice of it, the
// canonical JSON of the form alone, encoding the form only once: the
// form is most of the bytes and most of the work on the hot path.
func (s *Submission) Canonical() (canonical, form []byte) {
	b := make([]byte, 0, 512)
	b = append(b, `{"contest":`...)
	b = appendString(b, string(s.Contest))
	if s.Device != "" {
		b = append(b, `,"device":`...)
		b = appendString(b, s.Device)
	}
	b = append(b, `,"form":`...)
	at := len(b)
	b = appendForm(b, &s.Form)
	end := len(b)
	b = append(b, `,"id":`...)
	b = appendString(b, s.ID)
	if s.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, s.Reason)
	}
	if s.Replaces != 0 {
		b = append(b, `,"replaces":`...)
		b = strconv.AppendInt(b, int64(s.Replaces), 10)
	}
	b = append(b, `,"source":`...)
	b = appendString(b, string(s.Source))
	b = append(b, `,"tps":`...)
	b = appendString(b, s.TPS)
	b = append(b, '}')
	return b, b[at:end:end]
}

func encodeCanonical(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every field is a plain value or map of plain values: unreachable.
		panic("siaga: encoding submission: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Key identifies the version history a submission belongs to.
type Key struct {
	TPS     string  `json:"tps"`
	Contest Contest `json:"contest"`
	Source  Source  `json:"source"`
}

// Key returns the history key of s.
func (s *Submission) Key() Key { return Key{TPS: s.TPS, Contest: s.Contest, Source: s.Source} }

// Version is one stored, acknowledged form in the history of a Key. Hash
// covers PrevHash and the content so that the history is tamper-evident.
type Version struct {
	Key
	Number      int       `json:"version"`
	Submission  string    `json:"submission"`
	Form        Form      `json:"form"`
	Rules       []string  `json:"rules"`
	Author      string    `json:"author"`
	Reason      string    `json:"reason,omitempty"`
	ContentHash string    `json:"content_hash"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
	ReceivedAt  time.Time `json:"received_at"`

	// FormJSON, when set, is Form.CanonicalBytes(), prepared by whoever
	// had it at hand (the engine cuts it out of the submission's canonical
	// bytes) so that neither the hash nor the store encodes the form again.
	FormJSON []byte `json:"-"`
}

// Receipt acknowledges a durable version.
type Receipt struct {
	Submission string    `json:"submission"`
	TPS        string    `json:"tps"`
	Contest    Contest   `json:"contest"`
	Source     Source    `json:"source"`
	Version    int       `json:"version"`
	Hash       string    `json:"hash"`
	Rules      []string  `json:"rules"`
	ReceivedAt time.Time `json:"received_at"`
}

// Receipt returns the receipt of v.
func (v *Version) Receipt() Receipt {
	rules := v.Rules
	if rules == nil {
		rules = []string{}
	}
	return Receipt{
		Submission: v.Submission, TPS: v.TPS, Contest: v.Contest, Source: v.Source,
		Version: v.Number, Hash: v.Hash, Rules: rules, ReceivedAt: v.ReceivedAt,
	}
}
