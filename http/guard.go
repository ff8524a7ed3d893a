package http

import (
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/ui"
)

// route is one line of the route table (routes.go): what the server
// answers, who may ask and what one request may cost.
type route struct {
	pattern string
	access  access
	limits  limits
	handler http.HandlerFunc
}

// accessKind says how a route's caller is known.
type accessKind int

const (
	// accessPublic: anyone; published data only.
	accessPublic accessKind = iota + 1
	// accessSigned: the request carries its own credential (a device's
	// signature, an upload token, an enrolment code or an operator's
	// token), which the handler checks.
	accessSigned
	// accessGateway: an SMS gateway, known by its host, key or HMAC
	// (sms.go).
	accessGateway
	// accessStaff: a logged-in account (session cookie or API token) of
	// the listed roles, and within its scope when the route names one.
	accessStaff
	// accessMetrics: the metrics token (or the separate metrics address).
	accessMetrics
)

// access is a route's authorization rule. The zero value is no rule, which
// the table refuses (route.check), so a route cannot be added without one.
type access struct {
	kind  accessKind
	roles []siaga.Role // accessStaff: nil means any logged-in account
	// scope names the path wildcard (a region or TPS code) that must lie
	// within the account's scope.
	scope string
}

func public() access  { return access{kind: accessPublic} }
func signed() access  { return access{kind: accessSigned} }
func gateway() access { return access{kind: accessGateway} }
func metrics() access { return access{kind: accessMetrics} }

func staff(roles ...siaga.Role) access { return access{kind: accessStaff, roles: roles} }

// in adds a scope rule: the path wildcard must lie within the account's scope.
func (a access) in(wildcard string) access {
	a.scope = wildcard
	return a
}

// allows reports whether the access rule admits role at all (scope aside).
func (a access) allows(role siaga.Role) bool {
	return a.kind == accessStaff && (a.roles == nil || slices.Contains(a.roles, role))
}

// timeClass is how long a route may take to read its body and write its
// answer, counted from the moment the headers are in (Server.Timeouts).
type timeClass int

const (
	quick  timeClass = iota + 1 // a form, a page, a JSON answer
	slow                        // a photo chunk or relay file over 2G, an export
	stream                      // a long-lived stream: bounded by events.go instead
)

// Timeouts are the durations of the time classes; zero fields take the
// defaults (10 s and 2 min).
type Timeouts struct {
	Quick, Slow time.Duration
}

func (t Timeouts) of(c timeClass) time.Duration {
	switch c {
	case quick:
		return cmp.Or(t.Quick, 10*time.Second)
	case slow:
		return cmp.Or(t.Slow, 2*time.Minute)
	}
	return 0
}

// limits bound what one request may cost.
type limits struct {
	body int64     // largest body read, bytes; 0 for none
	time timeClass // to read the body and write the answer
	rate *rate     // of requests per client address; nil for none
	// failures is the rate of refused credentials (401 answers) per
	// client address: guessing is slowed, people who get it right are not.
	failures *rate
}

// check refuses a route without an authorization rule or limits.
func (rt route) check() error {
	method, path, ok := strings.Cut(rt.pattern, " ")
	switch {
	case !ok || method == "" || !strings.HasPrefix(path, "/"):
		return fmt.Errorf("http: route %q: a pattern is METHOD /path", rt.pattern)
	case rt.access.kind == 0:
		return fmt.Errorf("http: route %q has no authorization rule", rt.pattern)
	case rt.access.scope != "" && !strings.Contains(path, "{"+rt.access.scope+"}"):
		return fmt.Errorf("http: route %q: scope wildcard {%s} is not in the path", rt.pattern, rt.access.scope)
	case rt.limits.time == 0:
		return fmt.Errorf("http: route %q has no time limit", rt.pattern)
	case rt.limits.body < 0:
		return fmt.Errorf("http: route %q: negative body limit", rt.pattern)
	case rt.handler == nil:
		return fmt.Errorf("http: route %q has no handler", rt.pattern)
	}
	for _, role := range rt.access.roles {
		if !role.Valid() {
			return fmt.Errorf("http: route %q names unknown role %q", rt.pattern, role)
		}
	}
	return nil
}

// guard wraps a route's handler with its limits and authorization rule, in
// the order that keeps a refused request cheap: rate first, then
// deadlines and the body bound, then who is asking.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.limits.rate != nil {
			if ok, wait := s.rates.allow(rt.pattern+" "+s.clientAddr(r), *rt.limits.rate); !ok {
				s.tooMany(w, r, wait)
				return
			}
		}
		if f := rt.limits.failures; f != nil {
			key := "failed " + rt.pattern + " " + s.clientAddr(r)
			if ok, wait := s.rates.allow(key, *f); !ok {
				s.tooMany(w, r, wait)
				return
			}
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			defer func() {
				if sw.status != http.StatusUnauthorized {
					s.rates.refund(key, *f)
				}
			}()
			w = sw
		}
		if d := s.Timeouts.of(rt.limits.time); d > 0 {
			// Deadlines on the connection stop a body that trickles in or an
			// answer nobody reads; the context stops the work behind them.
			deadline := time.Now().Add(d)
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(deadline)
			_ = rc.SetWriteDeadline(deadline)
			ctx, cancel := context.WithDeadline(r.Context(), deadline)
			defer cancel()
			r = r.WithContext(ctx)
		}
		if rt.limits.body == 0 && r.ContentLength > 0 {
			s.refuse(w, r, siaga.Errorf(siaga.ETooLarge, "", "Permintaan ini tidak boleh membawa isi", "this request takes no body"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, rt.limits.body)
		switch rt.access.kind {
		case accessStaff:
			var ok bool
			if r, ok = s.admitStaff(w, r, rt.access); !ok {
				return
			}
		case accessMetrics:
			if !s.metricsAllowed(r) {
				http.NotFound(w, r)
				return
			}
		}
		rt.handler(w, r)
	})
}

