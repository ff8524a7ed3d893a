package http

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// csrfHeader carries a session's CSRF token on API calls made from a
// logged-in page.
const csrfHeader = "X-CSRF-Token"

// apiUser is the account behind an API call: an API token (Bearer), or
// the session cookie of a logged-in page. A call that changes something
// with a session must carry its CSRF token (X-CSRF-Token, or the form
// field csrf), so that another site cannot make it in the user's name.
func (s *Server) apiUser(r *http.Request) (*siaga.User, error) {
	if token, ok := bearer(r); ok {
		return s.Auth.TokenUser(r.Context(), token)
	}
	u, sess := s.currentUser(r)
	if u == nil {
		return nil, siaga.Errorf(siaga.EUnauthorized, "", "Harus masuk atau memakai token API", "log in or use an API token")
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return u, nil
	}
	token := r.Header.Get(csrfHeader)
	if token == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(nil, r.Body, 16<<10)
		if err := r.ParseForm(); err == nil {
			token = r.PostForm.Get("csrf")
		}
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
		return nil, siaga.Errorf(siaga.EForbidden, "csrf", "Token formulir tidak sah; muat ulang halaman lalu coba lagi",
			"invalid form token; reload the page and try again")
	}
	return u, nil
}

// viewer is who reads a page or an API answer: the account of an API
// token or of the session, or nil for the public (a bad token is the
// public too: reading needs no account).
func (s *Server) viewer(r *http.Request) *siaga.User {
	if token, ok := bearer(r); ok {
		u, err := s.Auth.TokenUser(r.Context(), token)
		if err != nil {
			return nil
		}
		return u
	}
	u, _ := s.currentUser(r)
	return u
}

// handleRevokeDevice serves POST /api/v1/devices/{id}/revoke: whoever may
// enrol such a device in its scope, or admin, stops it at once on every
// node (auth.Service.RevokeDevice). The body is ignored.
func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request) {
	u, err := s.apiUser(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.Auth.RevokeDevice(r.Context(), u, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
}

// readsSMS reports whether u may read the SMS log: the roles that handle
// what arrives by SMS (KPU's operators, whose KPPS report by SMS from
// blank spots), Bawaslu, which oversees them, and admin, which runs the
// gateway. The log holds the phone numbers of field officers: nobody else
// needs them.
func readsSMS(u *siaga.User) bool {
	if u == nil {
		return false
	}
	switch u.Role {
	case siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleAdmin:
		return true
	}
	return false
}

// publicAuthor is what the public sees of a version's author: which kind
// of source wrote it, never which device or which person.
func publicAuthor(author string) string {
	kind, _, found := strings.Cut(author, ":")
	switch {
	case !found:
		return author
	case kind == "device":
		return "perangkat"
	case kind == "user":
		return "operator"
	case kind == "import":
		return author // a process, "import:sirekap"
	}
	return kind
}

// versionsFor gives u the versions of tps as it may see them: staff whose
// scope covers the TPS see who wrote each; everyone else sees the kind
// of author only.
func versionsFor(u *siaga.User, tps string, vs []siaga.Version) []siaga.Version {
	if auth.CanSee(u, tps) {
		return vs
	}
	out := make([]siaga.Version, len(vs))
	for i, v := range vs {
		v.Author = publicAuthor(v.Author)
		out[i] = v
	}
	return out
}
