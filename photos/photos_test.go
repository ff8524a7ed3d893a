package photos_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/photos"
	"github.com/deskpemilu/siaga/sqlite"
)

// jpegLike is bytes that start like a JPEG; the service checks the magic
// and the hash, not the picture.
func jpegLike(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	copy(b, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	return b
}

// tpsA is the TPS of newService's devices; a device id ending in "-b"
// belongs to tpsB.
const tpsA, tpsB = "3601012001001", "3601012001002"

// newService returns a service whose store knows the submissions in
// numbers (id → TPS): their numbers have arrived.
func newService(t *testing.T) (*photos.Service, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	verify := func(_ context.Context, d *siaga.PhotoDeclaration) (*siaga.Device, error) {
		// The signature is auth's business.
		if strings.HasSuffix(d.Device, "-b") {
			return &siaga.Device{ID: d.Device, TPS: tpsB}, nil
		}
		return &siaga.Device{ID: d.Device, TPS: tpsA}, nil
	}
	s, err := photos.New(db, filepath.Join(dir, "photos"), verify, func() time.Time { return time.Unix(1707890000, 0) })
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	numbers := map[string]string{}
	s.SubmissionTPS = func(id string) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		tps, ok := numbers[id]
		return tps, ok
	}
	return s, numbers
}

func declaration(device, sub string, page int, b []byte) *siaga.PhotoDeclaration {
	sum := sha256.Sum256(b)
	return &siaga.PhotoDeclaration{Device: device, Page: page, Pages: max(page, 1),
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Submission: sub}
}

// declare stores the numbers of a new submission of tpsA and declares its
// first page; it returns the submission and the upload token.
func declare(t *testing.T, s *photos.Service, numbers map[string]string, b []byte) (string, string) {
	t.Helper()
	sub := uuid.Must(uuid.NewV7()).String()
	numbers[sub] = tpsA
	st, created, err := s.Declare(context.Background(), declaration("dev", sub, 1, b), "")
	if err != nil || !created || st.UploadToken == "" {
		t.Fatalf("declare: created=%v token=%q err=%v", created, st.UploadToken, err)
	}
	return sub, st.UploadToken
}

// TestCrashRecovery puts the files where a crash would leave them: the
// status completes what was interrupted, or starts again when the bytes
// are wrong.
func TestCrashRecovery(t *testing.T) {
	ctx := context.Background()
	b := jpegLike(5000)
	tests := []struct {
		name         string
		file         string // relative to the page's path
		content      []byte
		wantReceived int64
		wantComplete bool
	}{
		{"part file of full length, never verified", ".part", b, 5000, true},
		{"renamed, store not told", "", b, 5000, true},
		{"half a part file", ".part", b[:2500], 2500, false},
		{"full length but torn", ".part", append(append([]byte(nil), b[:4000]...), make([]byte, 1000)...), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, numbers := newService(t)
			sub, token := declare(t, s, numbers, b)
			path := filepath.Join(s.Dir, sub, "1.jpg") + tt.file
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.content, 0o640); err != nil {
				t.Fatal(err)
			}
			st, err := s.Status(ctx, sub, 1, token)
			if tt.wantReceived == 0 && siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("torn file: err = %v, want the hash mismatch reported", err)
			} else if tt.wantReceived != 0 && err != nil {
				t.Fatal(err)
			}
			if st.Received != tt.wantReceived || st.Complete != tt.wantComplete {
				t.Errorf("status = %+v, want received %d complete %v", st, tt.wantReceived, tt.wantComplete)
			}
			if st, err = s.Status(ctx, sub, 1, token); err != nil || st.Received != tt.wantReceived {
				t.Errorf("status again = %+v %v", st, err)
			}
		})
	}
}

