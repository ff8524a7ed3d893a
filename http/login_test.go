package http_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

// After five failed logins at one account, the login page answers 429 with
// Retry-After and says so in both languages, even to the right password.
func TestLoginThrottled(t *testing.T) {
	n := newNode(t)
	if _, err := n.Auth.CreateUser(context.Background(), "operator", "Siti Operator", "rahasia-panjang-123", siaga.RoleKPUProv, "36"); err != nil {
		t.Fatal(err)
	}
	login := func(password, addr string) (*http.Response, string) {
		form := url.Values{"username": {"operator"}, "password": {password}, "next": {"/wilayah/36"}}
		req := httptest.NewRequest("POST", "/masuk", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		n.Handler.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Result(), string(b)
	}
	for i := range 5 {
		if res, _ := login("tebakan-ke-"+strconv.Itoa(i), "198.51.100."+strconv.Itoa(i+1)+":4000"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	res, body := login("rahasia-panjang-123", "203.0.113.9:4000")
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt = %d, want 429", res.StatusCode)
	}
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || retry <= 0 || time.Duration(retry)*time.Second > 15*time.Minute {
		t.Errorf("Retry-After %q, want seconds up to 15 minutes", res.Header.Get("Retry-After"))
	}
	mustContain(t, "throttled login page", body, "Terlalu banyak percobaan masuk", "Too many failed login attempts", `value="/wilayah/36"`)
	if len(res.Cookies()) != 0 {
		t.Error("a throttled login set a cookie")
	}
}
