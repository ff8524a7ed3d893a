package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/simulate"
)

// fieldFlags are the field benchmark's own flags.
type fieldFlags struct {
	photos  int           // photos per submission
	photoPx int           // long edge of the camera's JPEG, before the app compresses it
	kbit    int           // link rate each way; 0 = unthrottled
	latency time.Duration // per request
}

func (f *fieldFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.photos, "photos", 0, "photos (form pages) per submission (field)")
	fs.IntVar(&f.photoPx, "photo-px", 2000, "long edge in pixels of the camera photo the app compresses (field)")
	fs.IntVar(&f.kbit, "kbit", 50, "link rate in kbit/s each way during the sync, 0 = unthrottled (field; 2G: 50)")
	fs.DurationVar(&f.latency, "latency", 300*time.Millisecond, "latency per request during the sync (field; 2G: 300ms)")
}

// fieldReport is the field app against the issue's targets.
type fieldReport struct {
	machine
	TPS string `json:"tps"`

	FirstLoadBytes     int64 `json:"first_load_bytes"`      // up and down, on the wire, incl. the service worker's precache
	FirstLoadBytesDown int64 `json:"first_load_bytes_down"` // of which from the server
	FirstLoadPageBytes int64 `json:"first_load_page_bytes"` // Chromium's encodedDataLength of the page's responses (not the worker's)
	FirstLoadTarget    int64 `json:"first_load_target_bytes"`
	FirstLoadOK        bool  `json:"first_load_ok"`

	SubmissionBytes     int64 `json:"submission_bytes"` // the largest ppwp submission: request and answer
	SubmissionBytesUp   int64 `json:"submission_bytes_up"`
	SubmissionBytesDown int64 `json:"submission_bytes_down"`
	SubmissionTarget    int64 `json:"submission_target_bytes"`
	SubmissionOK        bool  `json:"submission_ok"`

	Submissions int     `json:"submissions"`
	Photos      int     `json:"photos"`
	PhotoKB     float64 `json:"photo_kb"` // mean size after the app's compression
	Link        string  `json:"link"`
	SyncS       float64 `json:"sync_2g_s"`
	NumbersS    float64 `json:"numbers_2g_s"` // until the server held every count, photos aside
	BytesUp     int64   `json:"bytes_up"`
	BytesDown   int64   `json:"bytes_down"`
	UpKbitS     float64 `json:"up_kbit_s"` // achieved, over the whole sync
}

const (
	firstLoadTarget  = 300 << 10
	submissionTarget = 2 << 10
)

// runField measures the field app in headless Chromium against a real
// node: the cold first load, a ppwp submission on the wire, and the time
// a phone takes to empty an outbox of n submissions (and their photos)
// over a throttled link once the server is back.
func runField(ctx context.Context, o options) (any, error) {
	if o.n < 1 || o.field.photos < 0 || o.field.photoPx < 200 || o.field.kbit < 0 {
		return nil, errors.New("-n must be at least 1, -photos and -kbit not negative, -photo-px at least 200")
	}
	srv, err := newFieldServer(ctx, o)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	tps, err := pickTPS(srv, o.province)
	if err != nil {
		return nil, err
	}
	forms, err := ppwpForms(tps.DPT, o.n)
	if err != nil {
		return nil, err
	}
	p, err := openPhone(ctx)
	if err != nil {
		return nil, err
	}
	defer p.close()

	r := fieldReport{machine: machineInfo(o), TPS: tps.Code, FirstLoadTarget: firstLoadTarget, SubmissionTarget: submissionTarget, Submissions: o.n}
	if err := firstLoad(ctx, srv, p, tps.Code, &r); err != nil {
		return nil, err
	}
	if err := srv.stop(); err != nil {
		return nil, fmt.Errorf("stopping the server: %w", err)
	}
	sizes, err := queue(p, forms, o.field)
	if err != nil {
		return nil, err
	}
	if err := sync2G(ctx, srv, p, o, &r); err != nil {
		return nil, err
	}
	if err := checkStored(ctx, srv, tps.Code, o.n, o.field.photos); err != nil {
		return nil, err
	}
	if err := srv.stop(); err != nil {
		return nil, fmt.Errorf("stopping the server: %w", err)
	}
	r.Photos = len(sizes)
	if len(sizes) > 0 {
		var sum int
		for _, s := range sizes {
			sum += s
		}
		r.PhotoKB = round1(float64(sum) / float64(len(sizes)) / 1024)
	}
	submissionBytes(srv.log(), &r)
	return r, nil
}

// pickTPS takes the province's first TPS with a realistic register.
func pickTPS(srv *fieldServer, province string) (siaga.TPS, error) {
	for _, t := range srv.n.Regions.TPSOf(province) {
		if t.DPT >= 150 {
			return t, nil
		}
	}
	return siaga.TPS{}, fmt.Errorf("no TPS with at least 150 voters in province %s", province)
}

