package relay

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary scanned texts (one per line) to the decoder:
// it must never panic, never return a message of more than MaxMessage
// bytes nor more than MaxRequestInflated in all, and what it accepts must
// encode and decode back to itself.
func FuzzDecode(f *testing.F) {
	ppwp := []byte(`{"contest":"ppwp","device":"d1","form":{"administrasi":{"suara_sah":6},"suara":{"pilihan":{"01":1,"02":2,"03":3}}},"id":"x","signature":"c2ln","source":"kpps","tps":"3601012001001"}`)
	one, _ := Encode(ppwp)
	many, _ := Encode(bytes.Repeat(ppwp, 20))
	f.Add(strings.Join(one, "\n"))
	f.Add(strings.Join(many, "\n"))
	f.Add(strings.Join(append(many[1:], many[0]), "\n"))
	f.Add(strings.Join(handMade(f, bytes.Repeat([]byte(" "), MaxMessage+1)), "\n"))
	f.Add(strings.Join(append(handMade(f, spaces(MaxChunkInflated, 1)), handMade(f, bomb(2))...), "\n"))
	f.Add(strings.Join(handMade(f, formLike(MaxMessage)), "\n"))
	f.Add("SGA1:00000000:1/1:")
	f.Add("SGA1:0000000G:1/1:00")
	f.Add("SGA1:00000000:64/64:ZZZ")
	f.Add("SGA1:00000000:1/1:" + strings.Repeat(":", 600))
	f.Fuzz(func(t *testing.T, text string) {
		msgs, err := DecodeAll(strings.Split(text, "\n"))
		if err != nil {
			return
		}
		total := 0
		for _, m := range msgs {
			if len(m) == 0 || len(m) > MaxMessage {
				t.Fatalf("accepted a message of %d bytes", len(m))
			}
			if total += len(m); total > MaxRequestInflated {
				t.Fatalf("accepted %d bytes in all", total)
			}
			chunks, err := Encode(m)
			if err != nil {
				// Random input may decode yet be too incompressible for
				// MaxChunks at our compression; that is a limit, not a bug.
				continue
			}
			back, err := Decode(chunks)
			if err != nil || !bytes.Equal(back, m) {
				t.Fatalf("re-encoding an accepted message: %v", err)
			}
		}
	})
}
