package http

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each addressed by a hash of its
// content so that browsers may cache it forever and a new binary busts it.
type assets struct {
	files  fs.FS
	hashes map[string]string // name under static/ → short content hash
	// centroids locate regions by code for the map: [lat, lon].
	centroids map[string][2]float64
}

func newAssets() (*assets, error) {
	files, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{files: files, hashes: map[string]string{}}
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[name] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.centroids, err = loadCentroids(files)
	return a, err
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
	b, err := fs.ReadFile(a.files, name)
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
