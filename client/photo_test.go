package client_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/simulate"
)

// recorder passes requests on and notes, for each, the method, the upload
// token sent and the token answered; once cut is set it fails every
// request after the first PATCH that got through, as a phone that loses
// its link, or its process, half-way through a photo.
type recorder struct {
	mu    sync.Mutex
	calls []call
	cut   bool
	ended context.CancelFunc
}

type call struct {
	method, sent, issued string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if r.cut && len(r.calls) > 0 && r.calls[len(r.calls)-1].method == http.MethodPatch {
		r.ended()
		r.mu.Unlock()
		return nil, errors.New("link lost")
	}
	r.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{req.Method, req.Header.Get("Upload-Token"), resp.Header.Get("Upload-Token")})
	return resp, nil
}

// TestPhotoResumesWithItsToken: an outbox run that stops half-way through
// a photo keeps the upload token in its item, and the next run declares
// with it and goes on from the server's offset under the same token.
func TestPhotoResumesWithItsToken(t *testing.T) {
	ctx := context.Background()
	site := nodetest.Start(t, nil)
	n, url := site.Node, site.URL
	devices, tpsIndex := enrolPhones(t, site, 1)
	dev := devices[0]
	report, _ := reportAndCorrection(t, n, simulate.New(n.Registry, n.Election, simulate.Config{Seed: 3}), tpsIndex[0], siaga.PPWP, dev.Role.SubmitSource())
	dev.Sign(report)
	// Three chunks that start as a JPEG does: the server checks the
	// magic and the hash, not the picture.
	jpeg := make([]byte, client.PhotoChunk*3-7)
	for i := range jpeg {
		jpeg[i] = byte(i * 7)
	}
	copy(jpeg, []byte{0xFF, 0xD8, 0xFF, 0xE0})

	rec := &recorder{cut: true}
	box := &client.Outbox{Client: &client.Client{BaseURL: url, HTTP: &http.Client{Transport: rec}}, Workers: 1}
	box.Add(report)
	box.AddPhoto(dev, report.ID, 1, 1, jpeg)
	runCtx, cancel := context.WithCancel(ctx)
	rec.ended = cancel
	if err := box.Run(runCtx); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v, want it cut off", err)
	}
	items := box.Items()
	kept := items[1].Photo.Token
	if items[0].State != client.Received || items[1].State == client.Received || kept == "" {
		t.Fatalf("after the first run: numbers %s, photo %s with token %q; want the numbers received and the photo's token kept",
			items[0].State, items[1].State, kept)
	}

	rec.mu.Lock()
	rec.cut, rec.calls = false, nil
	rec.mu.Unlock()
	if err := box.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if it := box.Items()[1]; it.State != client.Received {
		t.Fatalf("photo after the second run: %s %v", it.State, it.Reason)
	}
	patches := 0
	for _, c := range rec.calls {
		switch {
		case c.method == http.MethodPost && (c.sent != kept || c.issued != ""):
			t.Errorf("declared again with token %q and was issued %q; want the kept token %q and no new one", c.sent, c.issued, kept)
		case c.method == http.MethodPatch:
			patches++
			if c.sent != kept {
				t.Errorf("PATCH with token %q, want %q", c.sent, kept)
			}
		}
	}
	if patches != 2 {
		t.Errorf("%d PATCHes after resuming, want the 2 chunks the server did not have", patches)
	}
}
