package http

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/deskpemilu/siaga"
)

const sessionCookie = "siaga_session"

// currentUser is the logged-in user of a dashboard request, or nil. A bad
// or expired cookie is the same as none: the page is shown as public.
func (s *Server) currentUser(r *http.Request) (*siaga.User, *siaga.Session) {
	if u, sess, ok := siaga.UserFromContext(r.Context()); ok && sess != nil {
		return u, sess
	}
	return s.sessionUser(r)
}

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

type loginPage struct {
	basePage
	Username string
	Next     string
	Error    string
	ErrorEN  string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := loginPage{basePage: s.base(r, "Masuk"), Next: safeNext(r.URL.Query().Get("next"))}
	p.Nav = "masuk"
	s.render(w, r, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	next := safeNext(r.PostForm.Get("next"))
	if s.Auth == nil {
		s.pageError(w, r, http.StatusServiceUnavailable, "Layanan masuk tidak tersedia.", "Login is unavailable.")
		return
	}
	token, sess, _, err := s.Auth.Login(r.Context(), username, r.PostForm.Get("password"), s.clientAddr(r))
	if err != nil {
		s.loginFailed(w, r, username, next, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.viaTLS(r),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loginFailed shows the form again with why: a wrong password (401), too
// many attempts (429) or a busy server (503), the last two with
// Retry-After.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, username, next string, err error) {
	p := loginPage{basePage: s.base(r, "Masuk"), Username: username, Next: next}
	p.Nav = "masuk"
	status := http.StatusUnauthorized
	p.Error, p.ErrorEN = "Nama pengguna atau kata sandi salah.", "Wrong username or password."
	var e *siaga.Error
	switch code := siaga.ErrorCode(err); {
	case code == siaga.EUnauthorized:
	case (code == siaga.ETooMany || code == siaga.EUnavailable) && errors.As(err, &e):
		status, p.Error, p.ErrorEN = siaga.HTTPStatus(code), e.Message+".", e.MessageEN+"."
		setRetryAfter(w, e.RetryAfter)
	default:
		s.dashLog().Error("login", "err", err)
		status, p.Error, p.ErrorEN = http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Server error; try again."
	}
	s.renderStatus(w, r, status, "login", p)
}

// logout needs the session's CSRF token (guard.go): a cross-site form must
// not be able to end an official's session on election night.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
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

// safeNext keeps redirects after login on this site: it returns next only
// when it is a clean local path (with an optional query), else "/".
// Browsers forgive what url.Parse does not: they drop tabs and new lines
// anywhere in a URL and read a backslash as a slash, so "/\t/evil.com"
// and "/\\evil.com" both lead off-site. Anything that is not already in
// its clean form is refused rather than repaired.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	for _, c := range next {
		if unicode.IsControl(c) || c == '\\' || unicode.IsSpace(c) || unicode.Is(unicode.Cf, c) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.Fragment != "" {
		return "/"
	}
	// Escaped, a tab or a slash is harmless to the browser but may not be
	// to what reads the path after it: the unescaped path must be clean too.
	if !cleanPath(u.Path) {
		return "/"
	}
	for _, c := range u.Path {
		if unicode.IsControl(c) || c == '\\' || unicode.IsSpace(c) || unicode.Is(unicode.Cf, c) {
			return "/"
		}
	}
	return next
}

// cleanPath reports whether p is an absolute path in path.Clean's form,
// but for one trailing slash: no "//", ".", ".." or empty elements.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	want := path.Clean(p)
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		want += "/"
	}
	return p == want
}
