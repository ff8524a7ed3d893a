package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// photoJPEG encodes a seeded noise picture: real JPEG bytes, and noise so
// that the file is as large as a compressed form page.
func photoJPEG(tb testing.TB, seed uint64, w, h int) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	img.Set(0, 0, color.Gray{Y: 0})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

type photoSite struct {
	n   *node.Node
	url string
	dev *client.Device
	tps siaga.TPS
	// versions counts the ppwp versions of tps: each submission for
	// photos corrects the one before.
	versions *int
}

func newPhotoSite(t *testing.T) photoSite {
	site := nodetest.Start(t, nil)
	s := photoSite{n: site.Node, url: site.URL, tps: site.Regions.TPSOf("3601")[0], versions: new(int)}
	s.dev = site.Phone(t, s.tps.Code, siaga.RoleKPPS)
	return s
}

func (s photoSite) declaration(sub string, page, pages int, b []byte) siaga.PhotoDeclaration {
	sum := sha256.Sum256(b)
	d := siaga.PhotoDeclaration{Page: page, Pages: pages, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Submission: sub}
	s.dev.SignPhoto(&d)
	return d
}

// call sends one request and returns the status, the headers and the body.
func call(t *testing.T, method, url string, header map[string]string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// declare sends a declaration with an upload token (none when "") and
// returns the status, the answer and the token the answer issued.
func (s photoSite) declare(t *testing.T, d siaga.PhotoDeclaration, token string) (int, siaga.PhotoStatus, string) {
	t.Helper()
	body, _ := json.Marshal(d)
	status, h, b := call(t, "POST", s.url+"/api/v1/photos", map[string]string{"Upload-Token": token}, body)
	var st siaga.PhotoStatus
	if status < 300 {
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatalf("declaration answer %s: %v", b, err)
		}
	}
	return status, st, h.Get("Upload-Token")
}

func (s photoSite) patch(t *testing.T, sub string, page int, token string, off int64, chunk []byte) (int, string, []byte) {
	t.Helper()
	status, h, b := call(t, "PATCH", s.url+"/api/v1/photos/"+sub+"/"+strconv.Itoa(page),
		map[string]string{"Upload-Offset": strconv.FormatInt(off, 10), "Content-Type": "application/offset+octet-stream", "Upload-Token": token}, chunk)
	return status, h.Get("Upload-Offset"), b
}

func (s photoSite) head(t *testing.T, sub string, page int, token string) (int, http.Header) {
	t.Helper()
	status, h, _ := call(t, "HEAD", s.url+"/api/v1/photos/"+sub+"/"+strconv.Itoa(page), map[string]string{"Upload-Token": token}, nil)
	return status, h
}

