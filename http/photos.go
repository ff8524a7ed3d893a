package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/photos"
)

// Photos is the photo service as the HTTP layer uses it (photos.Service).
type Photos interface {
	Declare(ctx context.Context, d *siaga.PhotoDeclaration, token string) (siaga.PhotoStatus, bool, error)
	Status(ctx context.Context, submission string, page int, token string) (siaga.PhotoStatus, error)
	Write(ctx context.Context, submission string, page int, token string, offset int64, chunk []byte) (siaga.PhotoStatus, error)
	Summary(ctx context.Context, submission string) (photos.Summary, error)
	Open(ctx context.Context, submission string, page int) (*os.File, *siaga.Photo, error)
}

// maxDeclarationBytes bounds a declaration: six short fields and a
// signature fit in a few hundred bytes.
const maxDeclarationBytes = 4 << 10

const offsetContentType = "application/offset+octet-stream"

func (s *Server) photosOrUnavailable(w http.ResponseWriter, r *http.Request) bool {
	if s.Photos == nil {
		s.writeError(w, r, siaga.Errorf(siaga.EUnavailable, "", "Penyimpanan foto tidak aktif di server ini",
			"photo storage is not enabled on this server"))
		return false
	}
	return true
}

func (s *Server) handleDeclarePhoto(w http.ResponseWriter, r *http.Request) {
	if !s.photosOrUnavailable(w, r) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDeclarationBytes))
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	d, err := DecodeDeclaration(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st, created, err := s.Photos.Declare(r.Context(), d, r.Header.Get(photos.TokenHeader))
	if err != nil {
		if siaga.ErrorCode(err) == siaga.ETooMany {
			w.Header().Set("Retry-After", "60")
		}
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	// The answer may carry the upload token: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	if st.UploadToken != "" {
		w.Header().Set(photos.TokenHeader, st.UploadToken)
	}
	w.Header().Set("Location", photoURL(st.Submission, st.Page))
	writeJSON(w, status, st)
}

// DecodeDeclaration reads one photo declaration strictly and checks its
// fields: unknown fields, wrong types, trailing data and values out of
// range are refused with the field named. The signature is not checked.
func DecodeDeclaration(body []byte) (*siaga.PhotoDeclaration, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var d siaga.PhotoDeclaration
	if err := dec.Decode(&d); err != nil {
		return nil, decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, siaga.Errorf(siaga.EInvalid, "", "Ada data lain setelah deklarasi", "unexpected data after the declaration")
	}
	if err := photos.Check(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

func photoURL(submission string, page int) string {
	return "/api/v1/photos/" + submission + "/" + strconv.Itoa(page)
}

func (s *Server) handlePatchPhoto(w http.ResponseWriter, r *http.Request) {
	if !s.photosOrUnavailable(w, r) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	page, _ := strconv.Atoi(r.PathValue("page"))
	offset, err := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64)
	if err != nil || offset < 0 {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "Upload-Offset", "Header Upload-Offset harus bilangan bulat ≥ 0",
			"the Upload-Offset header must be an integer ≥ 0"))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != offsetContentType {
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "Content-Type", "Content-Type harus %s, bukan %q",
			"Content-Type must be %s, not %q", offsetContentType, ct))
		return
	}
	if r.ContentLength > photos.MaxChunk {
		s.writeError(w, r, errChunkTooLarge())
		return
	}
	// The whole chunk is read before anything is written: a connection cut
	// half-way leaves the stored bytes as they were.
	chunk, err := io.ReadAll(http.MaxBytesReader(w, r.Body, photos.MaxChunk))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		s.writeError(w, r, errChunkTooLarge())
		return
	case err != nil:
		s.writeError(w, r, siaga.Errorf(siaga.EInvalid, "", "Potongan foto terputus", "the chunk was cut off: %v", err))
		return
	}
	st, err := s.Photos.Write(r.Context(), r.PathValue("submission"), page, r.Header.Get(photos.TokenHeader), offset, chunk)
	if err != nil {
		if siaga.ErrorCode(err) == siaga.EConflict || siaga.ErrorCode(err) == siaga.EInvalid {
			w.Header().Set("Upload-Offset", strconv.FormatInt(st.Received, 10))
		}
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Upload-Offset", strconv.FormatInt(st.Received, 10))
	w.WriteHeader(http.StatusNoContent)
}

func errChunkTooLarge() error {
	return siaga.Errorf(siaga.ETooLarge, "", "Potongan foto terlalu besar (maksimal %d byte)",
		"chunk too large (at most %d bytes)", photos.MaxChunk)
}

func (s *Server) handleHeadPhoto(w http.ResponseWriter, r *http.Request) {
	if !s.photosOrUnavailable(w, r) {
		return
	}
	page, _ := strconv.Atoi(r.PathValue("page"))
	st, err := s.Photos.Status(r.Context(), r.PathValue("submission"), page, r.Header.Get(photos.TokenHeader))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Upload-Offset", strconv.FormatInt(st.Received, 10))
	w.Header().Set("Upload-Length", strconv.FormatInt(st.Size, 10))
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleSubmissionPhotos(w http.ResponseWriter, r *http.Request) {
	if !s.photosOrUnavailable(w, r) {
		return
	}
	sum, err := s.Photos.Summary(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, sum)
}

// handlePhotoFile serves a complete page. Its bytes never change once
// complete (the signed hash pins them), so it may be cached for good.
func (s *Server) handlePhotoFile(w http.ResponseWriter, r *http.Request) {
	if !s.photosOrUnavailable(w, r) {
		return
	}
	page, _ := strconv.Atoi(r.PathValue("page"))
	f, p, err := s.Photos.Open(r.Context(), r.PathValue("submission"), page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+p.SHA256+`"`)
	http.ServeContent(w, r, "", p.CompletedAt, f)
}
