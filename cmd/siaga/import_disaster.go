package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/disaster"
)

// importHazards: `siaga import hazards --data DIR --name N [--source S]
// [--date YYYY-MM-DD] [--synthetic] FILE`. The file goes in whole or not
// at all; a bad feature is named with its number and reason, exit 1.
func importHazards(ctx context.Context, args []string, e *env) error {
	fs := flags("import hazards", e)
	cfg := storeFlags(fs)
	name := fs.String("name", "", "the layer's name, e.g. \"Banjir Tangerang Selatan 2024\" (default: the file's name)")
	source := fs.String("source", "", "who drew it, e.g. \"BNPB InaRISK\"")
	date := fs.String("date", "", "the data's date, YYYY-MM-DD")
	synthetic := fs.Bool("synthetic", false, "the zones are made up (a demo or a test): labelled so everywhere")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path, err := oneFile(fs.Args(), "GeoJSON")
	if err != nil {
		return err
	}
	layer := siaga.HazardLayer{Name: *name, Source: *source, Synthetic: *synthetic}
	if layer.Name == "" {
		layer.Name = path
	}
	if *date != "" {
		if layer.Date, err = time.Parse(time.DateOnly, *date); err != nil {
			return siaga.Errorf(siaga.EInvalid, "--date", "%q bukan YYYY-MM-DD", "%q is not YYYY-MM-DD", *date)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return notReadable(path)
	}
	defer f.Close()
	zones, err := disaster.ReadHazards(f, disaster.MaxHazardFile)
	if err != nil {
		return refused(path, err)
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	if err := n.Disaster.ImportHazards(ctx, &layer, zones, "cli"); err != nil {
		return err
	}
	sum := n.Disaster.Summary("")
	fmt.Fprintf(e.stdout, "lapisan %d %q: %d zona; TPS dalam zona: %d dari %d yang berlokasi (layer %d: %d zones; TPS in a zone: %d of %d located)\n",
		layer.ID, layer.Name, len(zones), sum.Located-sum.ByClass[disaster.NoHazard], sum.Located,
		layer.ID, len(zones), sum.Located-sum.ByClass[disaster.NoHazard], sum.Located)
	return nil
}

// importLocations: `siaga import tps-locations --data DIR FILE`, a CSV of
// tps,lat,lon[,address]; one transaction, a bad row named with its row and
// column, exit 1 and nothing stored.
func importLocations(ctx context.Context, args []string, e *env) error {
	fs := flags("import tps-locations", e)
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	path, err := oneFile(fs.Args(), "CSV")
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return notReadable(path)
	}
	defer f.Close()
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	ls, err := n.Disaster.ReadLocations(f, time.Now(), "cli")
	if err != nil {
		return refused(path, err)
	}
	if err := n.Disaster.AddLocations(ctx, ls, "cli"); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d lokasi TPS disimpan (%d TPS locations stored)\n", len(ls), len(ls))
	return nil
}

func oneFile(args []string, what string) (string, error) {
	if len(args) != 1 {
		return "", siaga.Errorf(siaga.EInvalid, "FILE", "sebutkan tepat satu berkas %s", "name exactly one %s file", what)
	}
	return args[0], nil
}

func notReadable(path string) error {
	return siaga.Errorf(siaga.ENotFound, path, "berkas ini tidak ada atau tidak terbaca; tidak ada yang diimpor",
		"no such file, or it cannot be read; nothing was imported")
}

// refused names the file in a refusal and says that nothing was stored.
// The messages already name the feature or the row and column, so the
// field is not printed again.
func refused(path string, err error) error {
	var e *siaga.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", path, err)
	}
	return &siaga.Error{Code: e.Code, Message: path + ": " + e.Message + "; tidak ada yang diimpor",
		MessageEN: path + ": " + e.MessageEN + "; nothing was imported"}
}
