package ui

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/deskpemilu/siaga"
)

// currentUser is the logged-in user of a dashboard request, or nil. A bad
// or expired cookie is the same as none: the page is shown as public.
func (h *Pages) currentUser(r *http.Request) (*siaga.User, *siaga.Session) {
	if u, sess, ok := siaga.UserFromContext(r.Context()); ok && sess != nil {
		return u, sess
	}
	return h.sessionUser(r)
}

type loginPage struct {
	basePage
	Username string
	Next     string
	Error    string
	ErrorEN  string
}

func (h *Pages) LoginForm(w http.ResponseWriter, r *http.Request) {
	p := loginPage{basePage: h.base(r, "Masuk"), Next: SafeNext(r.URL.Query().Get("next"))}
	p.Nav = "masuk"
	h.render(w, r, "login", p)
}

// LoginFailed shows the form again with why: a wrong password (401), too
// many attempts (429) or a busy server (503), the last two with
// Retry-After.
func (h *Pages) LoginFailed(w http.ResponseWriter, r *http.Request, username, next string, err error) {
	p := loginPage{basePage: h.base(r, "Masuk"), Username: username, Next: next}
	p.Nav = "masuk"
	status := http.StatusUnauthorized
	p.Error, p.ErrorEN = "Nama pengguna atau kata sandi salah.", "Wrong username or password."
	var e *siaga.Error
	switch code := siaga.ErrorCode(err); {
	case code == siaga.EUnauthorized:
	case (code == siaga.ETooMany || code == siaga.EUnavailable) && errors.As(err, &e):
		status, p.Error, p.ErrorEN = siaga.HTTPStatus(code), e.Message+".", e.MessageEN+"."
		SetRetryAfter(w, e.RetryAfter)
	default:
		h.dashLog().Error("login", "err", err)
		status, p.Error, p.ErrorEN = http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Server error; try again."
	}
	h.renderStatus(w, r, status, "login", p)
}

// SafeNext keeps redirects after login on this site: it returns next only
// when it is a clean local path (with an optional query), else "/".
// Browsers forgive what url.Parse does not: they drop tabs and new lines
// anywhere in a URL and read a backslash as a slash, so "/\t/evil.com"
// and "/\\evil.com" both lead off-site. Anything that is not already in
// its clean form is refused rather than repaired.
func SafeNext(next string) string {
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

// SetRetryAfter sends d as whole seconds, rounded up so that a client that
// waits exactly that long is not refused again: for the pages and, through
// package http, the API.
func SetRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d <= 0 {
		return
	}
	w.Header().Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
}
