package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

const (
	dbFile  = "siaga.db"
	keyFile = "secret.key"
	// minKeyLen is 32 characters: a generated key is 64 hex digits, and a
	// chosen one must not be guessable.
	minKeyLen = 32
)

// privateDataDir makes the data folder and its database readable by the
// service user only: the database holds password hashes and every count,
// and the folder the server key and the photos. A new database file is
// created 0600 before SQLite opens it, and SQLite gives its -wal and -shm
// files the database file's mode. Looser modes left by an older version or
// a copy are tightened, and said so in the log.
func privateDataDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("node: creating the data folder: %w", err)
	}
	if err := tighten(dir, 0o700, log); err != nil {
		return err
	}
	db := filepath.Join(dir, dbFile)
	f, err := os.OpenFile(db, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("node: creating the database file: %w", err)
	}
	for _, name := range []string{dbFile, dbFile + "-wal", dbFile + "-shm", keyFile} {
		if err := tighten(filepath.Join(dir, name), 0o600, log); err != nil {
			return err
		}
	}
	return nil
}

// tighten removes from path's mode every permission that want lacks; a
// missing path is left alone.
func tighten(path string, want fs.FileMode, log *slog.Logger) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	mode := info.Mode().Perm()
	if mode&^want == 0 {
		return nil
	}
	if err := os.Chmod(path, mode&want); err != nil {
		return fmt.Errorf("node: restricting %s to its owner: %w", path, err)
	}
	log.Warn("restricted to the service user", "path", path, "was", mode.String(), "now", (mode & want).String())
	return nil
}

// secretKey returns the server key and checks it against the one the
// database was used with. It comes from cfg.SecretKey (SIAGA_SECRET_KEY)
// or DATA/secret.key; when neither exists and the database has never had a
// key, a new one is written to DATA/secret.key (0600). A database alone,
// copied without the key, then cannot make devices' SMS codes or test
// enrolment codes: keep the key out of database backups, and give every
// node that shares a PostgreSQL database the same key.
func secretKey(ctx context.Context, cfg Config, store siaga.AccountStore) ([]byte, error) {
	key, err := readKey(cfg)
	if err != nil {
		return nil, err
	}
	stored, err := store.SecretKeyCheck(ctx)
	if err != nil && siaga.ErrorCode(err) != siaga.ENotFound {
		return nil, fmt.Errorf("node: %w", err)
	}
	if key == nil {
		if stored != "" {
			return nil, fmt.Errorf("node: the database was used with a server key, and none is here: restore %s from where it is kept, or set SIAGA_SECRET_KEY",
				filepath.Join(cfg.DataDir, keyFile))
		}
		if key, err = newKeyFile(cfg); err != nil {
			return nil, err
		}
	}
	if stored, err = store.InitSecretKeyCheck(ctx, auth.KeyCheck(key)); err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	if stored != auth.KeyCheck(key) {
		return nil, errors.New("node: the server key (SIAGA_SECRET_KEY or secret.key) is not the one this database was used with; enrolled devices' SMS codes and issued enrolment codes would not match")
	}
	return key, nil
}

// readKey is the configured key or the data folder's; nil when neither.
func readKey(cfg Config) ([]byte, error) {
	if k := strings.TrimSpace(cfg.SecretKey); k != "" {
		if len(k) < minKeyLen {
			return nil, fmt.Errorf("node: SIAGA_SECRET_KEY must be at least %d characters", minKeyLen)
		}
		return []byte(k), nil
	}
	if cfg.DataDir == "" {
		return nil, errors.New("node: a server key is needed: set SIAGA_SECRET_KEY or give a data folder (--data) to keep secret.key in")
	}
	b, err := os.ReadFile(filepath.Join(cfg.DataDir, keyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("node: reading the server key: %w", err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < minKeyLen {
		return nil, fmt.Errorf("node: %s must hold at least %d characters", filepath.Join(cfg.DataDir, keyFile), minKeyLen)
	}
	return []byte(k), nil
}

// newKeyFile writes 32 random bytes, in hex, to DATA/secret.key (0600).
func newKeyFile(cfg Config) ([]byte, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("node: creating the data folder: %w", err)
	}
	if err := tighten(cfg.DataDir, 0o700, cfg.Logger); err != nil {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("node: making a server key: %w", err)
	}
	key := hex.EncodeToString(b)
	path := filepath.Join(cfg.DataDir, keyFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("node: writing the server key: %w", err)
	}
	_, werr := f.WriteString(key + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("node: writing the server key: %w", err)
	}
	cfg.Logger.Info("new server key written; keep it apart from database backups", "path", path)
	return []byte(key), nil
}