// TestConcurrentChunks sends the same chunk from many goroutines: exactly
// one is written, the others learn the new offset.
func TestConcurrentChunks(t *testing.T) {
	ctx := context.Background()
	s, numbers := newService(t)
	b := jpegLike(3000)
	sub, token := declare(t, s, numbers, b)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := s.Write(ctx, sub, 1, token, 0, b[:1000])
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch siaga.ErrorCode(err) {
		case "":
			ok++
		case siaga.EConflict:
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d writes succeeded, want exactly 1", ok)
	}
	st, err := s.Write(ctx, sub, 1, token, 1000, b[1000:])
	if err != nil || !st.Complete {
		t.Fatalf("last chunk: %+v %v", st, err)
	}
	f, _, err := s.Open(ctx, sub, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := os.ReadFile(f.Name())
	if !bytes.Equal(got, b) {
		t.Errorf("stored %d bytes, want the %d sent, identical", len(got), len(b))
	}
}

// TestDeclarationRights: only a device of the submission's TPS declares
// its pages, and only once its numbers are stored, so that a carrier that
// relayed the numbers cannot take the pages first.
func TestDeclarationRights(t *testing.T) {
	ctx := context.Background()
	s, numbers := newService(t)
	b := jpegLike(100)
	sub := uuid.Must(uuid.NewV7()).String()

	// A carrier of TPS B holds the relayed submission of TPS A before the
	// server does, and declares its page with a photo of its own.
	carrier := declaration("carrier-b", sub, 1, jpegLike(120))
	_, _, err := s.Declare(ctx, carrier, "")
	wantError(t, err, siaga.EConflict, "submission")
	_, _, err = s.Declare(ctx, declaration("dev", sub, 1, b), "")
	wantError(t, err, siaga.EConflict, "submission") // the officer too: numbers first
	if _, err := s.Store.Photo(ctx, sub, 1); siaga.ErrorCode(err) != siaga.ENotFound {
		t.Fatalf("a page was declared before the numbers: %v", err)
	}

	numbers[sub] = tpsA
	_, _, err = s.Declare(ctx, carrier, "")
	wantError(t, err, siaga.EForbidden, "submission")
	// Another phone of the TPS may; it then holds the page.
	if _, created, err := s.Declare(ctx, declaration("dev-2", sub, 2, b), ""); err != nil || !created {
		t.Fatalf("a phone of the TPS: created=%v %v", created, err)
	}
	if _, created, err := s.Declare(ctx, declaration("dev", sub, 1, b), ""); err != nil || !created {
		t.Fatalf("the officer after the numbers: created=%v %v", created, err)
	}

	// A page another TPS's phone declared before this rule (an old
	// database) is not counted.
	old := uuid.Must(uuid.NewV7()).String()
	if _, _, err := s.Store.DeclarePhoto(ctx, &siaga.Photo{Submission: old, Page: 1, Pages: 1, Size: 100, SHA256: "aa", Device: "carrier-b", TPS: tpsB}); err != nil {
		t.Fatal(err)
	}
	numbers[old] = tpsA
	if got, err := s.Summary(ctx, old); err != nil || got.Expected != 0 || len(got.Pages) != 0 {
		t.Errorf("summary of a submission whose only page came from another TPS: %+v, %v; want none", got, err)
	}
}

// TestUploadToken: the bytes of a page go only with the token the
// declaration's answer issued; without it nothing changes.
func TestUploadToken(t *testing.T) {
	ctx := context.Background()
	s, numbers := newService(t)
	b := jpegLike(3000)
	sub, token := declare(t, s, numbers, b)
	if st, err := s.Write(ctx, sub, 1, token, 0, b[:1000]); err != nil || st.Received != 1000 {
		t.Fatalf("first chunk: %+v %v", st, err)
	}
	for _, tt := range []struct {
		name, token, code string
	}{
		{"no token", "", siaga.EUnauthorized},
		{"wrong token", otherToken(token), siaga.EForbidden},
		{"another page's token", func() string { _, tok := declare(t, s, numbers, b); return tok }(), siaga.EForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Write(ctx, sub, 1, tt.token, 1000, make([]byte, 2000)) // would complete it wrongly and reset it
			wantError(t, err, tt.code, photos.TokenHeader)
			_, err = s.Write(ctx, sub, 1, tt.token, 0, b[:10])
			wantError(t, err, tt.code, photos.TokenHeader)
			_, err = s.Status(ctx, sub, 1, tt.token)
			wantError(t, err, tt.code, photos.TokenHeader)
			if fi, err := os.Stat(filepath.Join(s.Dir, sub, "1.jpg.part")); err != nil || fi.Size() != 1000 {
				t.Errorf("stored bytes after refused requests: %v %v, want 1000", fi.Size(), err)
			}
		})
	}

	// Declaring again with the token keeps it; without it (a phone that
	// lost the answer) issues a new one and the old one stops working.
	st, _, err := s.Declare(ctx, declaration("dev", sub, 1, b), token)
	if err != nil || st.UploadToken != "" || st.Received != 1000 {
		t.Fatalf("declared again with the token: %+v %v, want no new token and the offset", st, err)
	}
	st, _, err = s.Declare(ctx, declaration("dev", sub, 1, b), "")
	if err != nil || st.UploadToken == "" || st.UploadToken == token || st.Received != 1000 {
		t.Fatalf("declared again without the token: %+v %v, want a new token", st, err)
	}
	_, err = s.Write(ctx, sub, 1, token, 1000, b[1000:])
	wantError(t, err, siaga.EForbidden, photos.TokenHeader)
	if st, err := s.Write(ctx, sub, 1, st.UploadToken, 1000, b[1000:]); err != nil || !st.Complete {
		t.Fatalf("last chunk with the new token: %+v %v", st, err)
	}
	if st, _, err := s.Declare(ctx, declaration("dev", sub, 1, b), ""); err != nil || st.UploadToken != "" || !st.Complete {
		t.Errorf("declared again once complete: %+v %v, want complete and no token", st, err)
	}
}

