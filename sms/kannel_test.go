package sms_test

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

	"github.com/deskpemilu/siaga"
)

// Debian's kannel and kannel-extras install these.
const (
	bearerbox = "/usr/sbin/bearerbox"
	smsbox    = "/usr/sbin/smsbox"
	fakesmsc  = "/usr/lib/kannel/test/fakesmsc"
)

// testKannel sends SMS through a real Kannel (bearerbox, smsbox and the
// fakesmsc phone network) to a real node and reads the replies the phone
// gets back.
func testKannel(t *testing.T, s *served) {
	for _, bin := range []string{bearerbox, smsbox, fakesmsc} {
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("SIAGA_REQUIRE_E2E") == "1" {
				t.Fatalf("%s missing: install Debian's kannel and kannel-extras", bin)
			}
			t.Skip("skipped: Kannel not installed (Debian packages kannel, kannel-extras)")
		}
	}
	k := startKannel(t, s.url)
	const phone = "+6281234567890"

	report := reportSMS(t, s.kphone, 60, 120, 50)
	wantContains(t, k.send(t, phone, report), "SIAGA OK", "TPS "+tpsK, "PPWP v1 #", "01=60 02=120 03=50")
	wantContains(t, k.send(t, phone, report), "sudah tercatat", "PPWP v1 #")
	// Authenticated but one ticket short: the exact error, nothing stored.
	wantContains(t, k.send(t, phone, reportSMS(t, s.kphone, 60, 120)), "SIAGA GAGAL", "3 angka suara paslon", "terbaca 2")
	wantContains(t, k.send(t, phone, "halo pak, suara 01 ada 60"), "tidak terbaca", "Format: SGA")
	badCode := report[:len(report)-8] + "ABCDEFGH"
	wantContains(t, k.send(t, phone, badCode), "kode K salah")

	vs := s.versions(t, tpsK)
	if len(vs) != 1 || vs[0].Form.Votes.Options["01"] != 60 || vs[0].Author != "sms:"+s.kphone.ID {
		t.Fatalf("stored versions = %+v, want the one report", vs)
	}
	log, err := s.n.Store.SMSLog(context.Background(), siaga.SMSFilter{Number: phone})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(log) - 1; i >= 0; i-- {
		m := log[i]
		if m.Gateway != "kannel" {
			t.Errorf("log entry %d: gateway %q, want kannel", m.ID, m.Gateway)
		}
		got = append(got, string(m.Direction)+" "+m.Outcome)
	}
	want := []string{"in recorded", "out recorded", "in replay", "out replay", "in refused", "out refused",
		"in unreadable", "out unreadable", "in bad_code", "out bad_code"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("SMS log:\n got %v\nwant %v", got, want)
	}
}

type kannel struct {
	dir      string
	smscPort int
}

// startKannel writes a kannel.conf for free ports and starts bearerbox and
// smsbox; both are killed when t ends.
func startKannel(t *testing.T, nodeURL string) *kannel {
	t.Helper()
	k := &kannel{dir: t.TempDir()}
	admin, box, smsc := freePort(t), freePort(t), freePort(t)
	k.smscPort = smsc
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

group = sms-service
keyword = default
catch-all = true
get-url = "%[5]s/sms/kannel?from=%%p&text=%%a"
max-messages = 1
`, admin, box, smsc, k.dir, nodeURL)
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

func (k *kannel) start(t *testing.T, bin string, args ...string) {
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

// send delivers one SMS from the phone network and returns the reply the
// phone receives.
func (k *kannel) send(t *testing.T, from, text string) string {
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

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
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
