// Package photos keeps the photographed pages of count forms: evidence
// beside the numbers, uploaded separately, resumably and in any order.
//
// A device declares a page with a signed declaration that names the
// SHA-256 of the whole JPEG; the bytes then arrive in chunks at offsets
// the server confirms. Chunks are appended to DIR/<submission>/<page>.jpg.part
// and synced before they are acknowledged, so the length of the .part file
// is the upload's offset and survives a crash. When the last byte arrives
// the file is checked against the declared hash, renamed to <page>.jpg and
// marked complete in the store.
package photos

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
)

// Service declares, receives and serves photos.
type Service struct {
	Store siaga.PhotoStore
	// Dir holds one folder per submission.
	Dir string
	// Verify authenticates a declaration (auth.Service.VerifyPhoto).
	Verify func(ctx context.Context, d *siaga.PhotoDeclaration) (*siaga.Device, error)
	Now    func() time.Time
	// SubmissionTPS names the TPS of a stored submission (the results
	// engine's); nil, or not found, while the numbers are still on the way.
	SubmissionTPS func(id string) (tps string, ok bool)

	// locks serialise the chunks of one page; pages hash onto a fixed set
	// so that memory does not grow with the number of photos.
	locks [64]sync.Mutex
}

// New returns a Service keeping files under dir, which it creates.
func New(store siaga.PhotoStore, dir string, verify func(context.Context, *siaga.PhotoDeclaration) (*siaga.Device, error), now func() time.Time) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("photos: creating %s: %w", dir, err)
	}
	return &Service{Store: store, Dir: dir, Verify: verify, Now: now}, nil
}

// Status is how far the upload of one page has come.
type Status struct {
	Submission string `json:"submission"`
	Page       int    `json:"page"`
	Pages      int    `json:"pages"`
	Size       int64  `json:"size"`
	Received   int64  `json:"received"`
	Complete   bool   `json:"complete"`
}

// Declare checks and stores a signed declaration and returns the page's
// status; created is false when the same declaration was stored before.
// Another hash or size for a declared page is a conflict.
func (s *Service) Declare(ctx context.Context, d *siaga.PhotoDeclaration) (st Status, created bool, err error) {
	if err := Check(d); err != nil {
		return Status{}, false, err
	}
	dev, err := s.Verify(ctx, d)
	if err != nil {
		return Status{}, false, err
	}
	if tps, ok := s.submissionTPS(d.Submission); ok && tps != dev.TPS {
		// Otherwise a phone that carried a form could take its pages first.
		return Status{}, false, siaga.Errorf(siaga.EForbidden, "submission",
			"Kiriman %s milik TPS %s; perangkat ini terdaftar untuk TPS %s",
			"submission %s belongs to TPS %s; this device is enrolled for TPS %s", d.Submission, tps, dev.TPS)
	}
	p := &siaga.Photo{
		Submission: d.Submission, Page: d.Page, Pages: d.Pages, Size: d.Size, SHA256: d.SHA256,
		Device: dev.ID, TPS: dev.TPS, DeclaredAt: s.Now().UTC(),
	}
	stored, created, err := s.Store.DeclarePhoto(ctx, p)
	if err != nil {
		return Status{}, false, err
	}
	if stored.SHA256 != p.SHA256 || stored.Size != p.Size {
		return Status{}, false, siaga.Errorf(siaga.EConflict, "sha256",
			"Halaman %d kiriman %s sudah dideklarasikan dengan foto lain",
			"page %d of submission %s is already declared with another photo", d.Page, d.Submission)
	}
	mu := s.lock(stored.Submission, stored.Page)
	defer mu.Unlock()
	st, err = s.status(ctx, stored)
	return st, created, err
}

func (s *Service) submissionTPS(id string) (string, bool) {
	if s.SubmissionTPS == nil {
		return "", false
	}
	return s.SubmissionTPS(id)
}

// Status returns the upload status of a declared page.
func (s *Service) Status(ctx context.Context, submission string, page int) (Status, error) {
	p, err := s.declared(ctx, submission, page)
	if err != nil {
		return Status{}, err
	}
	mu := s.lock(submission, page)
	defer mu.Unlock()
	return s.status(ctx, p)
}

// declared returns a declared page, refusing ids that are not safe folder
// names before they reach the store or the file system.
func (s *Service) declared(ctx context.Context, submission string, page int) (*siaga.Photo, error) {
	if !ValidID(submission) || page < 1 || page > MaxPages {
		return nil, siaga.Errorf(siaga.ENotFound, "page", "Foto tidak ditemukan", "photo not found")
	}
	return s.Store.Photo(ctx, submission, page)
}

func (s *Service) lock(submission string, page int) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(submission))
	h.Write([]byte{byte(page)})
	mu := &s.locks[h.Sum32()%uint32(len(s.locks))]
	mu.Lock()
	return mu
}

func (s *Service) path(submission string, page int) string {
	return filepath.Join(s.Dir, submission, strconv.Itoa(page)+".jpg")
}

// Summary is what has arrived of a submission's photos.
type Summary struct {
	Submission string     `json:"submission"`
	Received   int        `json:"received"` // complete pages
	Expected   int        `json:"expected"` // the most pages any declaration announced
	Pages      []PageInfo `json:"pages"`
}

// PageInfo is one declared page in a Summary.
type PageInfo struct {
	Page     int   `json:"page"`
	Size     int64 `json:"size"`
	Complete bool  `json:"complete"`
}

// Summary counts the declared and complete pages of a submission. A
// submission without photos has an empty summary, not an error: its photos
// may still be on the way.
func (s *Service) Summary(ctx context.Context, submission string) (Summary, error) {
	sum := Summary{Submission: submission, Pages: []PageInfo{}}
	if !ValidID(submission) {
		return sum, nil
	}
	ps, err := s.Store.PhotosOf(ctx, submission)
	if err != nil {
		return sum, err
	}
	tps, known := s.submissionTPS(submission)
	for _, p := range ps {
		if known && p.TPS != tps {
			continue // declared by another TPS's phone before the numbers came
		}
		sum.Expected = max(sum.Expected, p.Pages)
		if p.Complete {
			sum.Received++
		}
		sum.Pages = append(sum.Pages, PageInfo{Page: p.Page, Size: p.Size, Complete: p.Complete})
	}
	return sum, nil
}

// Open returns the bytes of a complete page.
func (s *Service) Open(ctx context.Context, submission string, page int) (*os.File, *siaga.Photo, error) {
	p, err := s.declared(ctx, submission, page)
	if err != nil {
		return nil, nil, err
	}
	if !p.Complete {
		return nil, nil, siaga.Errorf(siaga.ENotFound, "page", "Foto belum diterima lengkap", "photo not completely received yet")
	}
	f, err := os.Open(s.path(submission, page))
	if err != nil {
		return nil, nil, fmt.Errorf("photos: opening %s/%d: %w", submission, page, err)
	}
	return f, p, nil
}
