// Package kanneltest runs a real Kannel for tests: bearerbox and smsbox
// with a generated kannel.conf on free ports, and fakesmsc as the phone
// network, so that an SMS goes through the same gateway as on election
// night to a node's GET /sms/kannel.
package kanneltest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Debian's kannel and kannel-extras install these.
const (
	bearerbox = "/usr/sbin/bearerbox"
	smsbox    = "/usr/sbin/smsbox"
	fakesmsc  = "/usr/lib/kannel/test/fakesmsc"
)

// Kannel is a running bearerbox and smsbox whose sms-service calls a node.
type Kannel struct {
	dir      string
	smscPort int
	sendPort int // smsbox's sendsms-port: the early warning's outgoing SMS
}

// SendUser and SendPassword are the sendsms-user of the generated
// kannel.conf.
const (
	SendUser     = "siaga"
	SendPassword = "kirim-uji"
)

// Start starts Kannel in front of the node at nodeURL; both boxes are
// killed when t ends. Without Kannel installed it skips t, or fails it
// when SIAGA_REQUIRE_E2E=1.
func Start(t testing.TB, nodeURL string) *Kannel {
	t.Helper()
	for _, bin := range []string{bearerbox, smsbox, fakesmsc} {
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				t.Fatalf("%s missing: install Debian's kannel and kannel-extras", bin)
			}
			t.Skip("skipped: Kannel not installed (Debian packages kannel, kannel-extras)")
		}
	}
	k := &Kannel{dir: t.TempDir()}
	admin, box, smsc := freePort(t), freePort(t), freePort(t)
	k.smscPort, k.sendPort = smsc, freePort(t)
	conf := fmt.Sprintf(`group = core
admin-port = %d
admin-password = uji
smsbox-port = %d
box-allow-ip = "127.0.0.1"
admin-allow-ip = "127.0.0.1"
log-file = "%[4]s/bearerbox.log"
log-level = 0

group = smsc
smsc = fake
smsc-id = fake
port = %[3]d
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = %[2]d
log-file = "%[4]s/smsbox.log"
log-level = 0
sendsms-port = %[6]d

group = sendsms-user
username = %[7]s
password = %[8]s
default-sender = SIAGA

group = sms-service
keyword = default
catch-all = true
get-url = "%[5]s/sms/kannel?from=%%p&text=%%a"
max-messages = 1
`, admin, box, smsc, k.dir, nodeURL, k.sendPort, SendUser, SendPassword)
	path := filepath.Join(k.dir, "kannel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	k.start(t, bearerbox, path)
	waitFor(t, 10*time.Second, "bearerbox admin port", func() bool { return status(admin) != "" })
	k.start(t, smsbox, path)
	waitFor(t, 10*time.Second, "smsbox connected to bearerbox", func() bool {
		return strings.Contains(status(admin), "smsbox:")
	})
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range []string{"bearerbox.log", "smsbox.log"} {
				b, _ := os.ReadFile(filepath.Join(k.dir, f))
				t.Logf("%s:\n%s", f, tail(string(b), 3000))
			}
		}
	})
	return k
}

func (k *Kannel) start(t testing.TB, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = k.dir
	out, err := os.Create(filepath.Join(k.dir, filepath.Base(bin)+".out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
	})
}

// Send delivers one SMS from the phone number from through the phone
// network and returns the reply that phone receives.
func (k *Kannel) Send(t testing.TB, from, text string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, fakesmsc, "-H", "127.0.0.1", "-r", fmt.Sprint(k.smscPort), "-i", "0", "-m", "1",
		from+" 1234 text "+text)
	cmd.Dir = k.dir
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		pw.Close()
	}()
	// fakesmsc prints "Got message 1: <to from text REPLY>" when the reply
	// arrives, and stays connected: the reply is the signal to stop it.
	var seen []string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		seen = append(seen, line)
		_, msg, ok := strings.Cut(line, "Got message 1: <")
		if !ok {
			continue
		}
		msg = strings.TrimSuffix(msg, ">")
		f := strings.SplitN(msg, " ", 4)
		if len(f) < 4 || f[0] != "1234" || f[1] != from || f[2] != "text" {
			t.Fatalf("fakesmsc got %q, want a text to %s", line, from)
		}
		return f[3]
	}
	t.Fatalf("no reply to %q within the deadline; fakesmsc said:\n%s", text, strings.Join(seen, "\n"))
	return ""
}

// SendSMSURL is smsbox's sendsms address for sms.Kannel.
func (k *Kannel) SendSMSURL() string {
	return fmt.Sprintf("http://127.0.0.1:%d/cgi-bin/sendsms", k.sendPort)
}

// Receive connects a phone network (fakesmsc, reading no message to send)
// and returns the first n messages it is given, each as "to text", or
// fails t after within.
func (k *Kannel) Receive(t testing.TB, n int, within time.Duration) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cmd := exec.CommandContext(ctx, fakesmsc, "-H", "127.0.0.1", "-r", fmt.Sprint(k.smscPort))
	cmd.Dir = k.dir
	stdin, err := cmd.StdinPipe() // open and silent: fakesmsc waits on it
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); pw.Close() }()
	defer func() { stdin.Close(); cmd.Process.Kill() }()
	var got, seen []string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		seen = append(seen, line)
		_, msg, ok := strings.Cut(line, "Got message ")
		if !ok {
			continue
		}
		_, msg, _ = strings.Cut(msg, ": <")
		// "<from to text MESSAGE>"
		f := strings.SplitN(strings.TrimSuffix(msg, ">"), " ", 4)
		if len(f) < 4 {
			t.Fatalf("fakesmsc got %q", line)
		}
		got = append(got, f[1]+" "+f[3])
		if len(got) == n {
			return got
		}
	}
	t.Fatalf("%d of %d messages within %s; fakesmsc said:\n%s", len(got), n, within, strings.Join(seen, "\n"))
	return nil
}

func status(adminPort int) string {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/status.txt?password=uji", adminPort))
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func waitFor(t testing.TB, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
