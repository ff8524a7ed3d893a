package photos

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/deskpemilu/siaga"
)

// Write appends chunk at offset to a declared page for the holder of its
// upload token. The offset must be what the server holds: a chunk whose
// answer was lost is never written twice. On a conflict the returned status
// carries the stored offset. When the last byte arrives the page is
// verified against its declared hash; a mismatch discards the bytes and the
// upload starts again from 0.
func (s *Service) Write(ctx context.Context, submission string, page int, token string, offset int64, chunk []byte) (siaga.PhotoStatus, error) {
	mu := s.lock(submission, page)
	defer mu.Unlock()
	p, err := s.upload(ctx, submission, page, token)
	if err != nil {
		return siaga.PhotoStatus{}, err
	}
	st, err := s.status(ctx, p)
	if err != nil {
		return st, err
	}
	if offset != st.Received {
		return st, siaga.Errorf(siaga.EConflict, "Upload-Offset",
			"Posisi unggahan %d tidak cocok; server sudah menerima %d byte", "offset %d does not match; the server holds %d bytes",
			offset, st.Received)
	}
	if len(chunk) == 0 {
		return st, nil
	}
	if offset+int64(len(chunk)) > p.Size {
		return st, siaga.Errorf(siaga.EInvalid, "Upload-Offset",
			"Potongan melebihi ukuran yang dideklarasikan (%d byte)", "chunk goes beyond the declared size (%d bytes)", p.Size)
	}
	if offset == 0 && len(chunk) >= 3 && !isJPEG(chunk) {
		return st, errNotJPEG()
	}
	if err := s.appendChunk(submission, page, chunk); err != nil {
		return st, err
	}
	st.Received += int64(len(chunk))
	if st.Received == p.Size {
		return s.finish(ctx, p)
	}
	return st, nil
}

// status finds how far a page has come from the store and the files, and
// completes what a crash interrupted: a .part file of full length not yet
// verified, or a verified file not yet marked complete. Call it locked.
func (s *Service) status(ctx context.Context, p *siaga.Photo) (siaga.PhotoStatus, error) {
	st := siaga.PhotoStatus{Submission: p.Submission, Page: p.Page, Pages: p.Pages, Size: p.Size}
	if p.Complete {
		st.Received, st.Complete = p.Size, true
		return st, nil
	}
	final := s.path(p.Submission, p.Page)
	if _, err := os.Stat(final); err == nil {
		// Verified and renamed, then the process stopped before the store
		// heard of it.
		return s.markComplete(ctx, p, st)
	}
	fi, err := os.Stat(final + ".part")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return st, nil
	case err != nil:
		return st, fmt.Errorf("photos: %w", err)
	}
	st.Received = fi.Size()
	if st.Received > p.Size {
		// Cannot happen through Write; start again rather than serve it.
		return siaga.PhotoStatus{Submission: p.Submission, Page: p.Page, Pages: p.Pages, Size: p.Size}, s.discard(final + ".part")
	}
	if st.Received == p.Size {
		return s.finish(ctx, p)
	}
	return st, nil
}

// finish verifies a full .part file, renames it into place and marks the
// page complete. A file that does not match the declaration is discarded.
func (s *Service) finish(ctx context.Context, p *siaga.Photo) (siaga.PhotoStatus, error) {
	st := siaga.PhotoStatus{Submission: p.Submission, Page: p.Page, Pages: p.Pages, Size: p.Size}
	final := s.path(p.Submission, p.Page)
	part := final + ".part"
	b, err := os.ReadFile(part)
	if err != nil {
		return st, fmt.Errorf("photos: reading %s: %w", part, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != p.SHA256 {
		if err := s.discard(part); err != nil {
			return st, err
		}
		return st, siaga.Errorf(siaga.EInvalid, "sha256",
			"Isi foto tidak cocok dengan sha256 yang ditandatangani; unggahan diulang dari awal (posisi 0)",
			"the bytes do not match the signed sha256; the upload was reset and must start again at offset 0")
	}
	if !isJPEG(b) {
		if err := s.discard(part); err != nil {
			return st, err
		}
		return st, errNotJPEG()
	}
	if err := os.Rename(part, final); err != nil {
		return st, fmt.Errorf("photos: %w", err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return st, err
	}
	st.Received = p.Size
	return s.markComplete(ctx, p, st)
}

func (s *Service) markComplete(ctx context.Context, p *siaga.Photo, st siaga.PhotoStatus) (siaga.PhotoStatus, error) {
	if err := s.Store.CompletePhoto(ctx, p.Submission, p.Page, s.Now().UTC()); err != nil {
		return st, err
	}
	p.Complete = true
	st.Received, st.Complete = p.Size, true
	return st, nil
}

// appendChunk appends and syncs: the chunk is acknowledged only once it
// would survive a power cut.
func (s *Service) appendChunk(submission string, page int, chunk []byte) error {
	dir := filepath.Join(s.Dir, submission)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(dir, 0o750); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("photos: %w", err)
		}
		if err := syncDir(s.Dir); err != nil {
			return err
		}
	}
	part := s.path(submission, page) + ".part"
	_, statErr := os.Stat(part)
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	if _, err := f.Write(chunk); err != nil {
		f.Close()
		return fmt.Errorf("photos: writing %s: %w", part, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("photos: syncing %s: %w", part, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		return syncDir(dir) // the new file's name must survive too
	}
	return nil
}

func (s *Service) discard(part string) error {
	if err := os.Remove(part); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("photos: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("photos: syncing %s: %w", dir, err)
	}
	return nil
}

func errNotJPEG() error {
	return siaga.Errorf(siaga.EInvalid, "content", "Foto harus berformat JPEG", "the photo must be a JPEG")
}
