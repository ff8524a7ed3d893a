package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	siagahttp "github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// The accounts of the route test are scoped to Kab. Pandeglang (3601);
// the out-of-scope codes lie in Kab. Lebak (3602).
const (
	testScope    = "3601"
	inDesa       = "3601012001"
	outDesa      = "3602012001"
	metricsToken = "metrik-rahasia"
)

// caller is one way of calling a route: anonymous, or an account of a role
// by session cookie (with the session's CSRF token) or by API token.
type caller struct {
	name   string
	role   siaga.Role // "" for anonymous
	cookie string
	csrf   string
	token  string
}

// TestRouteAccess is generated from the route table: every route is called
// by the public and by every role, in and out of the account's scope, by
// cookie and by token, and the answer must follow the route's rule. A
// route added without a rule fails RouteRules; a rule the guard does not
// enforce fails here.
func TestRouteAccess(t *testing.T) {
	n := nodetest.Open(t, func(c *node.Config) { c.MetricsToken = metricsToken })
	rules, err := siagahttp.RouteRules()
	if err != nil {
		t.Fatal(err)
	}
	callers := routeCallers(t, n)
	for _, rule := range rules {
		t.Run(rule.Pattern, func(t *testing.T) {
			for _, c := range callers {
				for _, scope := range []string{"in", "out"} {
					if scope == "out" && rule.Scope == "" {
						continue
					}
					t.Run(c.name+"/"+scope, func(t *testing.T) {
						res := callRoute(t, n.Handler, rule, c, scope == "in")
						if why := judge(rule, c, scope == "in", res); why != "" {
							t.Errorf("%s by %s (%s of scope): %d %s: %s", rule.Pattern, c.name, scope,
								res.Code, res.Header().Get("Location"), why)
						}
					})
				}
			}
		})
	}
}

// judge says what is wrong with an answer, or "".
func judge(rule siagahttp.RouteRule, c caller, inScope bool, res *httptest.ResponseRecorder) string {
	denied := res.Code == http.StatusUnauthorized || res.Code == http.StatusForbidden ||
		(res.Code == http.StatusSeeOther && strings.HasPrefix(res.Header().Get("Location"), "/masuk"))
	switch rule.Kind {
	case "public":
		// A wrong password is the login's answer, not a refusal to serve.
		if denied && !(rule.Pattern == "POST /masuk" && res.Code == http.StatusUnauthorized) {
			return "a public route refused"
		}
	case "signed", "gateway":
		// Called with no signature, token, code or key.
		if c.role == "" && res.Code < 400 {
			return "answered without credentials"
		}
	case "metrics":
		if res.Code != http.StatusNotFound {
			return "metrics answered without the metrics token"
		}
	case "staff":
		allowed := c.role != "" && slices.Contains(rule.Roles, c.role)
		switch {
		case c.role == "" && !denied:
			return "answered the public"
		case c.role != "" && !allowed && res.Code != http.StatusForbidden:
			return "answered a role the rule does not name"
		case allowed && !inScope && res.Code != http.StatusForbidden:
			return "answered outside the account's scope"
		case allowed && inScope && denied:
			return "refused a role the rule names, in scope"
		}
	default:
		return "unknown rule kind " + rule.Kind
	}
	return ""
}

// callRoute sends one request to a route, its wildcards filled with codes in or
// out of the test scope.
func callRoute(t testing.TB, h http.Handler, rule siagahttp.RouteRule, c caller, inScope bool) *httptest.ResponseRecorder {
	t.Helper()
	method, pattern, _ := strings.Cut(rule.Pattern, " ")
	req := httptest.NewRequest(method, fillPattern(pattern, inScope), nil)
	if rule.Stream {
		// A stream that was let in answers 200 and goes on: end it.
		ctx, cancel := context.WithTimeout(req.Context(), 100*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
	}
	req.Header.Set("Accept", "text/html")
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "siaga_session", Value: c.cookie})
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res := httptest.NewRecorder()
	h.ServeHTTP(res, req)
	return res
}

// fillPattern turns a route pattern into a path.
func fillPattern(pattern string, inScope bool) string {
	desa := inDesa
	if !inScope {
		desa = outDesa
	}
	r := strings.NewReplacer(
		"{contest}", "ppwp", "{region}", desa, "{code}", desa, "{tps}", desa+"001",
		"{submission}", "0190a8a4-0000-7000-8000-000000000000", "{id}", "0190a8a4-0000-7000-8000-000000000000",
		"{page}", "1", "{hash}", "x", "{sha}", strings.Repeat("0", 64), "{name...}", "app.css", "{$}", "")
	return r.Replace(pattern)
}

// routeCallers makes the public and an account of every role, each by
// cookie and by API token.
func routeCallers(t testing.TB, n *node.Node) []caller {
	t.Helper()
	ctx := context.Background()
	out := []caller{{name: "anonymous"}}
	for _, role := range siaga.Roles {
		name, pass := "u-"+string(role), "kata-sandi-uji-"+string(role)
		scope := testScope
		if role.SubmitSource() != "" {
			scope = inDesa + "001" // field accounts are scoped to their TPS
		}
		nu := auth.NewUser{Username: name, Name: name, Password: pass, Role: role, Scope: scope}
		if role == siaga.RoleSaksi || role == siaga.RoleSaksiKoord {
			nu.Party = "partai:1"
		}
		if _, err := n.Auth.AddUser(ctx, auth.Console(), nu); err != nil {
			t.Fatalf("user %s: %v", role, err)
		}
		cookie, sess, u, err := n.Auth.Login(ctx, name, pass, "192.0.2.1")
		if err != nil {
			t.Fatalf("login %s: %v", role, err)
		}
		token, err := n.Auth.NewAPIToken(ctx, u, "uji")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out,
			caller{name: string(role) + "/cookie", role: role, cookie: cookie, csrf: sess.CSRF},
			caller{name: string(role) + "/token", role: role, token: token})
	}
	return out
}

