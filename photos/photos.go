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

	// locks serialise the chunks of one page, deviceLocks the new
	// declarations of one device; both hash onto a fixed set so that
	// memory does not grow with the number of photos or devices.
	locks       [64]sync.Mutex
	deviceLocks [16]sync.Mutex
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

// Declare checks and stores a signed declaration and returns the page's
// status; created is false when the same declaration was stored before.
// Another hash or size for a declared page is a conflict.
//
// Only a device of the submission's TPS may declare its pages (the device
// that signed it is one), so the numbers must be stored first: before
// that nobody can tell the officer's phone from a carrier that relayed the
// submission and would take its pages. A new declaration, or one that
// does not come with the page's current token, issues a new token
// (siaga.PhotoStatus.UploadToken) and the old one stops working; the signature is
// what entitles the device to it.
func (s *Service) Declare(ctx context.Context, d *siaga.PhotoDeclaration, token string) (st siaga.PhotoStatus, created bool, err error) {
	if err := Check(d); err != nil {
		return siaga.PhotoStatus{}, false, err
	}
	dev, err := s.Verify(ctx, d)
	if err != nil {
		return siaga.PhotoStatus{}, false, err
	}
	if err := s.entitled(d.Submission, dev); err != nil {
		return siaga.PhotoStatus{}, false, err
	}
	stored, created, issued, err := s.store(ctx, d, dev)
	if err != nil {
		return siaga.PhotoStatus{}, false, err
	}
	if stored.SHA256 != d.SHA256 || stored.Size != d.Size {
		return siaga.PhotoStatus{}, false, siaga.Errorf(siaga.EConflict, "sha256",
			"Halaman %d kiriman %s sudah dideklarasikan dengan foto lain",
			"page %d of submission %s is already declared with another photo", d.Page, d.Submission)
	}
	mu := s.lock(stored.Submission, stored.Page)
	defer mu.Unlock()
	if !created {
		if issued, err = s.renewToken(ctx, stored, token); err != nil {
			return siaga.PhotoStatus{}, false, err
		}
	}
	st, err = s.status(ctx, stored)
	st.UploadToken = issued
	return st, created, err
}

// renewToken issues a new token for an incomplete page unless token is
// its current one, and returns it; "" when the page keeps its token. Call
// it locked.
func (s *Service) renewToken(ctx context.Context, p *siaga.Photo, token string) (string, error) {
	cur, err := s.Store.Photo(ctx, p.Submission, p.Page) // p may predate the lock
	if err != nil || cur.Complete || holds(cur, token) {
		return "", err
	}
	issued, hash := newToken()
	if err := s.Store.SetPhotoToken(ctx, p.Submission, p.Page, hash); err != nil {
		return "", err
	}
	return issued, nil
}

// entitled refuses a device that may not declare the pages of a
// submission: one of another TPS, or any while the numbers are not stored.
func (s *Service) entitled(submission string, dev *siaga.Device) error {
	tps, ok := s.submissionTPS(submission)
	if !ok {
		return siaga.Errorf(siaga.EConflict, "submission",
			"Angka kiriman %s belum diterima server; kirim angkanya dulu, lalu fotonya",
			"the numbers of submission %s have not reached the server; send them first, then the photos", submission)
	}
	if tps != dev.TPS {
		return siaga.Errorf(siaga.EForbidden, "submission",
			"Kiriman %s milik TPS %s; perangkat ini terdaftar untuk TPS %s",
			"submission %s belongs to TPS %s; this device is enrolled for TPS %s", submission, tps, dev.TPS)
	}
	return nil
}

// store stores a declaration unless its page is declared already, holding
// the device to MaxPending, and returns what is stored and, for a new
// page, its token. Declarations of one device are serialised so that
// parallel ones cannot pass the bound together.
func (s *Service) store(ctx context.Context, d *siaga.PhotoDeclaration, dev *siaga.Device) (stored *siaga.Photo, created bool, token string, err error) {
	mu := s.deviceLock(dev.ID)
	defer mu.Unlock()
	stored, err = s.Store.Photo(ctx, d.Submission, d.Page)
	switch {
	case err == nil:
		return stored, false, "", nil
	case siaga.ErrorCode(err) != siaga.ENotFound:
		return nil, false, "", err
	}
	pending, err := s.Store.PendingPhotos(ctx, dev.ID)
	if err != nil {
		return nil, false, "", err
	}
	if pending >= MaxPending {
		return nil, false, "", siaga.Errorf(siaga.ETooMany, "page",
			"Perangkat ini punya %d foto yang belum selesai diunggah; selesaikan dulu, lalu coba lagi",
			"this device has %d photos whose upload is not complete; finish them first, then try again", pending)
	}
	token, hash := newToken()
	p := &siaga.Photo{
		Submission: d.Submission, Page: d.Page, Pages: d.Pages, Size: d.Size, SHA256: d.SHA256,
		Device: dev.ID, TPS: dev.TPS, DeclaredAt: s.Now().UTC(), TokenHash: hash,
	}
	stored, created, err = s.Store.DeclarePhoto(ctx, p)
	if err != nil || !created {
		// Another device of the TPS declared the page a moment before.
		return stored, false, "", err
	}
	return stored, true, token, nil
}

func (s *Service) submissionTPS(id string) (string, bool) {
	if s.SubmissionTPS == nil {
		return "", false
	}
	return s.SubmissionTPS(id)
}

// Status returns the upload status of a declared page to the holder of
// its upload token.
func (s *Service) Status(ctx context.Context, submission string, page int, token string) (siaga.PhotoStatus, error) {
	mu := s.lock(submission, page)
	defer mu.Unlock()
	p, err := s.upload(ctx, submission, page, token)
	if err != nil {
		return siaga.PhotoStatus{}, err
	}
	return s.status(ctx, p)
}

// upload returns a declared page to the holder of its upload token. Call
// it locked, so that the token cannot change before the caller is done.
func (s *Service) upload(ctx context.Context, submission string, page int, token string) (*siaga.Photo, error) {
	p, err := s.declared(ctx, submission, page)
	if err != nil {
		return nil, err
	}
	if err := checkToken(p, token); err != nil {
		return nil, err
	}
	return p, nil
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

func (s *Service) deviceLock(device string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(device))
	mu := &s.deviceLocks[h.Sum32()%uint32(len(s.deviceLocks))]
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
