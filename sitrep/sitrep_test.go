package sitrep_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// The tests share one Banten node (opening one takes seconds); each
// test reads what it made, or counts over a period of its own.

// clock is the node's clock, moved by the tests.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time  { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) set(t time.Time) { c.t.Store(t.UnixNano()) }

// wib is a moment of February 2024 in WIB.
func wib(d, h, m int) time.Time { return time.Date(2024, 2, d, h, m, 0, 0, siaga.WIB) }

func sitrepNode(t *testing.T) (*node.Node, *clock) {
	t.Helper()
	c := &clock{}
	// Before 06:00: the node's schedule stores nothing until a test
	// moves the clock (and it waits five minutes before its first check).
	c.set(wib(11, 5, 0))
	n := nodetest.Open(t, func(cfg *node.Config) { cfg.Now = c.now })
	return n, c
}

// incident stores one report as the incident store holds it.
func incident(t *testing.T, n *node.Node, in siaga.Incident) int64 {
	t.Helper()
	in.Channel, in.ReportedAt, in.UpdatedAt, in.Version = siaga.ChannelWeb, in.OccurredAt, in.OccurredAt, 1
	if in.Status == "" {
		in.Status = siaga.IncidentVerified
	}
	if in.Severity == "" {
		in.Severity = siaga.SeverityMedium
	}
	if in.Text == "" {
		in.Text = in.Title
	}
	step := &siaga.IncidentStep{At: in.OccurredAt, Kind: siaga.StepReported, Status: in.Status, ByName: "uji"}
	if err := n.Store.CreateIncident(context.Background(), &in, step); err != nil {
		t.Fatal(err)
	}
	return in.ID
}

