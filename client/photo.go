package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// PhotoChunk is the size of one upload request: small enough that a chunk
// lost on a weak link costs little, at most the server's 64 KiB.
const PhotoChunk = 32 << 10

// SignPhoto sets d.Device and d.Signature.
func (d *Device) SignPhoto(p *siaga.PhotoDeclaration) {
	p.Device = d.ID
	p.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(d.Key, p.CanonicalBytes()))
}

// PhotoUpload is one page to upload, and the upload token the server
// issued when it was declared. Keep the token with the page, as the field
// app keeps it with its outbox item in IndexedDB and Outbox in its item:
// an upload resumed after a restart then goes on under the same token. A
// lost token costs nothing but a new one: declaring without it issues
// another.
type PhotoUpload struct {
	Device      *Device
	Submission  string
	Page, Pages int
	JPEG        []byte
	Token       string
}

// ErrNumbersFirst is in the error of an upload whose submission the server
// does not hold yet: only a phone of the submission's TPS may declare its
// photos, which the server can tell only from the stored numbers. Send the
// numbers, then try again.
var ErrNumbersFirst = errors.New("client: the server does not hold the submission's numbers yet")

// DeclarePhoto sends a signed declaration with the page's upload token,
// if any, and returns how much of the page the server holds and the new
// token when it issued one.
func (c *Client) DeclarePhoto(ctx context.Context, d *siaga.PhotoDeclaration, token string) (siaga.PhotoStatus, string, error) {
	var st siaga.PhotoStatus
	b, err := json.Marshal(d)
	if err != nil {
		return st, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.BaseURL, "/")+"/api/v1/photos", bytes.NewReader(b))
	if err != nil {
		return st, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(photoTokenHeader, token)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return st, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		err := decodeAPIError(resp)
		var e *APIError
		if errors.As(err, &e) && e.Status == http.StatusConflict && e.Field == "submission" {
			err = fmt.Errorf("%w: %w", ErrNumbersFirst, err)
		}
		return st, "", err
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, "", fmt.Errorf("siaga: decoding the answer to a photo declaration: %w", err)
	}
	return st, resp.Header.Get(photoTokenHeader), nil
}

// photoTokenHeader is photos.TokenHeader.
const photoTokenHeader = "Upload-Token"

// UploadPhoto uploads one page with a token kept for this call only.
func (c *Client) UploadPhoto(ctx context.Context, dev *Device, submission string, page, pages int, jpeg []byte) error {
	return c.Upload(ctx, &PhotoUpload{Device: dev, Submission: submission, Page: page, Pages: pages, JPEG: jpeg})
}

// Upload declares one page of a submission's photos and sends its bytes
// from wherever the server's copy ends, so that a call after a broken one
// resumes rather than starts again. It keeps the token the server issues
// in u.Token, and returns nil once the server holds the page complete and
// verified.
func (c *Client) Upload(ctx context.Context, u *PhotoUpload) error {
	sum := sha256.Sum256(u.JPEG)
	d := siaga.PhotoDeclaration{Page: u.Page, Pages: u.Pages, SHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(u.JPEG)), Submission: u.Submission}
	u.Device.SignPhoto(&d)
	restarted, renewed := false, false
	for {
		st, token, err := c.DeclarePhoto(ctx, &d, u.Token)
		if err != nil {
			return err
		}
		if token != "" {
			u.Token = token
		}
		err = c.sendFrom(ctx, u, st)
		var apiErr *APIError
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errRecheck):
			continue
		case errors.As(err, &apiErr) && apiErr.Field == "sha256" && !restarted:
			// The server discarded a copy that did not match (a torn write
			// after a crash): once more from 0.
			restarted = true
			continue
		case errors.As(err, &apiErr) && apiErr.Field == photoTokenHeader && !renewed:
			// Another declaration of the page (this phone's, before a
			// restart that lost the answer) took the token: declaring
			// again issues a new one.
			renewed = true
			continue
		}
		return err
	}
}

// errRecheck asks Upload to declare again: the server holds every byte
// and the declaration's answer says whether it is complete.
var errRecheck = errors.New("client: photo upload needs a fresh status")

func (c *Client) sendFrom(ctx context.Context, u *PhotoUpload, st siaga.PhotoStatus) error {
	jpeg := u.JPEG
	off := st.Received
	if st.Complete {
		return nil
	}
	for {
		if off >= int64(len(jpeg)) {
			return errRecheck
		}
		end := min(off+PhotoChunk, int64(len(jpeg)))
		next, err := c.patchPhoto(ctx, u, off, jpeg[off:end])
		var apiErr *APIError
		switch {
		case err == nil && next == int64(len(jpeg)):
			return nil // the server answers 204 at the end only once verified
		case err == nil:
			off = next
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict && next >= 0 && next != off:
			off = next // an earlier chunk's answer was lost; go on from the server's offset
		default:
			return err
		}
	}
}

// patchPhoto sends one chunk and returns the server's Upload-Offset (-1 when
// the answer carries none).
func (c *Client) patchPhoto(ctx context.Context, u *PhotoUpload, off int64, chunk []byte) (int64, error) {
	url := strings.TrimSuffix(c.BaseURL, "/") + "/api/v1/photos/" + u.Submission + "/" + strconv.Itoa(u.Page)
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, url, bytes.NewReader(chunk))
	if err != nil {
		return -1, err
	}
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Upload-Offset", strconv.FormatInt(off, 10))
	req.Header.Set(photoTokenHeader, u.Token)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return -1, err
	}
	defer resp.Body.Close()
	next, perr := strconv.ParseInt(resp.Header.Get("Upload-Offset"), 10, 64)
	if perr != nil {
		next = -1
	}
	if resp.StatusCode >= 300 {
		return next, decodeAPIError(resp)
	}
	if next < 0 {
		return -1, errors.New("client: answer without Upload-Offset")
	}
	return next, nil
}
