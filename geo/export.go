package geo

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"

	"github.com/paulmach/orb/geojson"
)

// Writer streams a GeoJSON FeatureCollection one feature at a time, so an
// export of every TPS of the country (820,161 points) never holds the
// whole document in memory. The layer's name goes in the collection's
// "name" member, which GDAL and QGIS take as the layer name. Coordinates
// are written as given (longitude, latitude; RFC 7946).
type Writer struct {
	w    *bufio.Writer
	name string
	n    int
	err  error
}

// NewWriter returns a Writer of a layer called name ("" for none) to w.
func NewWriter(w io.Writer, name string) *Writer {
	return &Writer{w: bufio.NewWriter(w), name: name}
}

// Write appends one feature. A feature that cannot be encoded (a NaN
// coordinate, a property that is not JSON) stops the writer: its error is
// returned now and by every later call.
func (w *Writer) Write(f *geojson.Feature) error {
	if w.err != nil {
		return w.err
	}
	b, err := json.Marshal(f)
	if err != nil {
		w.err = err
		return err
	}
	if w.n == 0 {
		w.header()
	} else {
		w.w.WriteString(",\n")
	}
	w.n++
	_, w.err = w.w.Write(b)
	return w.err
}

func (w *Writer) header() {
	w.w.WriteString(`{"type":"FeatureCollection",`)
	if w.name != "" {
		name, _ := json.Marshal(w.name)
		w.w.WriteString(`"name":`)
		w.w.Write(name)
		w.w.WriteString(",")
	}
	w.w.WriteString("\"features\":[\n")
}

// Close ends the collection and flushes it; it does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.n == 0 {
		w.header()
	}
	w.w.WriteString("\n]}\n")
	if err := w.w.Flush(); err != nil {
		w.err = err
		return err
	}
	w.err = errClosed
	return nil
}

var errClosed = errors.New("geo: writer closed")

// Export writes fc as the layer called name.
func Export(dst io.Writer, name string, fc *geojson.FeatureCollection) error {
	w := NewWriter(dst, name)
	for _, f := range fc.Features {
		if err := w.Write(f); err != nil {
			return err
		}
	}
	return w.Close()
}