func TestSitrep(t *testing.T) {
	n, c := sitrepNode(t)
	ctx := context.Background()
	desa := func(kab string) string {
		for _, tp := range n.Registry.TPS {
			if strings.HasPrefix(tp.Code, kab) {
				return tp.Desa
			}
		}
		t.Fatalf("no TPS in %s", kab)
		return ""
	}
	pandeglang, serang := desa("3601"), desa("3673")
	const script = `<script>alert("x")</script> bentrok`
	head := incident(t, n, siaga.Incident{Category: siaga.IncidentMoneyPolitic, OccurredAt: wib(14, 1, 0), Region: pandeglang,
		Title: "Pembagian amplop", Lat: -6.31, Lon: 106.1})
	for _, in := range []siaga.Incident{
		// A duplicate of head: one group, counted once.
		{Category: siaga.IncidentMoneyPolitic, OccurredAt: wib(14, 1, 20), Region: pandeglang, Title: "Amplop lagi", DuplicateOf: head},
		{Category: siaga.IncidentViolence, Severity: siaga.SeverityCritical, OccurredAt: wib(14, 2, 0), Region: serang,
			Title: script, Lat: -6.12, Lon: 106.15, Status: siaga.IncidentAssigned, Agency: siaga.AgencyPolri},
		{Category: siaga.IncidentViolence, Severity: siaga.SeverityHigh, OccurredAt: wib(13, 20, 0), Region: serang, Title: "Lempar batu"},
		// Rejected: in the statuses only.
		{Category: siaga.IncidentHoax, OccurredAt: wib(14, 3, 0), Region: serang, Title: "Kabar bohong", Status: siaga.IncidentRejected, Reason: "hoaks"},
		// Before the period (24 hours before 06:00 on the 14th).
		{Category: siaga.IncidentLogistics, OccurredAt: wib(12, 23, 0), Region: serang, Title: "Kotak terlambat"},
	} {
		incident(t, n, in)
	}

	t.Run("Build", func(t *testing.T) {
		rep, err := n.Sitrep.Build(ctx, "36", wib(14, 6, 0))
		if err != nil {
			t.Fatal(err)
		}
		in := rep.Incidents
		if in == nil {
			t.Fatal("no incident section")
		}
		count := func(l []siaga.SitrepCount) map[string]int {
			m := map[string]int{}
			for _, c := range l {
				if c.Count > 0 {
					m[c.Key] = c.Count
				}
			}
			return m
		}
		tests := []struct {
			name string
			got  any
			want any
		}{
			{"total", in.Total, 3},
			{"by category", count(in.ByCategory), map[string]int{"politik_uang": 1, "kekerasan": 2}},
			{"by region", count(in.ByRegion), map[string]int{"3601": 1, "3673": 2}},
			{"by status", count(in.ByStatus), map[string]int{"terverifikasi": 2, "ditugaskan": 1, "ditolak": 1}},
			{"severe, newest first", titles(in.Severe), []string{script, "Lempar batu"}},
			{"incident points", len(points(rep, "insiden")), 2},
			{"results on voting day", rep.Results != nil, true},
			{"readiness", rep.Readiness != nil && rep.Readiness.TPS == len(n.Registry.TPS), true},
			// The node wires every source (node/sitrep.go): no section says "not available".
			{"every source wired", []bool{rep.Alerts != nil, rep.OverdueCases != nil, rep.OverdueActions != nil}, []bool{true, true, true}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, tt.got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
		if r := rep.Results; r != nil && (r.TPS != len(n.Registry.TPS) || r.Missing != r.TPS || len(r.MissingTPS) == 0) {
			t.Errorf("results: %d TPS, %d missing, list head %d, want every TPS missing", r.TPS, r.Missing, len(r.MissingTPS))
		}
		before, err := n.Sitrep.Build(ctx, "36", wib(13, 6, 0))
		if err != nil {
			t.Fatal(err)
		}
		if before.Results != nil {
			t.Error("the day before voting has a results section")
		}
		if before.Incidents.Total != 1 {
			t.Errorf("13 Feb 06:00: %d incidents, want 1 (12 Feb 23:00; the later ones are after the period)", before.Incidents.Total)
		}
		kab, err := n.Sitrep.Build(ctx, "3673", wib(14, 6, 0))
		if err != nil {
			t.Fatal(err)
		}
		if kab.Incidents.Total != 2 {
			t.Errorf("Kota Serang: %d incidents, want 2", kab.Incidents.Total)
		}
		if _, err := n.Sitrep.Build(ctx, "99", wib(14, 6, 0)); siaga.ErrorCode(err) != siaga.ENotFound {
			t.Errorf("unknown region: %v, want not found", err)
		}
	})

	t.Run("PDF", func(t *testing.T) {
		needPoppler(t)
		start := time.Now()
		rep, err := n.Sitrep.Build(ctx, "36", wib(14, 6, 0))
		if err != nil {
			t.Fatal(err)
		}
		built := time.Since(start)
		var buf bytes.Buffer
		if err := n.Sitrep.PDF(&buf, rep); err != nil {
			t.Fatal(err)
		}
		t.Logf("Banten: built in %v, printed in %v (%d bytes)", built, time.Since(start)-built, buf.Len())
		if out := os.Getenv("SIAGA_SITREP_OUT"); out != "" {
			_ = os.WriteFile(out, buf.Bytes(), 0o600) // to look at it
		}
		text := pdfText(t, buf.Bytes())
		for _, want := range []string{"LAPORAN SITUASI DESK PEMILU PROVINSI BANTEN", "14 Februari 2024 06.00 WIB", "Kesiapan", "Peta",
			"Logistik", "Insiden", "Peringatan dini", "Perkara Gakkumdu", "Tindak lanjut rapat", "Hasil",
			"Menurut kategori", "Politik uang", `<script>alert("x")</script>`} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		before, err := n.Sitrep.Build(ctx, "36", wib(13, 6, 0))
		if err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		if err := n.Sitrep.PDF(&buf, before); err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, buf.Bytes()); strings.Contains(text, "Hasil") {
			t.Error("the report before voting day has a Hasil section")
		}
	})

	t.Run("Morning", func(t *testing.T) {
		kabs := len(n.Regions.Children("36"))
		steps := []struct {
			name string
			now  time.Time
			want int // reports stored by the tick
		}{
			{"before 06:00", wib(12, 5, 59), 0},
			{"06:00 the province and each kab/kota", wib(12, 6, 0), 1 + kabs},
			{"later the same day: nothing again", wib(12, 18, 0), 0},
			{"past midnight, before 06:00", wib(13, 2, 0), 0},
			{"the next morning", wib(13, 6, 5), 1 + kabs},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				c.set(st.now)
				got, err := n.Sitrep.MorningReports(ctx, "36")
				if err != nil {
					t.Fatal(err)
				}
				if got != st.want {
					t.Errorf("stored %d reports, want %d", got, st.want)
				}
			})
		}
		page, err := n.Sitrep.Reports(ctx, siaga.SitrepFilter{Region: "36"})
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, r := range page.Items {
			dates = append(dates, r.Date+" "+r.At.In(siaga.WIB).Format("15:04"))
		}
		if diff := cmp.Diff([]string{"2024-02-13 06:00", "2024-02-12 06:00"}, dates); diff != "" {
			t.Errorf("stored reports (-want +got):\n%s", diff)
		}
		r, err := n.Sitrep.Report(ctx, "36", "2024-02-13")
		if err != nil {
			t.Fatal(err)
		}
		var snap siaga.Sitrep
		if err := json.Unmarshal(r.Snapshot, &snap); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(r.PDF, []byte("%PDF")) || snap.Region.Code != "36" || !snap.At.Equal(wib(13, 6, 0)) {
			t.Errorf("stored report: pdf %q…, snapshot of %s at %v", r.PDF[:min(8, len(r.PDF))], snap.Region.Code, snap.At)
		}

		// The node's schedule: RunMorning checks the clock at every tick,
		// stores the day's reports once, and stops with its context.
		c.set(wib(14, 6, 30))
		run, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); n.Sitrep.RunMorning(run, "36", 5*time.Millisecond) }()
		// The kab/kota come after the province: the last one's report
		// means the tick is done.
		children := n.Regions.Children("36")
		last := children[len(children)-1].Code
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := n.Sitrep.Report(ctx, last, "2024-02-14"); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("RunMorning stored no report of %s on 14 Feb in 60 s", last)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Many ticks on the same morning: still one report a day.
		for range 3 {
			time.Sleep(10 * time.Millisecond)
		}
		stop()
		<-done
		for _, code := range []string{"36", "3601"} {
			page, err := n.Sitrep.Reports(ctx, siaga.SitrepFilter{Region: code})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 3 {
				t.Errorf("%s: %d reports stored, want 3 (12, 13 and 14 Feb)", code, page.Total)
			}
		}
	})
}

