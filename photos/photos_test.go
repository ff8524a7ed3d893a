package photos_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
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

func newService(t *testing.T) *photos.Service {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "siaga.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	verify := func(_ context.Context, d *siaga.PhotoDeclaration) (*siaga.Device, error) {
		return &siaga.Device{ID: d.Device, TPS: "3601012001001"}, nil // the signature is auth's business
	}
	s, err := photos.New(db, filepath.Join(dir, "photos"), verify, func() time.Time { return time.Unix(1707890000, 0) })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func declare(t *testing.T, s *photos.Service, b []byte) string {
	t.Helper()
	sum := sha256.Sum256(b)
	sub := uuid.Must(uuid.NewV7()).String()
	_, created, err := s.Declare(context.Background(), &siaga.PhotoDeclaration{Device: "dev", Page: 1, Pages: 1,
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Submission: sub})
	if err != nil || !created {
		t.Fatalf("declare: created=%v err=%v", created, err)
	}
	return sub
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
			s := newService(t)
			sub := declare(t, s, b)
			path := filepath.Join(s.Dir, sub, "1.jpg") + tt.file
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.content, 0o640); err != nil {
				t.Fatal(err)
			}
			st, err := s.Status(ctx, sub, 1)
			if tt.wantReceived == 0 && siaga.ErrorCode(err) != siaga.EInvalid {
				t.Fatalf("torn file: err = %v, want the hash mismatch reported", err)
			} else if tt.wantReceived != 0 && err != nil {
				t.Fatal(err)
			}
			if st.Received != tt.wantReceived || st.Complete != tt.wantComplete {
				t.Errorf("status = %+v, want received %d complete %v", st, tt.wantReceived, tt.wantComplete)
			}
			if st, err = s.Status(ctx, sub, 1); err != nil || st.Received != tt.wantReceived {
				t.Errorf("status again = %+v %v", st, err)
			}
		})
	}
}

// TestConcurrentChunks sends the same chunk from many goroutines: exactly
// one is written, the others learn the new offset.
func TestConcurrentChunks(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	b := jpegLike(3000)
	sub := declare(t, s, b)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := s.Write(ctx, sub, 1, 0, b[:1000])
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
	st, err := s.Write(ctx, sub, 1, 1000, b[1000:])
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

// TestPhotoOfAnotherTPS: once the numbers are stored, only a phone of
// their TPS may declare their pages; pages another TPS's phone declared
// before the numbers came are not counted.
func TestPhotoOfAnotherTPS(t *testing.T) {
	s := newService(t) // its devices belong to TPS 3601012001001
	b := jpegLike(100)
	early := declare(t, s, b)
	stored := map[string]string{early: "3601012001002"}
	late := uuid.Must(uuid.NewV7()).String()
	stored[late] = "3601012001002"
	s.SubmissionTPS = func(id string) (string, bool) { tps, ok := stored[id]; return tps, ok }

	sum := sha256.Sum256(b)
	_, _, err := s.Declare(context.Background(), &siaga.PhotoDeclaration{Device: "dev", Page: 1, Pages: 1,
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Submission: late})
	var e *siaga.Error
	if !errors.As(err, &e) || e.Code != siaga.EForbidden || e.Field != "submission" {
		t.Fatalf("declaring a page of another TPS's submission: %v, want forbidden on submission", err)
	}
	got, err := s.Summary(context.Background(), early)
	if err != nil || got.Expected != 0 || len(got.Pages) != 0 {
		t.Errorf("summary of a submission whose only page came from another TPS: %+v, %v; want none", got, err)
	}
	stored[early] = "3601012001001"
	if got, _ := s.Summary(context.Background(), early); got.Expected != 1 {
		t.Errorf("summary of its own TPS's page: %+v, want 1 expected", got)
	}
}
