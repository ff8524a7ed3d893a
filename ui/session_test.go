package ui

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

func TestSafeNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/wilayah/3601", "/wilayah/3601"},
		{"/wilayah/3601?kontes=dpr&x=1", "/wilayah/3601?kontes=dpr&x=1"},
		{"/lapangan/", "/lapangan/"},
		{"/", "/"},
		{"/sms?nomor=%2B62811", "/sms?nomor=%2B62811"},
		{"", "/"},
		{"wilayah/36", "/"},
		{"//evil.com", "/"},
		{"///evil.com", "/"},
		{"/\\evil.com", "/"},
		{"/\\/evil.com", "/"},
		{"\\\\evil.com", "/"},
		{"/\t/evil.com", "/"},
		{"/\n/evil.com", "/"},
		{"/\r\n/evil.com", "/"},
		{"/ /evil.com", "/"},
		{"/\u00a0/evil.com", "/"},
		{"/\u2028/evil.com", "/"},
		{"/\u200b/evil.com", "/"},
		{"/%09/evil.com", "/"},
		{"/%0a/evil.com", "/"},
		{"/%2F/evil.com", "/"},
		{"/%5Cevil.com", "/"},
		{"/%5C/evil.com", "/"},
		{"https://evil.com", "/"},
		{"https:/evil.com", "/"},
		{"javascript:alert(1)", "/"},
		{"/javascript:alert(1)", "/javascript:alert(1)"},
		{"/a/../b", "/"},
		{"/a/%2e%2e/b", "/"},
		{"/a/./b", "/"},
		{"/a//b", "/"},
		{"/wilayah/36#peta", "/"},
		{"/%zz", "/"},
		{"/a\x00b", "/"},
		{"/a\x7fb", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.next, func(t *testing.T) {
			if got := SafeNext(tt.next); got != tt.want {
				t.Errorf("SafeNext(%q) = %q, want %q", tt.next, got, tt.want)
			}
		})
	}
}

// FuzzSafeNext: whatever SafeNext lets through is a local path that no
// browser reads as another site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/wilayah/36?kontes=dpr", "//evil.com", "/\\evil.com", "/\t/evil.com",
		"/%09/evil.com", "https://evil.com", "javascript:alert(1)", "/a/../b", "/lapangan/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q: neither the input nor /", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("SafeNext(%q) = %q: parses to scheme %q host %q (%v)", next, got, u.Scheme, u.Host, err)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\") {
			t.Fatalf("SafeNext(%q) = %q: not a local path", next, got)
		}
		for _, c := range got {
			if unicode.IsControl(c) || unicode.IsSpace(c) {
				t.Fatalf("SafeNext(%q) = %q: control or space character %q", next, got, c)
			}
		}
		for _, c := range u.Path {
			if unicode.IsControl(c) {
				t.Fatalf("SafeNext(%q) = %q: path with control character %q", next, got, c)
			}
		}
		// What the browser sees after dropping tabs and new lines and
		// reading \ as /, it must still see as local.
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		if b, err := url.Parse(browser); err != nil || b.Host != "" || strings.HasPrefix(browser, "//") {
			t.Fatalf("SafeNext(%q) = %q: a browser would read %q", next, got, browser)
		}
	})
}
