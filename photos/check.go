package photos

import (
	"github.com/google/uuid"

	"github.com/deskpemilu/siaga"
)

// Limits of the photo API. A page compressed on the phone is about 250 KB;
// the size limit leaves room without letting a photo become a video.
const (
	MaxSize  = 400 << 10 // bytes of one JPEG
	MaxPages = 20        // pages of one submission
	MaxChunk = 64 << 10  // bytes of one PATCH body
	// MaxPending bounds the pages one device has declared and not
	// completed, and with it what one device can make the server keep
	// (rows, and up to MaxSize of .part file each). Phones upload one page
	// at a time (the Go outbox a few in parallel), and a TPS's five forms
	// are about 25 pages, so more than this is not a phone at work; a
	// declaration beyond it is answered 429 until some are complete.
	MaxPending = 40
)

// Check refuses a declaration whose fields are out of range, naming the
// field. It does not check the signature.
func Check(d *siaga.PhotoDeclaration) error {
	if !ValidID(d.Submission) {
		return siaga.Errorf(siaga.EInvalid, "submission",
			"Id kiriman harus UUID huruf kecil (contoh 0190c3e1-7a2b-7c3d-8e4f-0123456789ab)",
			"submission must be a lower-case UUID (e.g. 0190c3e1-7a2b-7c3d-8e4f-0123456789ab)")
	}
	if d.Page < 1 || d.Page > MaxPages {
		return siaga.Errorf(siaga.EInvalid, "page", "Nomor halaman harus 1 sampai %d", "page must be 1 to %d", MaxPages)
	}
	if d.Pages < d.Page || d.Pages > MaxPages {
		return siaga.Errorf(siaga.EInvalid, "pages", "Jumlah halaman harus antara %d dan %d",
			"pages must be between %d and %d", d.Page, MaxPages)
	}
	if d.Size > MaxSize {
		return siaga.Errorf(siaga.ETooLarge, "size", "Foto terlalu besar: %d byte (maksimal %d); perkecil di ponsel",
			"photo too large: %d bytes (at most %d); compress it on the phone", d.Size, MaxSize)
	}
	if d.Size < 1 {
		return siaga.Errorf(siaga.EInvalid, "size", "Ukuran foto harus lebih dari 0 byte", "size must be more than 0 bytes")
	}
	if !isHex64(d.SHA256) {
		return siaga.Errorf(siaga.EInvalid, "sha256", "sha256 harus 64 karakter heksadesimal huruf kecil",
			"sha256 must be 64 lower-case hexadecimal characters")
	}
	return nil
}

// ValidID reports whether id is a UUID in its canonical lower-case form,
// the only form that is also a safe folder name.
func ValidID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// isJPEG checks the start of image marker followed by another marker, which
// every JPEG (JFIF, Exif, raw) begins with.
func isJPEG(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF
}