// firstLoad opens the operator's enrolment link in a fresh browser, counts
// what it takes until the app is installed (the service worker controls
// the page, so the whole app is cached), then enrols.
func firstLoad(ctx context.Context, srv *fieldServer, p *phone, tps string, r *fieldReport) error {
	u, err := srv.n.Auth.CreateUser(ctx, "bench-operator", "Operator", "bench-password-not-secret", siaga.RoleKPUProv, tps[:2])
	if err != nil {
		return fmt.Errorf("creating the operator: %w", err)
	}
	codes, err := srv.n.Auth.IssueEnrolments(ctx, u, []string{tps}, siaga.RoleKPPS, time.Hour)
	if err != nil {
		return fmt.Errorf("issuing an enrolment code: %w", err)
	}
	up0, down0 := srv.read.Load(), srv.written.Load()
	link := auth.EnrolmentURI(codes[0], srv.url()+"/lapangan")
	if err := p.do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#code`))); err != nil {
		return fmt.Errorf("opening %s: %w", link, err)
	}
	if err := p.waitFor("the service worker", `navigator.serviceWorker.controller !== null && document.readyState === "complete"`, 30*time.Second); err != nil {
		return err
	}
	if err := quiet(ctx, srv); err != nil {
		return err
	}
	up, down := srv.read.Load()-up0, srv.written.Load()-down0
	r.FirstLoadBytes, r.FirstLoadBytesDown, r.FirstLoadPageBytes = up+down, down, p.received()
	r.FirstLoadOK = r.FirstLoadBytes <= firstLoadTarget && r.FirstLoadPageBytes <= firstLoadTarget

	if err := p.do(chromedp.Click(chromedp.CSS(`#enrol-send`))); err != nil {
		return fmt.Errorf("enrolling: %w", err)
	}
	return p.waitFor("the contest list", `document.querySelectorAll("a.contest").length > 0`, 30*time.Second)
}

// quiet waits until the server has seen no bytes for half a second: the
// browser may still fetch the manifest or an icon after the page is up.
func quiet(ctx context.Context, srv *fieldServer) error {
	last, since := srv.read.Load()+srv.written.Load(), time.Now()
	for time.Since(since) < 500*time.Millisecond {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if n := srv.read.Load() + srv.written.Load(); n != last {
			last, since = n, time.Now()
		}
	}
	return nil
}

// queue fills the outbox while the server is down and reloads the app
// with no server, as the officer reopening it in the blank spot.
func queue(p *phone, forms []map[string]any, f fieldFlags) ([]int, error) {
	if f.photos > 0 {
		dir, err := os.MkdirTemp("", "siaga-bench-photo-")
		if err != nil {
			return nil, fmt.Errorf("creating a photo folder: %w", err)
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "halaman.jpg")
		if err := writeFormPhoto(path, f.photoPx, 1); err != nil {
			return nil, err
		}
		if _, err := eval[bool](p, addPhotoInput); err != nil {
			return nil, err
		}
		if err := p.do(chromedp.SetUploadFiles(chromedp.CSS(`#bench-photo`), []string{path}, chromedp.NodeReady)); err != nil {
			return nil, fmt.Errorf("choosing the photo: %w", err)
		}
	}
	cfg, err := json.Marshal(map[string]any{"forms": forms, "photos": f.photos})
	if err != nil {
		return nil, err
	}
	sizes, err := eval[[]int](p, fmt.Sprintf(queueScript, cfg))
	if err != nil {
		return nil, fmt.Errorf("queueing submissions: %w", err)
	}
	if err := p.do(chromedp.Reload()); err != nil {
		return nil, fmt.Errorf("reloading the app offline: %w", err)
	}
	cond := fmt.Sprintf(`document.querySelectorAll('#outbox li[data-state="menunggu"]').length === %d && navigator.serviceWorker.controller !== null`, len(forms))
	return sizes, p.waitFor("the outbox after an offline reload", cond, 60*time.Second)
}

