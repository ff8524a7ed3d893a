package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/deskpemilu/siaga/geo"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each addressed by a hash of its
// content so that browsers may cache it forever and a new binary busts it.
type assets struct {
	files  map[string]asset  // name under static/ → where it is embedded
	hashes map[string]string // name under static/ → short content hash
	// centroids locate regions by code for the map: [lat, lon].
	centroids map[string][2]float64
}

// asset is a file in one of the embedded trees served under /static/.
type asset struct {
	fsys fs.FS
	name string
}

// newAssets serves this package's static/ and, under geo/, the map layers
// of package geo, which owns the boundaries.
func newAssets() (*assets, error) {
	own, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{files: map[string]asset{}, hashes: map[string]string{}}
	if err := a.add(own, ""); err != nil {
		return nil, err
	}
	if err := a.add(geo.MapFiles(), "geo/"); err != nil {
		return nil, err
	}
	a.centroids, err = loadCentroids()
	return a, err
}

// add hashes every file of fsys and serves it under prefix.
func (a *assets) add(fsys fs.FS, prefix string) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.files[prefix+name] = asset{fsys, name}
		a.hashes[prefix+name] = hex.EncodeToString(sum[:6])
		return nil
	})
}

// url is the template func "static": the hashed URL of an asset. An unknown
// name is a bug in a template, so it fails rendering instead of a broken link.
func (a *assets) url(name string) (string, error) {
	h, ok := a.hashes[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return "/static/" + h + "/" + name, nil
}

// ServeHTTP serves GET /static/{hash}/{name...}. A stale hash still gets the
// current file (a page cached across a deploy, or a relative URL inside a
// stylesheet such as Leaflet's images/) but is not cached for long.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	h, ok := a.hashes[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	f := a.files[name]
	b, err := fs.ReadFile(f.fsys, f.name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if strings.HasSuffix(name, ".geojson") {
		ctype = "application/geo+json"
	}
	if ctype != "" {
		w.Header().Set("Content-Type", ctype)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.PathValue("hash") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}
	w.Write(b)
}
