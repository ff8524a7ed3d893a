package bench

import (
	"os"
	"testing"

	"github.com/deskpemilu/siaga/chromium"
)

// TestField runs the field benchmark at its smallest: two queued
// submissions with a small photo each, synced over the 2G profile.
func TestField(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node and Chromium")
	}
	if err := chromium.Installed(); err != nil {
		if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
			t.Fatal("chromium not installed and SIAGA_REQUIRE_E2E=1")
		}
		t.Skip("skipped: chromium not installed")
	}
	got := runJSON(t, "field", "-n", "2", "-photos", "1", "-photo-px", "320")
	wantFields(t, got, "go_version", "cpus", "date", "first_load_bytes", "first_load_target_bytes",
		"submission_bytes", "sync_2g_s", "numbers_2g_s", "bytes_up", "photo_kb")
	for _, f := range []string{"first_load_ok", "submission_ok"} {
		if got[f] != true {
			t.Errorf("%s = %v, want true: %v", f, got[f], got)
		}
	}
	if got["submissions"] != 2.0 || got["photos"] != 2.0 {
		t.Errorf("submissions %v, photos %v, want 2 and 2", got["submissions"], got["photos"])
	}
	// Physics: the link carried the photos, so it cannot have beaten
	// 50 kbit/s.
	if up := got["up_kbit_s"].(float64); up <= 0 || up > 50 {
		t.Errorf("achieved %v kbit/s up on a 50 kbit/s link", up)
	}
	// The counts arrive before their photos finish.
	if n, all := got["numbers_2g_s"].(float64), got["sync_2g_s"].(float64); n <= 0 || n >= all {
		t.Errorf("counts in after %v s, everything after %v s: want the counts first", n, all)
	}
}
