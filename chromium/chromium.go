// Package chromium starts Debian's Chromium headless, the one way every
// browser test and the field benchmark drive it.
package chromium

import (
	"context"
	"os"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package puts the browser.
const Path = "/usr/bin/chromium"

// Installed returns an error when the browser is not there.
func Installed() error {
	_, err := os.Stat(Path)
	return err
}

// Start launches a headless browser with a profile folder, a window size
// and any extra options (a fake camera, say), and returns its context. Background networking, component updates
// and sync are off because this machine reaches no internet and Chromium
// would keep trying; the sandbox is off because tests and CI run as root.
func Start(parent context.Context, profile string, width, height int, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	opts = append(opts, extra...)
	actx, cancelA := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	return ctx, func() { cancelC(); cancelA() }
}

// FakeCamera makes getUserMedia answer, without asking, with a camera that
// plays the Y4M video at path in a loop: how a test shows a phone's camera
// a QR code.
func FakeCamera(path string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", path),
	}
}