// admitStaff lets a logged-in account of the route's roles through, with
// the account in the request's context. A session cookie on a request
// that changes something must carry the session's CSRF token.
func (s *Server) admitStaff(w http.ResponseWriter, r *http.Request, a access) (*http.Request, bool) {
	u, sess, viaCookie := s.requestUser(r)
	if u == nil {
		s.refuse(w, r, siaga.Errorf(siaga.EUnauthorized, "", "Harus masuk terlebih dahulu", "login required"))
		return r, false
	}
	if !a.allows(u.Role) {
		s.refuse(w, r, siaga.Errorf(siaga.EForbidden, "role", "Peran %s tidak boleh membuka halaman ini",
			"role %s may not use this page", u.Role))
		return r, false
	}
	if a.scope != "" && !siaga.InScope(u.Scope, r.PathValue(a.scope)) {
		s.refuse(w, r, siaga.Errorf(siaga.EForbidden, a.scope, "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", r.PathValue(a.scope)))
		return r, false
	}
	if viaCookie && !safeMethod(r.Method) {
		ok, err := validCSRF(r, sess)
		var tooBig *http.MaxBytesError
		switch {
		case ok:
		case errors.As(err, &tooBig):
			s.refuse(w, r, siaga.Errorf(siaga.ETooLarge, "", "Isi permintaan melebihi %d MiB", "the request is over %d MiB", tooBig.Limit>>20))
			return r, false
		default:
			s.refuse(w, r, siaga.Errorf(siaga.EForbidden, "csrf", "Token formulir tidak sah; muat ulang halaman lalu coba lagi",
				"invalid form token; reload the page and try again"))
			return r, false
		}
	}
	return r.WithContext(siaga.NewContextWithUser(r.Context(), u, sess)), true
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// validCSRF reads the token from the X-CSRF-Token header or, for a form,
// its csrf field; err is why the form could not be read (a body over the
// route's limit, say).
func validCSRF(r *http.Request, sess *siaga.Session) (ok bool, err error) {
	if sess == nil {
		return false, nil
	}
	token := r.Header.Get("X-CSRF-Token")
	if token == "" {
		if err := formError(r); err != nil {
			return false, err
		}
		token = r.PostForm.Get("csrf")
	}
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) == 1, nil
}

// multipartMemory is how much of a file upload (the hazards page's
// GeoJSON, 32 MiB at most) is held in memory while its form is read for
// the CSRF token; the rest waits in a temporary file that net/http removes
// when the request ends.
const multipartMemory = 1 << 20

// formError parses the request's form, a multipart one (a file upload)
// too, once: ParseForm leaves a multipart body unread, and its csrf field
// with it.
func formError(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if r.MultipartForm != nil {
			return nil
		}
		return r.ParseMultipartForm(multipartMemory)
	}
	return r.ParseForm()
}

// requestUser finds the account of a request: a session cookie, else an
// API token. viaCookie says which, for the CSRF rule.
func (s *Server) requestUser(r *http.Request) (u *siaga.User, sess *siaga.Session, viaCookie bool) {
	if u, sess, ok := siaga.UserFromContext(r.Context()); ok {
		return u, sess, sess != nil
	}
	if s.Auth == nil {
		return nil, nil, false
	}
	if u, sess := s.sessionUser(r); u != nil {
		return u, sess, true
	}
	if token, ok := bearer(r); ok {
		if u, err := s.Auth.TokenUser(r.Context(), token); err == nil {
			return u, nil, false
		}
	}
	return nil, nil, false
}

// refuse answers a request the guard turns away: JSON for the API and
// downloads, a page (or, for a page that needs a login, the login form)
// for people.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, e *siaga.Error) {
	if strings.HasPrefix(r.URL.Path, "/api/") || path.Ext(r.URL.Path) != "" {
		s.writeError(w, r, e)
		return
	}
	if e.Code == siaga.EUnauthorized && safeMethod(r.Method) {
		http.Redirect(w, r, "/masuk?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	ui.SetRetryAfter(w, e.RetryAfter)
	s.pages.Error(w, r, siaga.HTTPStatus(e.Code), e.Message+".", e.MessageEN+".")
}

// tooMany answers 429 with Retry-After.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	s.Logger.Warn("rate limited", "method", r.Method, "path", r.URL.Path, "client", s.clientAddr(r))
	e := siaga.Errorf(siaga.ETooMany, "", "Terlalu banyak permintaan; coba lagi sebentar lagi", "too many requests; try again shortly")
	e.RetryAfter = max(wait, time.Second)
	s.refuse(w, r, e)
}
