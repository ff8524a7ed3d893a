package bench

import (
	"context"
	"fmt"
	"github.com/deskpemilu/siaga/chromium"
	"os"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// phone is the field app in a headless Chromium with a fresh profile and a
// cheap phone's screen. It adds up the bytes of every response the page
// received (Chromium's encodedDataLength).
type phone struct {
	ctx     context.Context
	cancel  func()
	profile string

	mu        sync.Mutex
	pageBytes float64
}

func openPhone(ctx context.Context) (*phone, error) {
	if err := chromium.Installed(); err != nil {
		return nil, fmt.Errorf("the field benchmark needs %s: %w", chromium.Path, err)
	}
	profile, err := os.MkdirTemp("", "siaga-bench-chromium-")
	if err != nil {
		return nil, fmt.Errorf("creating a browser profile: %w", err)
	}
	cctx, cancelC := chromium.Start(ctx, profile, 360, 740)
	p := &phone{ctx: cctx, profile: profile, cancel: func() {
		cancelC()
		os.RemoveAll(profile)
	}}
	if err := chromedp.Do(cctx, chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		p.cancel()
		return nil, fmt.Errorf("starting chromium: %w", err)
	}
	if _, err := chromedp.Call(cctx, network.Enable, network.EnableParams{}); err != nil {
		p.cancel()
		return nil, fmt.Errorf("watching the network: %w", err)
	}
	err = chromedp.Listen(cctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			p.mu.Lock()
			p.pageBytes += e.EncodedDataLength
			p.mu.Unlock()
		}
	})
	if err != nil {
		p.cancel()
		return nil, fmt.Errorf("watching the network: %w", err)
	}
	return p, nil
}

func (p *phone) close() { p.cancel() }

func (p *phone) received() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return int64(p.pageBytes)
}

func (p *phone) do(steps ...chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(p.ctx, steps...)
}

// eval evaluates js, awaiting a promise, into a T.
func eval[T any](p *phone, js string) (T, error) {
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, fmt.Errorf("evaluating in the page: %w", err)
	}
	return v, nil
}

// waitFor polls a JavaScript condition until it holds, with the page's
// text in the error when it never does.
func (p *phone) waitFor(what, cond string, timeout time.Duration) error {
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		page, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 2000) : ""`))
		return fmt.Errorf("waiting for %s: %w\npage:\n%s", what, err, page)
	}
	return nil
}

// throttle sets the page's link: bytesPerSecond each way and latency per
// request; zero rate means unthrottled.
func (p *phone) throttle(bytesPerSecond float64, latency time.Duration) error {
	cond := &network.Conditions{Latency: float64(latency.Milliseconds()), DownloadThroughput: bytesPerSecond, UploadThroughput: bytesPerSecond}
	if bytesPerSecond <= 0 {
		cond.DownloadThroughput, cond.UploadThroughput = -1, -1
	}
	_, err := chromedp.Call(p.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{cond},
	})
	if err != nil {
		return fmt.Errorf("throttling the page: %w", err)
	}
	return nil
}
