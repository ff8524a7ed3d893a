package http

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows only this site's own scripts. Inline style
// attributes stay allowed: the bars and swatches of the dashboard are
// sized by them, and a style cannot run code. Camera frames (blob:) and
// drawn QR codes (data:) are images of the field app.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; " +
	"manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// secure sets the headers every answer carries: no framing (the field app
// and the login form cannot be overlaid by another site), no sniffing, no
// foreign scripts, and HSTS once the client came over TLS.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.viaTLS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			// JSON is never a document: the short policy keeps a phone's
			// answer over 2G small (a receipt is a few hundred bytes).
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
		next.ServeHTTP(w, r)
	})
}