// TestPendingBound: a device holds at most photos.MaxPending incomplete
// pages; declaring one of them again does not count.
func TestPendingBound(t *testing.T) {
	ctx := context.Background()
	s, numbers := newService(t)
	b := jpegLike(100)
	var subs []string
	for range (photos.MaxPending + photos.MaxPages) / photos.MaxPages {
		sub := uuid.Must(uuid.NewV7()).String()
		numbers[sub] = tpsA
		subs = append(subs, sub)
	}
	var tokens []string
	for i := range photos.MaxPending {
		st, _, err := s.Declare(ctx, declaration("dev", subs[i/photos.MaxPages], i%photos.MaxPages+1, b), "")
		if err != nil {
			t.Fatalf("declaration %d: %v", i+1, err)
		}
		tokens = append(tokens, st.UploadToken)
	}
	next := declaration("dev", subs[len(subs)-1], photos.MaxPages, b)
	_, _, err := s.Declare(ctx, next, "")
	wantError(t, err, siaga.ETooMany, "page")
	if _, _, err := s.Declare(ctx, declaration("dev-2", subs[len(subs)-1], photos.MaxPages, b), ""); err != nil {
		t.Errorf("another device: %v", err)
	}
	if _, _, err := s.Declare(ctx, declaration("dev", subs[0], 1, b), tokens[0]); err != nil {
		t.Errorf("a pending page declared again: %v", err)
	}
	if st, err := s.Write(ctx, subs[0], 1, tokens[0], 0, b); err != nil || !st.Complete {
		t.Fatalf("completing one: %+v %v", st, err)
	}
	next.Page, next.Pages = photos.MaxPages-1, photos.MaxPages
	if _, created, err := s.Declare(ctx, next, ""); err != nil || !created {
		t.Errorf("after one is complete: created=%v %v", created, err)
	}
}

func wantError(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *siaga.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("err = %v, want %s on %s", err, code, field)
	}
	if e.Message == "" || e.MessageEN == "" {
		t.Errorf("error without a message: %+v", e)
	}
}

// otherToken is token with its first character changed.
func otherToken(token string) string {
	if token[0] == 'A' {
		return "B" + token[1:]
	}
	return "A" + token[1:]
}
