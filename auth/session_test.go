package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

func TestCreateUser(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tests := []struct {
		name                string
		username, password  string
		role                siaga.Role
		scope               string
		wantCode, wantField string
	}{
		{"admin", "admin", "rahasia-admin", siaga.RoleAdmin, "", "", ""},
		{"ppk", "ppk.sumur_1", "rahasia-ppk!", siaga.RolePPK, "360101", "", ""},
		{"kpps", "kpps-001", "rahasia-kpps", siaga.RoleKPPS, tpsA, "", ""},
		{"taken", "admin", "rahasia-admin", siaga.RoleAdmin, "", siaga.EConflict, ""},
		{"upper case", "Admin2", "rahasia-admin", siaga.RoleAdmin, "", siaga.EInvalid, "username"},
		{"short username", "ab", "rahasia-admin", siaga.RoleAdmin, "", siaga.EInvalid, "username"},
		{"long username", strings.Repeat("a", 33), "rahasia-admin", siaga.RoleAdmin, "", siaga.EInvalid, "username"},
		{"space", "ab cd", "rahasia-admin", siaga.RoleAdmin, "", siaga.EInvalid, "username"},
		{"role", "lurah", "rahasia-lurah", "lurah", "", siaga.EInvalid, "role"},
		{"scope length", "kab", "rahasia-kab!", siaga.RoleKPUKab, "360", siaga.EInvalid, "scope"},
		{"scope letters", "kab", "rahasia-kab!", siaga.RoleKPUKab, "36a1", siaga.EInvalid, "scope"},
		{"kpps wide", "kpps-002", "rahasia-kpps", siaga.RoleKPPS, "3601012001", siaga.EInvalid, "scope"},
		{"password", "desk", "pendek", siaga.RoleDesk, "36", siaga.EInvalid, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.CreateUser(ctx, tt.username, "Nama Lengkap", tt.password, tt.role, tt.scope)
			if tt.wantCode != "" {
				if siaga.ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				if tt.wantField != "" {
					wantError(t, err, tt.wantCode, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Store.UserByUsername(ctx, tt.username)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("stored user (-created +stored):\n%s", diff)
			}
			if ok, err := CheckPassword(got.PasswordHash, tt.password); !ok || err != nil {
				t.Errorf("stored hash does not check: %v, %v", ok, err)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	s, clk := newService(t)
	ctx := context.Background()
	u := mustUser(t, s, "ppk.sumur", siaga.RolePPK, "360101")

	_, _, _, errWrong := s.Login(ctx, "ppk.sumur", "rahasia-salah", testAddr)
	_, _, _, errUnknown := s.Login(ctx, "tidak.ada", "rahasia-ppk.sumur", testAddr)
	wantError(t, errWrong, siaga.EUnauthorized, "")
	if diff := cmp.Diff(errWrong, errUnknown); diff != "" {
		t.Errorf("wrong password and unknown user differ (-wrong +unknown):\n%s", diff)
	}
	if !strings.Contains(errWrong.(*siaga.Error).Message, "Nama pengguna atau kata sandi salah") {
		t.Errorf("message %q", errWrong.(*siaga.Error).Message)
	}

	token, sess, got, err := s.Login(ctx, "ppk.sumur", "rahasia-ppk.sumur", testAddr)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("login user (-want +got):\n%s", diff)
	}
	if sess.TokenHash == token || strings.Contains(sess.TokenHash, token) {
		t.Error("session stores the token itself")
	}
	if want := clk.Now().Add(DefaultSessionTTL); !sess.ExpiresAt.Equal(want) {
		t.Errorf("expires %v, want %v", sess.ExpiresAt, want)
	}

	got, gotSess, err := s.SessionUser(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || gotSess.CSRF != sess.CSRF {
		t.Errorf("SessionUser = %v %v, want user %d csrf %q", got, gotSess, u.ID, sess.CSRF)
	}
	for _, bad := range []string{"", token + "x", token[1:]} {
		_, _, err := s.SessionUser(ctx, bad)
		wantError(t, err, siaga.EUnauthorized, "")
	}

	// A second session is independent of the first.
	token2, sess2, _, err := s.Login(ctx, "ppk.sumur", "rahasia-ppk.sumur", testAddr)
	if err != nil {
		t.Fatal(err)
	}
	if token2 == token || sess2.CSRF == sess.CSRF {
		t.Error("two logins share a token or CSRF token")
	}
	if err := s.Logout(ctx, token2); err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, token2); err != nil {
		t.Errorf("second logout: %v", err)
	}
	if _, _, err := s.SessionUser(ctx, token2); siaga.ErrorCode(err) != siaga.EUnauthorized {
		t.Errorf("after logout: %v, want unauthorized", err)
	}
	if _, _, err := s.SessionUser(ctx, token); err != nil {
		t.Errorf("logout ended the other session: %v", err)
	}

	clk.Advance(DefaultSessionTTL - time.Second)
	if _, _, err := s.SessionUser(ctx, token); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	clk.Advance(time.Second)
	_, _, err = s.SessionUser(ctx, token)
	wantError(t, err, siaga.EUnauthorized, "")
}

func TestCheckCSRF(t *testing.T) {
	sess := &siaga.Session{CSRF: "c2lhZ2EtY3NyZi10b2tlbg"}
	tests := []struct {
		name  string
		sess  *siaga.Session
		token string
		want  bool
	}{
		{"match", sess, "c2lhZ2EtY3NyZi10b2tlbg", true},
		{"other", sess, "c2lhZ2EtY3NyZi10b2tlbh", false},
		{"prefix", sess, "c2lhZ2EtY3NyZi10b2tl", false},
		{"empty", sess, "", false},
		{"no session", nil, "", false},
		{"empty csrf", &siaga.Session{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckCSRF(tt.sess, tt.token); got != tt.want {
				t.Errorf("CheckCSRF = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAPIToken(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	u := mustUser(t, s, "importer", siaga.RoleAdmin, "")

	token, err := s.NewAPIToken(ctx, u, "impor sirekap")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "sgt_") {
		t.Errorf("token %q lacks the sgt_ prefix", token)
	}
	got, err := s.TokenUser(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("TokenUser (-want +got):\n%s", diff)
	}

	session, _, _, err := s.Login(ctx, "importer", "rahasia-importer", testAddr)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"empty": "", "no prefix": strings.TrimPrefix(token, "sgt_"), "changed": token[:len(token)-1] + "A",
		"session token": session, "session token prefixed": "sgt_" + session,
	} {
		t.Run(name, func(t *testing.T) {
			if bad == token {
				t.Skip("changed to itself")
			}
			_, err := s.TokenUser(ctx, bad)
			wantError(t, err, siaga.EUnauthorized, "token")
		})
	}

	_, err = s.NewAPIToken(ctx, u, "  ")
	wantError(t, err, siaga.EInvalid, "name")
	_, err = s.NewAPIToken(ctx, nil, "x")
	wantError(t, err, siaga.EUnauthorized, "")
}
