package bench

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
)

// writeFormPhoto writes what a phone's camera makes of a C.Hasil page: a
// 4:3 JPEG whose long edge is px, of lit paper with a printed grid and
// handwritten strokes, with sensor noise. The noise and the strokes keep it
// from compressing like a flat test card, so the app's own compression
// (long edge 1600 px, at most 250 KB) does the work it does on a phone.
func writeFormPhoto(path string, px int, seed int64) error {
	w, h := px, px*3/4
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(px)))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Light falls off towards a corner, as under a lamp.
			light := 235 - 40*(x+y)/(w+h)
			v := light + rng.IntN(13) - 6
			if (x%(w/12) < 2) || (y%(h/30) < 2) {
				v -= 120 // the printed table
			}
			img.Set(x, y, gray(v, 4))
		}
	}
	// Handwriting: short dark strokes in the table's cells.
	for i := 0; i < w*h/900; i++ {
		x, y := rng.IntN(w-40), rng.IntN(h-8)
		dx, dy := 4+rng.IntN(30), rng.IntN(7)-3
		for t := 0; t <= 30; t++ {
			px, py := x+dx*t/30, y+3+dy*t/30
			img.Set(px, py, gray(40+rng.IntN(30), 12))
			img.Set(px, py+1, gray(60+rng.IntN(30), 12))
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating the photo: %w", err)
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 92}); err != nil {
		f.Close()
		return fmt.Errorf("encoding the photo: %w", err)
	}
	return f.Close()
}

// gray is a slightly blue-tinted grey, as paper under a phone's white
// balance.
func gray(v, blue int) color.RGBA {
	c := func(v int) uint8 { return uint8(min(255, max(0, v))) }
	return color.RGBA{c(v), c(v), c(v + blue), 255}
}
