package bench

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/deskpemilu/siaga"
)

// peakRSSMB is this process's peak resident set in MiB, or -1 where /proc
// is not available.
func peakRSSMB() float64 { return vmHWM("/proc/self/status") }

// vmHWM reads the peak resident set (VmHWM) in MiB from a /proc status file.
func vmHWM(path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
		if err != nil {
			return -1
		}
		return float64(kb) / 1024
	}
	return -1
}

// dirSizeMB is the size of the files under dir in MiB (the SQLite database
// with its WAL); 0 for a PostgreSQL deployment, whose data lives elsewhere.
func dirSizeMB(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// enrolAll enrols one device of role for each TPS code, a few at a time:
// enrolment is setup, not part of any measurement.
func enrolAll(ctx context.Context, srv *server, codes []string, role siaga.Role) (map[string]device, error) {
	out := make(map[string]device, len(codes))
	var mu sync.Mutex
	res := runLoad(ctx, 8, len(codes), func(ctx context.Context, i int) error {
		d, err := srv.enrol(ctx, codes[i], role)
		if err != nil {
			return err
		}
		mu.Lock()
		out[codes[i]] = d
		mu.Unlock()
		return nil
	})
	if res.failed > 0 || len(out) < len(codes) {
		return nil, fmt.Errorf("enrolled %d of %d %s devices: %v", len(out), len(codes), role, res.errs)
	}
	return out, nil
}
