package relay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/chromium/chromiumtest"
	"github.com/deskpemilu/siaga/relay"
)

// page serves the field app's static folder, where relay.js and its
// vendored QR libraries live, and a page that exposes the module as
// window.relay, in a headless Chromium.
func page(t *testing.T) context.Context {
	t.Helper()
	ctx := chromiumtest.Start(t, 800, 600, 60*time.Second)
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("../fieldapp/static"))))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><canvas id="c" width="400"></canvas>
<script type="module">import * as relay from "/static/relay.js"; window.relay = relay; document.body.dataset.ready = "1";</script>`)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+ln.Addr().String()+"/"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="1"]`))); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// eval runs an async JavaScript expression and decodes its result.
func eval[T any](t *testing.T, ctx context.Context, expr string, out *T) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr[:min(len(expr), 80)], err)
	}
	*out = v
}

func jsString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBrowserInterop: what the phone encodes the server decodes, and the
// other way round, byte for byte; and a drawn code scans back.
func TestBrowserInterop(t *testing.T) {
	ctx := page(t)
	withReason := signed(t, siaga.DPR, 18, 12, 11)
	withReason = []byte(strings.Replace(string(withReason), `"id":`, `"reason":"Koreksi — salah jumlah di halaman 2 ✓","id":`, 1))
	messages := map[string][]byte{
		"ppwp":       signed(t, siaga.PPWP, 0, 0, 9),
		"dpr 18×12":  signed(t, siaga.DPR, 18, 12, 10),
		"non-ASCII":  withReason,
		"dprd 18×10": signed(t, siaga.DPRDKab, 18, 10, 12),
	}
	for name, msg := range messages {
		t.Run(name, func(t *testing.T) {
			t.Run("Go to JS", func(t *testing.T) {
				chunks, err := relay.Encode(msg)
				if err != nil {
					t.Fatal(err)
				}
				scanned := append(append([]string{}, chunks...), chunks[0])
				rand.New(rand.NewPCG(3, 4)).Shuffle(len(scanned), func(i, j int) { scanned[i], scanned[j] = scanned[j], scanned[i] })
				var got string
				eval(t, ctx, "relay.decodeChunks("+jsString(scanned)+")", &got)
				if got != string(msg) {
					t.Errorf("JS decoded %d bytes, want the %d bytes Go encoded", len(got), len(msg))
				}
			})
			t.Run("JS to Go", func(t *testing.T) {
				var chunks []string
				eval(t, ctx, "relay.encodeChunks("+jsString(string(msg))+")", &chunks)
				got, err := relay.Decode(chunks)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(msg) {
					t.Errorf("Go decoded %d bytes, want the %d bytes JS encoded", len(got), len(msg))
				}
				goChunks, _ := relay.Encode(msg)
				if len(chunks) != len(goChunks) {
					t.Errorf("JS made %d chunks, Go %d", len(chunks), len(goChunks))
				}
			})
		})
	}

	t.Run("errors", func(t *testing.T) {
		chunks, _ := relay.Encode(messages["dpr 18×12"])
		other, _ := relay.Encode(messages["ppwp"])
		for _, tt := range []struct {
			name   string
			chunks []string
			want   string
		}{
			{"missing", chunks[1:], "chunk 1 of"},
			{"another message", append(append([]string{}, chunks...), other[0]), "more than one message"},
			{"corrupted", append([]string{strings.Replace(chunks[0], chunks[0][40:43], "000", 1)}, chunks[1:]...), "corrupted"},
			{"not a chunk", []string{"hello"}, "not a Siaga relay chunk"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var got string
				eval(t, ctx, "relay.decodeChunks("+jsString(tt.chunks)+").then(() => 'no error', e => e.messageEN)", &got)
				if !strings.Contains(got, tt.want) {
					t.Errorf("error = %q, want %q", got, tt.want)
				}
			})
		}
	})

	t.Run("drawQR scans back", func(t *testing.T) {
		chunks, _ := relay.Encode(messages["dpr 18×12"])
		for i, c := range chunks {
			var res struct {
				Version int    `json:"version"`
				Dark    int    `json:"dark"`
				Text    string `json:"text"`
			}
			eval(t, ctx, `(async () => {
				const c = document.getElementById("c");
				c.width = 400;
				const info = await relay.drawQR(c, `+jsString(c)+`);
				const img = c.getContext("2d").getImageData(0, 0, c.width, c.height);
				let dark = 0;
				for (let i = 0; i < img.data.length; i += 4) if (img.data[i] === 0) dark++;
				return { version: info.version, dark, text: await relay.decodeImage(img) };
			})()`, &res)
			t.Logf("chunk %d: %d characters, QR version %d", i+1, len(c), res.Version)
			if res.Dark == 0 || res.Version < 1 || res.Version > 15 {
				t.Errorf("chunk %d: version %d with %d dark pixels", i+1, res.Version, res.Dark)
			}
			if res.Text != c {
				t.Errorf("chunk %d scanned back as %q", i+1, res.Text)
			}
		}
	})
}