// TestMetricsToken: /metrics answers the metrics token only.
func TestMetricsToken(t *testing.T) {
	n := nodetest.Open(t, func(c *node.Config) { c.MetricsToken = metricsToken })
	for _, tt := range []struct {
		auth string
		want int
	}{{"", 404}, {"Bearer salah", 404}, {"Bearer " + metricsToken, 200}} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Header.Set("Authorization", tt.auth)
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		if res.Code != tt.want {
			t.Errorf("GET /metrics with %q: %d, want %d", tt.auth, res.Code, tt.want)
		}
	}
}

// TestCSRF: a change made with a session cookie needs the session's CSRF
// token; the same change with an API token does not.
func TestCSRF(t *testing.T) {
	n := newNode(t)
	ctx := context.Background()
	if _, err := n.Auth.CreateUser(ctx, "ops", "Ops", "kata-sandi-yang-panjang", siaga.RoleKPUProv, "36"); err != nil {
		t.Fatal(err)
	}
	cookie, sess, _, err := n.Auth.Login(ctx, "ops", "kata-sandi-yang-panjang", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, csrf string
		want       int
	}{{"none", "", 403}, {"wrong", "x" + sess.CSRF, 403}, {"right", sess.CSRF, 400}} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/enrolments", strings.NewReader(`{}`))
			req.AddCookie(&http.Cookie{Name: "siaga_session", Value: cookie})
			if tt.csrf != "" {
				req.Header.Set("X-CSRF-Token", tt.csrf)
			}
			res := httptest.NewRecorder()
			n.Handler.ServeHTTP(res, req)
			if res.Code != tt.want {
				t.Errorf("status %d, want %d: %s", res.Code, tt.want, res.Body)
			}
		})
	}
}

// TestSecurityHeaders: every answer forbids framing and foreign scripts;
// HSTS only over TLS, which a trusted proxy may vouch for.
func TestSecurityHeaders(t *testing.T) {
	n := nodetest.Open(t, func(c *node.Config) { c.TrustedProxies = mustPrefix(t, "10.0.0.0/8") })
	for _, tt := range []struct {
		name, path, remote, proto string
		hsts                      bool
	}{
		{"page", "/", "203.0.113.5:1", "", false},
		{"field app", "/lapangan/", "203.0.113.5:1", "", false},
		{"api", "/api/v1/election", "203.0.113.5:1", "https", false},
		{"via TLS proxy", "/", "10.1.2.3:1", "https", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			req.RemoteAddr = tt.remote
			req.Header.Set("X-Forwarded-Proto", tt.proto)
			res := httptest.NewRecorder()
			n.Handler.ServeHTTP(res, req)
			h := res.Header()
			csp := h.Get("Content-Security-Policy")
			switch {
			case !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff":
				t.Errorf("headers: %v", h)
			case strings.HasPrefix(tt.path, "/api/") && !strings.HasPrefix(csp, "default-src 'none'"):
				t.Errorf("API policy: %q", csp)
			case !strings.HasPrefix(tt.path, "/api/") && (!strings.Contains(csp, "script-src 'self'") || h.Get("X-Frame-Options") != "DENY"):
				t.Errorf("page headers: %v", h)
			}
			if got := h.Get("Strict-Transport-Security") != ""; got != tt.hsts {
				t.Errorf("HSTS = %v, want %v", got, tt.hsts)
			}
		})
	}
}

func mustPrefix(t testing.TB, cidr string) []netip.Prefix {
	t.Helper()
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		t.Fatal(err)
	}
	return []netip.Prefix{p}
}

// TestEnrolGuessing: wrong enrolment codes from one address are slowed
// (429 with Retry-After once the burst of failures is spent) while another
// address, and the right code, still go through.
func TestEnrolGuessing(t *testing.T) {
	n := newNode(t)
	enrol := func(remote, code string) *httptest.ResponseRecorder {
		body := `{"code":"` + code + `","public_key":"` + strings.Repeat("A", 43) + `="}`
		req := httptest.NewRequest("POST", "/api/v1/devices", strings.NewReader(body))
		req.RemoteAddr = remote
		res := httptest.NewRecorder()
		n.Handler.ServeHTTP(res, req)
		return res
	}
	const guesser = "203.0.113.9:4000"
	statuses := map[int]int{}
	for range 30 {
		statuses[enrol(guesser, "0000000000").Code]++
	}
	if statuses[401] != 20 || statuses[429] != 10 {
		t.Fatalf("30 wrong codes from one address: %v, want 20×401 then 10×429", statuses)
	}
	if res := enrol(guesser, "0000000000"); res.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if res := enrol("198.51.100.4:4000", "0000000000"); res.Code != 401 {
		t.Errorf("another address: %d, want 401", res.Code)
	}
}
