package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// PhotoChunk is the size of one upload request: small enough that a chunk
// lost on a weak link costs little, at most the server's 64 KiB.
const PhotoChunk = 32 << 10

// PhotoStatus is the server's answer to a declaration.
type PhotoStatus struct {
	Submission string `json:"submission"`
	Page       int    `json:"page"`
	Pages      int    `json:"pages"`
	Size       int64  `json:"size"`
	Received   int64  `json:"received"`
	Complete   bool   `json:"complete"`
}

// SignPhoto sets d.Device and d.Signature.
func (d *Device) SignPhoto(p *siaga.PhotoDeclaration) {
	p.Device = d.ID
	p.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(d.Key, p.CanonicalBytes()))
}

// DeclarePhoto sends a signed declaration and returns how much of the page
// the server holds.
func (c *Client) DeclarePhoto(ctx context.Context, d *siaga.PhotoDeclaration) (PhotoStatus, error) {
	var st PhotoStatus
	_, err := c.do(ctx, http.MethodPost, "/api/v1/photos", d, &st)
	return st, err
}

// UploadPhoto declares one page of a submission's photos and sends its
// bytes from wherever the server's copy ends, so that a call after a broken
// one resumes rather than starts again. It returns nil once the server holds
// the page complete and verified.
func (c *Client) UploadPhoto(ctx context.Context, dev *Device, submission string, page, pages int, jpeg []byte) error {
	sum := sha256.Sum256(jpeg)
	d := siaga.PhotoDeclaration{Page: page, Pages: pages, SHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(jpeg)), Submission: submission}
	dev.SignPhoto(&d)
	restarted := false
	for {
		st, err := c.DeclarePhoto(ctx, &d)
		if err != nil {
			return err
		}
		err = c.sendFrom(ctx, submission, page, st, jpeg)
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
		}
		return err
	}
}

// errRecheck asks UploadPhoto to declare again: the server holds every byte
// and the declaration's answer says whether it is complete.
var errRecheck = errors.New("client: photo upload needs a fresh status")

func (c *Client) sendFrom(ctx context.Context, submission string, page int, st PhotoStatus, jpeg []byte) error {
	off := st.Received
	if st.Complete {
		return nil
	}
	for {
		if off >= int64(len(jpeg)) {
			return errRecheck
		}
		end := min(off+PhotoChunk, int64(len(jpeg)))
		next, err := c.patchPhoto(ctx, submission, page, off, jpeg[off:end])
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
func (c *Client) patchPhoto(ctx context.Context, submission string, page int, off int64, chunk []byte) (int64, error) {
	url := strings.TrimSuffix(c.BaseURL, "/") + "/api/v1/photos/" + submission + "/" + strconv.Itoa(page)
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, url, bytes.NewReader(chunk))
	if err != nil {
		return -1, err
	}
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Upload-Offset", strconv.FormatInt(off, 10))
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
