package photos

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/deskpemilu/siaga"
)

// TokenHeader carries the upload token: in the answer to a declaration
// that issues one, and in every PATCH and HEAD of the page's upload.
const TokenHeader = "Upload-Token"

// newToken returns a fresh upload token and the hash the store keeps. 32
// random bytes: unguessable, and short enough for a header.
func newToken() (token string, hash []byte) {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, tokenHash(token)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// holds reports whether token is the one whose hash p keeps, in constant
// time. A page declared before tokens existed has no hash and matches
// nothing: its device declares again and gets one.
func holds(p *siaga.Photo, token string) bool {
	return token != "" && len(p.TokenHash) == sha256.Size && subtle.ConstantTimeCompare(tokenHash(token), p.TokenHash) == 1
}

// checkToken refuses an upload request without the page's token: knowing
// a submission's id (public on the dashboard) must not let anyone reset
// or append to its upload.
func checkToken(p *siaga.Photo, token string) error {
	switch {
	case token == "":
		return siaga.Errorf(siaga.EUnauthorized, TokenHeader,
			"Header %s tidak ada; deklarasikan foto dulu (POST /api/v1/photos) untuk mendapatkannya",
			"the %s header is missing; declare the photo first (POST /api/v1/photos) to get one", TokenHeader)
	case !holds(p, token):
		return siaga.Errorf(siaga.EForbidden, TokenHeader,
			"%s tidak cocok untuk halaman ini; deklarasikan foto lagi untuk mendapatkan yang baru",
			"the %s does not match this page; declare the photo again to get a new one", TokenHeader)
	}
	return nil
}