func errorField(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, MessageEN, Field string } `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Error.Message == "" {
		t.Fatalf("not an error object with a message: %s", b)
	}
	return e.Error.Field
}

// TestPhotos runs the photo API over real TCP against one node: starting a
// node with the Banten registry is the slow part.
func TestPhotos(t *testing.T) {
	s := newPhotoSite(t)
	t.Run("upload", func(t *testing.T) { testPhotoUpload(t, s) })
	t.Run("refused", func(t *testing.T) { testPhotoRefused(t, s) })
	t.Run("stored on disk", func(t *testing.T) { testPhotoStoredOnDisk(t, s) })
}

func testPhotoUpload(t *testing.T, s photoSite) {
	page1, page2 := photoJPEG(t, 1, 320, 240), photoJPEG(t, 2, 320, 240)
	sub := uuid.Must(uuid.NewV7()).String()
	t.Logf("photo sizes %d and %d bytes", len(page1), len(page2))

	// Before the numbers nobody may declare the photos.
	d2 := s.declaration(sub, 2, 2, page2)
	status, _, b := call(t, "POST", s.url+"/api/v1/photos", nil, mustJSON(t, d2))
	if status != 409 || errorField(t, b) != "submission" {
		t.Fatalf("declaration before the numbers: %d %s, want 409 on submission", status, b)
	}
	rc := submitSigned(t, s, sub)

	// Page 2 of 2 arrives before page 1.
	status, st, token := s.declare(t, d2, "")
	if status != 201 || st.Received != 0 || st.Complete || st.Size != int64(len(page2)) || len(token) < 40 {
		t.Fatalf("first declaration: %d %+v token %q", status, st, token)
	}
	if status, _, again := s.declare(t, d2, token); status != 200 || again != "" {
		t.Fatalf("same declaration again with the token: %d, new token %q; want 200 and none", status, again)
	}
	status, off, b := s.patch(t, sub, 2, token, 100, page2[:10])
	if status != 409 || off != "0" {
		t.Fatalf("PATCH at the wrong offset: %d offset %q %s", status, off, b)
	}
	errorField(t, b)
	half := int64(len(page2) / 2)
	if status, off, b = s.patch(t, sub, 2, token, 0, page2[:half]); status != 204 || off != strconv.FormatInt(half, 10) {
		t.Fatalf("first chunk: %d offset %q %s", status, off, b)
	}
	// The answer to the first chunk was "lost": the same chunk again is a
	// conflict naming where to go on, and nothing is written twice.
	if status, off, _ = s.patch(t, sub, 2, token, 0, page2[:half]); status != 409 || off != strconv.FormatInt(half, 10) {
		t.Fatalf("resent chunk: %d offset %q", status, off)
	}
	hs, h := s.head(t, sub, 2, token)
	if hs != 200 || h.Get("Upload-Offset") != strconv.FormatInt(half, 10) || h.Get("Upload-Length") != strconv.Itoa(len(page2)) {
		t.Fatalf("HEAD: %d offset %q length %q", hs, h.Get("Upload-Offset"), h.Get("Upload-Length"))
	}
	if status, off, _ = s.patch(t, sub, 2, token, half, page2[half:]); status != 204 || off != strconv.Itoa(len(page2)) {
		t.Fatalf("last chunk: %d offset %q", status, off)
	}
	if status, st, _ := s.declare(t, d2, ""); status != 200 || !st.Complete || st.Received != int64(len(page2)) {
		t.Fatalf("declaration after completion: %d %+v", status, st)
	}

	// Page 1 through the Go client.
	if err := (&client.Client{BaseURL: s.url}).UploadPhoto(context.Background(), s.dev, sub, 1, 2, page1); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Submission string `json:"submission"`
		Received   int    `json:"received"`
		Expected   int    `json:"expected"`
		Pages      []struct {
			Page     int   `json:"page"`
			Size     int64 `json:"size"`
			Complete bool  `json:"complete"`
		} `json:"pages"`
	}
	status, _, b = call(t, "GET", s.url+"/api/v1/submissions/"+sub+"/photos", nil, nil)
	if err := json.Unmarshal(b, &sum); status != 200 || err != nil {
		t.Fatalf("summary: %d %s", status, b)
	}
	if sum.Received != 2 || sum.Expected != 2 || len(sum.Pages) != 2 || !sum.Pages[0].Complete || sum.Pages[1].Size != int64(len(page2)) {
		t.Errorf("summary = %+v", sum)
	}
	for page, want := range map[int][]byte{1: page1, 2: page2} {
		status, h, got := call(t, "GET", fmt.Sprintf("%s/foto/%s/%d", s.url, sub, page), nil, nil)
		if status != 200 || h.Get("Content-Type") != "image/jpeg" || !bytes.Equal(got, want) {
			t.Errorf("GET /foto page %d: %d %q, %d bytes (want %d identical)", page, status, h.Get("Content-Type"), len(got), len(want))
		}
	}
	_, page := get(t, s.n.Handler, "/tps/"+rc.TPS)
	mustContain(t, "TPS page", page, "2 dari 2 foto diterima", `href="/foto/`+sub+`/1"`)
	// Beside the numbers, each page of the source's form, shown.
	mustContain(t, "TPS page's comparison", page, `<tr class="photos"><th scope="row">Foto formulir</th>`,
		`<img src="/foto/`+sub+`/1"`, `<img src="/foto/`+sub+`/2"`, "KPPS · hal. 2")
}

// submitSigned stores numbers under id: each call corrects the version
// before, so that every id is stored.
func submitSigned(t *testing.T, s photoSite, id string) siaga.Receipt {
	t.Helper()
	sub := siaga.Submission{ID: id, TPS: s.tps.Code, Contest: siaga.PPWP, Source: siaga.SourceKPPS,
		Form: ppwpForm(s.tps.DPT, [3]int{40 + *s.versions, 50, 20}, 2)}
	if *s.versions > 0 {
		sub.Replaces, sub.Reason = *s.versions, "salah hitung di TPS"
	}
	s.dev.Sign(&sub)
	rc, _, err := (&client.Client{BaseURL: s.url}).Submit(context.Background(), &sub)
	if err != nil {
		t.Fatal(err)
	}
	*s.versions = rc.Version
	return rc
}

func testPhotoRefused(t *testing.T, s photoSite) {
	jpg := photoJPEG(t, 3, 64, 64)
	sub := uuid.Must(uuid.NewV7()).String()
	good := s.declaration(sub, 1, 1, jpg)
	resigned := func(f func(d *siaga.PhotoDeclaration)) []byte {
		d := good
		f(&d)
		s.dev.SignPhoto(&d)
		b, _ := json.Marshal(d)
		return b
	}
	forged := good
	forged.Pages = 2 // changed after signing
	forgedJSON, _ := json.Marshal(forged)
	tests := []struct {
		name   string
		body   []byte
		status int
		field  string
	}{
		{"forged", forgedJSON, 401, "signature"},
		{"unknown device", resigned(func(d *siaga.PhotoDeclaration) {}), 0, ""}, // replaced below
		{"too large", resigned(func(d *siaga.PhotoDeclaration) { d.Size = 400<<10 + 1 }), 413, "size"},
		{"page beyond pages", resigned(func(d *siaga.PhotoDeclaration) { d.Page = 3 }), 400, "pages"},
		{"more than 20 pages", resigned(func(d *siaga.PhotoDeclaration) { d.Pages = 21 }), 400, "pages"},
		{"upper-case hash", resigned(func(d *siaga.PhotoDeclaration) { d.SHA256 = strings.ToUpper(d.SHA256) }), 400, "sha256"},
		{"not a uuid", resigned(func(d *siaga.PhotoDeclaration) { d.Submission = "../../etc" }), 400, "submission"},
		{"unknown field", []byte(`{"page":1,"pages":1,"color":"red"}`), 400, "color"},
		{"text for a number", []byte(`{"page":"1"}`), 400, "page"},
	}
	other := good
	other.Device = uuid.Must(uuid.NewV7()).String()
	otherJSON, _ := json.Marshal(other)
	tests[1].body, tests[1].status, tests[1].field = otherJSON, 401, "device"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := call(t, "POST", s.url+"/api/v1/photos", nil, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if got := errorField(t, b); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
		})
	}

	submitSigned(t, s, sub)
	status, _, token := s.declare(t, good, "")
	if status != 201 {
		t.Fatalf("good declaration: %d", status)
	}
	t.Run("other photo for a declared page", func(t *testing.T) {
		if status, _, _ := s.declare(t, s.declaration(sub, 1, 1, photoJPEG(t, 4, 64, 64)), ""); status != 409 {
			t.Errorf("status %d, want 409", status)
		}
	})
	t.Run("chunk checks", func(t *testing.T) {
		path := s.url + "/api/v1/photos/" + sub + "/1"
		tests := []struct {
			name   string
			header map[string]string
			body   []byte
			status int
		}{
			{"no offset", map[string]string{"Content-Type": "application/offset+octet-stream", "Upload-Token": token}, jpg[:10], 400},
			{"wrong content type", map[string]string{"Upload-Offset": "0", "Content-Type": "image/jpeg", "Upload-Token": token}, jpg[:10], 400},
			{"beyond the size", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Token": token}, append(jpg, 0), 400},
			{"over 64 KiB", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Token": token}, make([]byte, 64<<10+1), 413},
			{"not a JPEG", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Token": token}, []byte("GIF89a"), 400},
			{"undeclared page", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Token": token}, jpg[:10], 404},
			// Someone who knows the submission's id but not the token
			// would complete the page with other bytes and reset it.
			{"no token", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, make([]byte, len(jpg)), 401},
			{"wrong token", map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Token": otherToken(token)}, make([]byte, len(jpg)), 403},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				url := path
				if tt.name == "undeclared page" {
					url = s.url + "/api/v1/photos/" + sub + "/2"
				}
				status, _, b := call(t, "PATCH", url, tt.header, tt.body)
				if status != tt.status {
					t.Errorf("status %d, want %d: %s", status, tt.status, b)
				}
			})
		}
		if status, h := s.head(t, sub, 1, token); status != 200 || h.Get("Upload-Offset") != "0" {
			t.Errorf("after refused chunks: HEAD %d offset %q, want nothing stored", status, h.Get("Upload-Offset"))
		}
		if status, h := s.head(t, sub, 1, ""); status != 401 || h.Get("Upload-Offset") != "" {
			t.Errorf("HEAD without the token: %d offset %q, want 401 and no offset", status, h.Get("Upload-Offset"))
		}
	})
	t.Run("bytes that do not match the hash", func(t *testing.T) {
		wrong := append([]byte(nil), jpg...)
		wrong[len(wrong)-3] ^= 0xFF
		status, off, b := s.patch(t, sub, 1, token, 0, wrong)
		if status != 400 || off != "0" || errorField(t, b) != "sha256" {
			t.Fatalf("status %d offset %q %s, want 400 on sha256 and the upload reset", status, off, b)
		}
		if status, off, _ := s.patch(t, sub, 1, token, 0, jpg); status != 204 || off != strconv.Itoa(len(jpg)) {
			t.Fatalf("upload again from 0: %d offset %q", status, off)
		}
		if status, _, got := call(t, "GET", s.url+"/foto/"+sub+"/1", nil, nil); status != 200 || !bytes.Equal(got, jpg) {
			t.Errorf("photo after the retry: %d, %d bytes", status, len(got))
		}
	})
	t.Run("incomplete photo is not served", func(t *testing.T) {
		sub := uuid.Must(uuid.NewV7()).String()
		submitSigned(t, s, sub)
		s.declare(t, s.declaration(sub, 1, 1, jpg), "")
		if status, _, _ := call(t, "GET", s.url+"/foto/"+sub+"/1", nil, nil); status != 404 {
			t.Errorf("status %d, want 404", status)
		}
		var sum struct{ Received, Expected int }
		_, _, b := call(t, "GET", s.url+"/api/v1/submissions/"+sub+"/photos", nil, nil)
		if err := json.Unmarshal(b, &sum); err != nil || sum != (struct{ Received, Expected int }{0, 1}) {
			t.Errorf("summary %s, want 0 of 1", b)
		}
	})
}

func testPhotoStoredOnDisk(t *testing.T, s photoSite) {
	jpg := photoJPEG(t, 5, 200, 200)
	sub := uuid.Must(uuid.NewV7()).String()
	submitSigned(t, s, sub)
	if err := (&client.Client{BaseURL: s.url}).UploadPhoto(context.Background(), s.dev, sub, 1, 1, jpg); err != nil {
		t.Fatal(err)
	}
	ps, err := s.n.Store.PhotosOf(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	want := []siaga.Photo{{Submission: sub, Page: 1, Pages: 1, Size: int64(len(jpg)), SHA256: s.declaration(sub, 1, 1, jpg).SHA256,
		Device: s.dev.ID, TPS: s.tps.Code, Complete: true}}
	if len(ps) == 1 && len(ps[0].TokenHash) != 32 {
		t.Errorf("stored token hash %x, want a SHA-256", ps[0].TokenHash)
	}
	if diff := cmp.Diff(want, ps, ignoreTimes); diff != "" {
		t.Errorf("stored photos (-want +got):\n%s", diff)
	}
}

var ignoreTimes = cmp.FilterPath(func(p cmp.Path) bool {
	last := p.Last().String()
	return last == ".DeclaredAt" || last == ".CompletedAt" || last == ".TokenHash"
}, cmp.Ignore())

// otherToken is token with its first character changed.
func otherToken(token string) string {
	if token[0] == 'A' {
		return "B" + token[1:]
	}
	return "A" + token[1:]
}
