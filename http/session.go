package http

import (
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

const sessionCookie = "siaga_session"

// account is who is asking: on a staff route the account the guard
// admitted; elsewhere the session's or the API token's account, or nil for
// the public (a bad credential reads as the public: reading needs none).
func (s *Server) account(r *http.Request) *siaga.User {
	u, _, _ := s.requestUser(r)
	return u
}

// sessionUser looks up the session cookie's account.
func (s *Server) sessionUser(r *http.Request) (*siaga.User, *siaga.Session) {
	if s.Auth == nil {
		return nil, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, sess, err := s.Auth.SessionUser(r.Context(), c.Value)
	if err != nil || u == nil || sess == nil {
		return nil, nil
	}
	return u, sess
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.pages.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	next := ui.SafeNext(r.PostForm.Get("next"))
	if s.Auth == nil {
		s.pages.Error(w, r, http.StatusServiceUnavailable, "Layanan masuk tidak tersedia.", "Login is unavailable.")
		return
	}
	token, sess, _, err := s.Auth.Login(r.Context(), username, r.PostForm.Get("password"), s.clientAddr(r))
	if err != nil {
		s.pages.LoginFailed(w, r, username, next, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.viaTLS(r),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout needs the session's CSRF token (guard.go): a cross-site form must
// not be able to end an official's session on election night.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.pages.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	// The guard admitted the account and checked the CSRF token.
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			s.dashLog().Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.viaTLS(r)})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
