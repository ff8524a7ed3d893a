package siaga

import (
	"context"
	"time"
)

// PhotoDeclaration announces one photographed page of a count form before
// its bytes are sent. The device signs it; since it names the SHA-256 of the
// whole JPEG, the signature covers the bytes too. The upload that follows
// carries the upload token the declaration's answer issued.
//
// Field order is alphabetical by JSON name: see CanonicalBytes.
type PhotoDeclaration struct {
	Device     string `json:"device"`
	Page       int    `json:"page"`
	Pages      int    `json:"pages"`
	SHA256     string `json:"sha256"` // lower-case hex of the full JPEG
	Size       int64  `json:"size"`
	Submission string `json:"submission"` // the id of the numbers' submission

	// Signature is the base64 (standard, padded) Ed25519 signature of
	// CanonicalBytes by the device's key.
	Signature string `json:"signature,omitempty"`
}

// CanonicalBytes is what a device signs: the JSON object without the
// signature, keys in alphabetical order, no white space, no HTML escaping.
func (d *PhotoDeclaration) CanonicalBytes() []byte {
	c := *d
	c.Signature = ""
	return encodeCanonical(&c)
}

// Photo is a declared page and how far its upload has come. The bytes live
// in the node's data folder; the store keeps what was declared and whether
// the bytes arrived whole.
type Photo struct {
	Submission  string    `json:"submission"`
	Page        int       `json:"page"`
	Pages       int       `json:"pages"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Device      string    `json:"device"`
	TPS         string    `json:"tps"` // the declaring device's TPS
	Complete    bool      `json:"complete"`
	DeclaredAt  time.Time `json:"declared_at"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// TokenHash is the SHA-256 of the upload token the declaration's
	// answer carried: whoever sends the bytes must hold the token, so that
	// knowing a submission's id is not enough to reset or append to its
	// upload. The token itself is never stored.
	TokenHash []byte `json:"-"`
}

// PhotoStatus is how far the upload of one declared page has come: the
// answer to a declaration, to HEAD and to every chunk.
type PhotoStatus struct {
	Submission string `json:"submission"`
	Page       int    `json:"page"`
	Pages      int    `json:"pages"`
	Size       int64  `json:"size"`
	Received   int64  `json:"received"`
	Complete   bool   `json:"complete"`
	// UploadToken is set when a declaration issued a new token; it
	// travels in the Upload-Token header, never in the body.
	UploadToken string `json:"-"`
}

// PhotoStore keeps photo declarations.
type PhotoStore interface {
	// DeclarePhoto stores p unless its (submission, page) is already
	// declared. It returns the stored declaration and whether it is new;
	// comparing the two is the caller's business.
	DeclarePhoto(ctx context.Context, p *Photo) (stored *Photo, created bool, err error)
	// Photo returns one declared page; ENotFound when none.
	Photo(ctx context.Context, submission string, page int) (*Photo, error)
	// PhotosOf returns the declared pages of a submission by page number.
	PhotosOf(ctx context.Context, submission string) ([]Photo, error)
	// CompletePhoto marks a page complete; marking it twice is harmless.
	CompletePhoto(ctx context.Context, submission string, page int, at time.Time) error
	// SetPhotoToken replaces the upload token hash of a declared page.
	SetPhotoToken(ctx context.Context, submission string, page int, tokenHash []byte) error
	// PendingPhotos counts the pages a device declared that are not
	// complete.
	PendingPhotos(ctx context.Context, device string) (int, error)
}
