package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/node"
)

// TestUserAdd: a password comes from stdin or is generated and printed
// once; the command line never carries one.
func TestUserAdd(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	add := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		e := testEnv(&out)
		e.stdin = strings.NewReader(stdin)
		err := run(context.Background(), append([]string{"user", "add", "--data", data}, args...), e)
		return out.String(), err
	}
	login := func(username, password string) error {
		store, err := node.OpenStore(context.Background(), node.Config{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		_, _, _, err = auth.New(store, time.Now).Login(context.Background(), username, password, "127.0.0.1")
		return err
	}

	out, err := add("", "--username", "ops", "--name", "Operator", "--role", "kpu_prov", "--scope", "36")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^password: (\S+)$`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < 16 || !strings.Contains(out, "token: sgt_") {
		t.Fatalf("generated: %q, want the password and a token printed", out)
	}
	if err := login("ops", m[1]); err != nil {
		t.Errorf("the printed password does not log in: %v", err)
	}

	out, err = add("kalimat rahasia yang panjang\nlain\n", "--username", "ppk", "--role", "ppk", "--scope", "360101", "--name", "PPK", "--password-stdin")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "password") || strings.Contains(out, "kalimat") {
		t.Errorf("a password read from stdin was printed: %q", out)
	}
	if err := login("ppk", "kalimat rahasia yang panjang"); err != nil {
		t.Errorf("the password from stdin does not log in: %v", err)
	}

	refused := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"on the command line", "", []string{"--username", "x1x", "--role", "desk", "--password", "kalimat rahasia yang panjang"}, "--password: no such flag"},
		{"common", "bismillah2024\n", []string{"--username", "x2x", "--role", "desk", "--name", "X", "--password-stdin"}, "too easy to guess"},
		{"short", "pendek\n", []string{"--username", "x3x", "--role", "desk", "--name", "X", "--password-stdin"}, "at least 12"},
		{"empty stdin", "", []string{"--username", "x4x", "--role", "desk", "--name", "X", "--password-stdin"}, "empty"},
		{"stray argument", "", []string{"--username", "x5x", "--role", "desk", "rahasia"}, "unexpected argument"},
		// The README's example once left out --name: the error names it and shows one that works.
		{"no name", "", []string{"--username", "x6x", "--role", "kpu_prov", "--scope", "36"}, "required: --name\ncontoh / example: siaga user add"},
		{"nothing", "", nil, "required: --username, --name, --role"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := add(tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
