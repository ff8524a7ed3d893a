package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func testPhotos(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	const sub = "0190c3e1-7a2b-7c3d-8e4f-0123456789ab"
	photo := func(page, pages int, sha string) *siaga.Photo {
		return &siaga.Photo{Submission: sub, Page: page, Pages: pages, Size: 1000 + int64(page), SHA256: sha,
			Device: "dev-1", TPS: "3601012001001", DeclaredAt: t0}
	}
	p2 := photo(2, 2, "bb")
	got, created, err := s.DeclarePhoto(ctx, p2)
	must(t, err)
	if !created {
		t.Error("first declaration: created = false")
	}
	if diff := cmp.Diff(p2, got); diff != "" {
		t.Errorf("declared photo (-want +got):\n%s", diff)
	}

	// Another declaration of the page keeps the first one: the caller
	// compares hashes and decides between replay and conflict.
	other := photo(2, 3, "cc")
	other.DeclaredAt = t0.Add(time.Hour)
	got, created, err = s.DeclarePhoto(ctx, other)
	must(t, err)
	if created || got.SHA256 != "bb" || got.Pages != 2 || !got.DeclaredAt.Equal(t0) {
		t.Errorf("second declaration: created=%v stored=%+v, want the first kept", created, got)
	}

	p1 := photo(1, 3, "aa")
	_, created, err = s.DeclarePhoto(ctx, p1)
	must(t, err)
	if !created {
		t.Error("page 1: created = false")
	}
	done := t0.Add(2 * time.Minute)
	must(t, s.CompletePhoto(ctx, sub, 1, done))
	must(t, s.CompletePhoto(ctx, sub, 1, done.Add(time.Hour))) // again: harmless, first time kept
	p1.Complete, p1.CompletedAt = true, done

	one, err := s.Photo(ctx, sub, 1)
	must(t, err)
	if diff := cmp.Diff(p1, one); diff != "" {
		t.Errorf("Photo (-want +got):\n%s", diff)
	}
	all, err := s.PhotosOf(ctx, sub)
	must(t, err)
	if diff := cmp.Diff([]siaga.Photo{*p1, *p2}, all); diff != "" {
		t.Errorf("PhotosOf (-want +got):\n%s", diff)
	}

	t.Run("Token", func(t *testing.T) {
		// Declared with a token hash; p2 above had none.
		p3 := photo(4, 4, "dd")
		p3.TokenHash = []byte{1, 2, 3}
		got, _, err := s.DeclarePhoto(ctx, p3)
		must(t, err)
		if diff := cmp.Diff(p3, got); diff != "" {
			t.Errorf("declared with a token (-want +got):\n%s", diff)
		}
		must(t, s.SetPhotoToken(ctx, sub, 2, []byte{9, 9}))
		if got, _ := s.Photo(ctx, sub, 2); got == nil || !bytes.Equal(got.TokenHash, []byte{9, 9}) {
			t.Errorf("after SetPhotoToken: %+v", got)
		}
		wantCode(t, s.SetPhotoToken(ctx, sub, 9, []byte{1}), siaga.ENotFound)
	})

	t.Run("Pending", func(t *testing.T) {
		for _, tt := range []struct {
			device string
			want   int
		}{{"dev-1", 2}, {"dev-2", 0}} { // pages 2 and 4 of dev-1; page 1 is complete
			n, err := s.PendingPhotos(ctx, tt.device)
			must(t, err)
			if n != tt.want {
				t.Errorf("PendingPhotos(%s) = %d, want %d", tt.device, n, tt.want)
			}
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		_, err := s.Photo(ctx, sub, 3)
		wantCode(t, err, siaga.ENotFound)
		wantCode(t, s.CompletePhoto(ctx, sub, 3, done), siaga.ENotFound)
		none, err := s.PhotosOf(ctx, "0190c3e1-0000-7000-8000-000000000000")
		must(t, err)
		if len(none) != 0 {
			t.Errorf("PhotosOf an unknown submission = %+v", none)
		}
	})
}