// sync2G restarts the server, gives the page its slow link and times the
// outbox emptying: from the online event (the phone finding signal) until
// every item shows its receipt and every photo is sent.
func sync2G(ctx context.Context, srv *fieldServer, p *phone, o options, r *fieldReport) error {
	if err := srv.start(ctx); err != nil {
		return fmt.Errorf("restarting the server: %w", err)
	}
	rate := float64(o.field.kbit) * 1000 / 8
	if err := p.throttle(rate, o.field.latency); err != nil {
		return err
	}
	r.Link = fmt.Sprintf("%d kbit/s each way, %v per request", o.field.kbit, o.field.latency)
	if o.field.kbit == 0 {
		r.Link = fmt.Sprintf("unthrottled, %v per request", o.field.latency)
	}
	up0, down0 := srv.read.Load(), srv.written.Load()
	start := time.Now()
	numbers := watchNumbers(ctx, srv, r.TPS, o.n)
	if _, err := eval[bool](p, `dispatchEvent(new Event("online"))`); err != nil {
		return err
	}
	cond := fmt.Sprintf(`(() => { const s = %s; return (s.items === %d && s.received === s.items && s.photosDone) || s.refused > 0; })()`, syncState, o.n)
	wait := time.Hour
	if d, ok := ctx.Deadline(); ok {
		wait = time.Until(d)
	}
	if err := p.waitFor("the outbox to empty", cond, wait); err != nil {
		return err
	}
	elapsed := time.Since(start)
	r.BytesUp, r.BytesDown = srv.read.Load()-up0, srv.written.Load()-down0
	st, err := eval[struct{ Items, Received, Refused int }](p, syncState)
	if err != nil {
		return err
	}
	if st.Refused > 0 {
		page, _ := eval[string](p, `document.getElementById("outbox").innerText.slice(0, 2000)`)
		return fmt.Errorf("%d of %d submissions refused:\n%s", st.Refused, st.Items, page)
	}
	r.SyncS = round1(elapsed.Seconds())
	r.NumbersS = round1(numbers().Sub(start).Seconds())
	r.UpKbitS = round1(float64(r.BytesUp) * 8 / 1000 / elapsed.Seconds())
	return nil
}

// watchNumbers notes when the node first holds n versions of the TPS: the
// counts are in, whatever photos are still on their way. The returned
// func waits for that moment (it has come once the outbox is empty).
func watchNumbers(ctx context.Context, srv *fieldServer, tps string, n int) func() time.Time {
	done := make(chan time.Time, 1)
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			if vs, err := srv.n.Results.History(ctx, tps); err == nil && len(vs) >= n {
				done <- time.Now()
				return
			}
			select {
			case <-ctx.Done():
				done <- time.Now()
				return
			case <-tick.C:
			}
		}
	}()
	return func() time.Time { return <-done }
}

// checkStored asks the node (in-process, off the wire) whether it holds n
// versions of the TPS's ppwp form, each with all its photos.
func checkStored(ctx context.Context, srv *fieldServer, tps string, n, photos int) error {
	vs, err := srv.n.Results.History(ctx, tps)
	if err != nil {
		return fmt.Errorf("reading what the server holds: %w", err)
	}
	if len(vs) != n {
		return fmt.Errorf("the server holds %d versions of %s, want %d", len(vs), tps, n)
	}
	for _, v := range vs {
		if photos == 0 {
			continue
		}
		rec := httptest.NewRecorder()
		srv.n.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/submissions/"+v.Submission+"/photos", nil))
		var got struct{ Received, Expected int }
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
			return fmt.Errorf("photos of %s: status %d", v.Submission, rec.Code)
		}
		if got.Received != photos || got.Expected != photos {
			return fmt.Errorf("the server holds %d of %d photos of %s, want %d", got.Received, got.Expected, v.Submission, photos)
		}
	}
	return nil
}

// submissionBytes takes the largest ppwp submission the server stored:
// the later ones are corrections, a few bytes longer for their reason.
func submissionBytes(log []exchange, r *fieldReport) {
	for _, e := range log {
		if e.method == http.MethodPost && e.path == "/api/v1/submissions" && e.status == http.StatusCreated && e.up+e.down > r.SubmissionBytes {
			r.SubmissionBytes, r.SubmissionBytesUp, r.SubmissionBytesDown = e.up+e.down, e.up, e.down
		}
	}
	r.SubmissionOK = r.SubmissionBytes > 0 && r.SubmissionBytes <= submissionTarget
}

// ppwpForms makes n different, consistent ppwp forms for a TPS of dpt
// voters, so that no correction is a replay of the version before.
func ppwpForms(dpt, n int) ([]map[string]any, error) {
	sah := min(208, dpt*3/4)
	var forms []map[string]any
	for x := sah / 4; x <= sah && len(forms) < n; x++ {
		for c := 0; c <= min(30, sah-x) && len(forms) < n; c++ {
			forms = append(forms, map[string]any{
				"administrasi": simulate.CleanAdmin(dpt, sah),
				"suara":        map[string]any{"pilihan": map[string]int{"01": x, "02": sah - x - c, "03": c}, "partai": map[string]any{}},
			})
		}
	}
	if len(forms) < n {
		return nil, fmt.Errorf("-n %d is more forms than the bench can vary", n)
	}
	return forms, nil
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
