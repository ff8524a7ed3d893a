package fieldapp_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
)

// The fake camera's video: 640×480 grey frames, ten a second. Chromium
// reads the header when it lists its cameras and the frames when a page
// opens one, so a phone can start with a blank video and be shown the QR
// codes later.
const (
	camW, camH   = 640, 480
	framesPerQR  = 10
	y4mHeader    = "YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n"
	qrFrameInset = 40 // white border around the code, in pixels
)

// writeCameraVideo writes the Y4M video a fake camera plays in a loop:
// each PNG data URL held for a second, or one blank frame when there is
// none yet.
func writeCameraVideo(t *testing.T, path string, dataURLs []string) {
	t.Helper()
	var out bytes.Buffer
	out.WriteString(y4mHeader)
	if len(dataURLs) == 0 {
		writeFrame(&out, nil)
	}
	for _, u := range dataURLs {
		img := decodeDataURL(t, u)
		for range framesPerQR {
			writeFrame(&out, img)
		}
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func decodeDataURL(t *testing.T, u string) image.Image {
	t.Helper()
	_, b64, ok := strings.Cut(u, ",")
	if !ok {
		t.Fatalf("not a data URL: %.40s", u)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("decoding a QR image: %v", err)
	}
	return img
}

// writeFrame writes one 4:2:0 frame: the image scaled to fit (nearest
// neighbour keeps the modules sharp) on white, chroma neutral.
func writeFrame(out *bytes.Buffer, img image.Image) {
	luma := bytes.Repeat([]byte{255}, camW*camH)
	if img != nil {
		b := img.Bounds()
		side := min(camW, camH) - 2*qrFrameInset
		scale := float64(side) / float64(max(b.Dx(), b.Dy()))
		w, h := int(float64(b.Dx())*scale), int(float64(b.Dy())*scale)
		x0, y0 := (camW-w)/2, (camH-h)/2
		for y := range h {
			for x := range w {
				luma[(y0+y)*camW+x0+x] = grey(img, b.Min.X+int(float64(x)/scale), b.Min.Y+int(float64(y)/scale))
			}
		}
	}
	fmt.Fprint(out, "FRAME\n")
	out.Write(luma)
	out.Write(bytes.Repeat([]byte{128}, camW*camH/2)) // U and V, a quarter each
}

// grey is the pixel's luma over white: the canvas leaves its margin
// transparent.
func grey(img image.Image, x, y int) byte {
	r, g, b, a := img.At(x, y).RGBA()
	white := 0xffff - a
	r, g, b = r+white, g+white, b+white
	return byte((299*r + 587*g + 114*b) / 1000 >> 8)
}