func titles(l []siaga.Incident) []string {
	var out []string
	for _, x := range l {
		out = append(out, x.Title)
	}
	return out
}

func points(rep *siaga.Sitrep, kind string) []siaga.SitrepPoint {
	var out []siaga.SitrepPoint
	for _, p := range rep.Points {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// needPoppler skips the test without pdftotext and pdftoppm (Debian's
// poppler-utils), or fails it when SIAGA_REQUIRE_E2E=1, as in CI.
func needPoppler(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				tb.Fatalf("%s not installed (Debian: poppler-utils) and SIAGA_REQUIRE_E2E=1", tool)
			}
			tb.Skipf("%s not installed (Debian: poppler-utils)", tool)
		}
	}
}

// pdfText renders the first page with pdftoppm (it must exist and not be
// blank) and returns the text of every page (pdftotext).
func pdfText(tb testing.TB, b []byte) string {
	tb.Helper()
	dir := tb.TempDir()
	path := filepath.Join(dir, "sitrep.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) != 1 {
		tb.Fatalf("%d pages rendered, want 1", len(pages))
	}
	if ink := inked(tb, pages[0]); ink < 0.01 {
		tb.Errorf("page 1 is nearly blank: %.4f of its pixels inked", ink)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// inked is the share of a PNG's pixels that are not white.
func inked(tb testing.TB, path string) float64 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}
