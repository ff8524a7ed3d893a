package bench

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/deskpemilu/siaga"
)

// reference is the irreducible work of an intake: decode the submission
// and verify its signature. Siaga's throughput is reported as a ratio to it.
type reference struct {
	keys map[string]ed25519.PublicKey // device id → key; read-only once serving
}

func (ref *reference) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var s siaga.Submission
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&s); err != nil {
		http.Error(w, `{"error":{"code":"invalid"}}`, http.StatusBadRequest)
		return
	}
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	pub, ok := ref.keys[s.Device]
	if err != nil || !ok || !ed25519.Verify(pub, s.CanonicalBytes(), sig) {
		http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"submission":%q,"tps":%q}`, s.ID, s.TPS)
}

// device is an enrolled field phone as the load generator holds it.
type device struct {
	id   string
	priv ed25519.PrivateKey
}

// signed returns the request body of s sent by d.
func signed(s siaga.Submission, d device) ([]byte, error) {
	s.Device = d.id
	s.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(d.priv, s.CanonicalBytes()))
	b, err := json.Marshal(&s)
	if err != nil {
		return nil, fmt.Errorf("encoding submission %s: %w", s.ID, err)
	}
	return b, nil
}

// startReference serves the reference handler for the workload's devices:
// in a child process when Siaga runs in one, so that both are measured
// the same way.
func startReference(ctx context.Context, o options, keys map[string]ed25519.PublicKey) (url string, stop func() error, err error) {
	if o.inprocess {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, fmt.Errorf("listening for the reference: %w", err)
		}
		hs := &http.Server{Handler: &reference{keys: keys}}
		go hs.Serve(ln)
		return "http://" + ln.Addr().String(), hs.Close, nil
	}
	path := filepath.Join(o.data, "reference-keys.json")
	b, err := json.Marshal(keys)
	if err != nil {
		return "", nil, fmt.Errorf("encoding the reference's keys: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return "", nil, fmt.Errorf("writing the reference's keys: %w", err)
	}
	exe, err := executable()
	if err != nil {
		return "", nil, err
	}
	c, err := startChild(ctx, exe, "bench", ReferenceServer, "-keys", path)
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSuffix(c.url, "/"), c.stop, nil
}

// ReferenceServer is the internal `siaga bench` subcommand that serves the
// reference handler in a process of its own.
const ReferenceServer = "reference-server"

// ServeReference serves the reference handler until ctx ends, printing its
// URL first: `siaga bench reference-server -keys FILE`, the child
// startReference runs.
func ServeReference(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("siaga bench "+ReferenceServer, flag.ContinueOnError)
	keysPath := fs.String("keys", "", "JSON object of device id → base64 Ed25519 public key")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*keysPath)
	if err != nil {
		return fmt.Errorf("reading the keys: %w", err)
	}
	var keys map[string]ed25519.PublicKey
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("decoding %s: %w", *keysPath, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: &reference{keys: keys}}
	fmt.Fprintf(out, "Referensi: http://%s/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
