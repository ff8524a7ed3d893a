// Package chromiumtest gives a test a headless Chromium, or skips it when
// none is installed — unless SIAGA_REQUIRE_E2E=1, as in CI, where a
// missing browser fails the test.
package chromiumtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga/chromium"
)

// Start returns a browser context with a fresh profile, a window of
// width×height and any extra options, cancelled after timeout or when t
// ends.
func Start(t testing.TB, width, height int, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if err := chromium.Installed(); err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatalf("chromium not installed and SIAGA_REQUIRE_E2E=1: %v", err)
		}
		t.Skip("skipped: chromium not installed")
	}
	ctx, cancel := chromium.Start(context.Background(), t.TempDir(), width, height, extra...)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelT(); cancel() })
	return ctx
}
