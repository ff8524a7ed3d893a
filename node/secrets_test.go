package node

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

func mode(t testing.TB, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// openWriting opens the store of dir and writes to it, so that SQLite's
// -wal and -shm files exist while it is open.
func openWriting(t testing.TB, cfg Config) siaga.Store {
	t.Helper()
	s, err := OpenStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u := &siaga.User{Username: "desk", Name: "Desk", Role: siaga.RoleDesk, Scope: "36", PasswordHash: "x", CreatedAt: time.Now()}
	if err := s.CreateUser(context.Background(), u); err != nil && siaga.ErrorCode(err) != siaga.EConflict {
		t.Fatal(err)
	}
	return s
}

// The data folder, the database and SQLite's side files are the service
// user's alone, whatever the umask; looser modes are tightened and logged.
func TestDataDirPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var log bytes.Buffer
	cfg := Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	s := openWriting(t, cfg)
	want := map[string]fs.FileMode{"": 0o700, dbFile: 0o600, dbFile + "-wal": 0o600, dbFile + "-shm": 0o600}
	for name, m := range want {
		if got := mode(t, filepath.Join(dir, name)); got != m {
			t.Errorf("new %q has mode %v, want %v", name, got, m)
		}
	}
	s.Close()
	if log.Len() != 0 {
		t.Errorf("a new folder logged: %s", log.String())
	}

	// As an older version or a careless copy leaves them.
	for name, m := range map[string]fs.FileMode{"": 0o755, dbFile: 0o644, keyFile: 0o640} {
		path := filepath.Join(dir, name)
		if name == keyFile {
			if err := os.WriteFile(path, []byte(strings.Repeat("k", 64)), m); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(path, m); err != nil {
			t.Fatal(err)
		}
	}
	openWriting(t, cfg)
	want[keyFile] = 0o600
	for name, m := range want {
		if got := mode(t, filepath.Join(dir, name)); got != m {
			t.Errorf("existing %q has mode %v, want %v", name, got, m)
		}
	}
	if n := strings.Count(log.String(), "restricted to the service user"); n != 3 {
		t.Errorf("%d log lines for 3 loose modes:\n%s", n, log.String())
	}
}

func TestSecretKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)}
	s := openWriting(t, cfg)

	key, err := secretKey(ctx, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, keyFile)
	if len(key) != 64 || mode(t, path) != 0o600 {
		t.Fatalf("new key %q in a file of mode %v, want 64 hex digits, 0600", key, mode(t, path))
	}
	again, err := secretKey(ctx, cfg, s)
	if err != nil || string(again) != string(key) {
		t.Fatalf("second start: %q, %v; want the same key", again, err)
	}

	tests := []struct {
		name, env, wantErr string
		removeFile         bool
	}{
		{"the same key from the environment", string(key), "", false},
		{"another key from the environment", strings.Repeat("x", 40), "is not the one this database was used with", false},
		{"a short key from the environment", "pendek", "at least 32 characters", false},
		{"key file lost", "", "restore " + path, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.removeFile {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}
			c := cfg
			c.SecretKey = tt.env
			_, err := secretKey(ctx, c, s)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if _, serr := os.Stat(path); tt.removeFile && serr == nil {
				t.Error("a new key file was written for a database that had a key")
			}
		})
	}
}
