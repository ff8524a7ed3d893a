package sirekap

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Walk parses every record under paths, files or directories walked in
// lexical order (only *.json inside directories), and calls fn with each
// record or the error that kept it from being read. The TPS code is the
// file name; the contest is the path segment after "hhcw" (ppwp when there
// is none), as in KPU's own URLs. Walk stops at fn's first error and
// returns it, so fn decides whether a bad record ends the import.
func Walk(paths []string, tickets map[string]string, fn func(path string, rec *Record, err error) error) error {
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return fn(path, nil, err)
			case d.IsDir():
				return nil
			case path != root && !strings.HasSuffix(path, ".json"):
				return nil
			}
			rec, err := parseFile(path, tickets)
			return fn(path, rec, err)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func parseFile(path string, tickets map[string]string) (*Record, error) {
	contest, err := contestOf(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One byte over the limit is enough for Parse to refuse it.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("sirekap: reading %s: %w", path, err)
	}
	rec, err := Parse(strings.TrimSuffix(filepath.Base(path), ".json"), data, tickets)
	if err != nil {
		return nil, err
	}
	rec.Contest = contest
	return rec, nil
}

// contestNamed maps KPU's path name of a contest to ours. The importer
// reads ticket and DPD charts only: legislative charts count per party and
// need a different reading.
func contestNamed(name string) (siaga.Contest, bool) {
	switch name {
	case "ppwp":
		return siaga.PPWP, true
	case "pdpd", "dpd":
		return siaga.DPD, true
	}
	return "", false
}

func contestOf(path string) (siaga.Contest, error) {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for i, p := range parts[:len(parts)-1] {
		if p != "hhcw" || i+2 >= len(parts) {
			continue
		}
		name := parts[i+1]
		if c, ok := contestNamed(name); ok {
			return c, nil
		}
		return "", siaga.Errorf(siaga.EInvalid, "contest", "Jenis pemilihan %q tidak dapat diimpor",
			"contest %q cannot be imported", name)
	}
	return siaga.PPWP, nil
}
