package sms_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/node/nodetest"
	"github.com/deskpemilu/siaga/sms"
)

const (
	tpsA          = "3601012001001"
	tpsK          = "3601012001002" // the Kannel test's
	webhookSecret = "rahasia-webhook-uji"
)

// clock is a settable time for the lockout.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type served struct {
	n      *node.Node
	url    string
	clock  *clock
	phone  *client.Device // at tpsA
	kphone *client.Device // at tpsK
}

// serve starts a Banten node over TCP with kpps phones enrolled at tpsA
// and tpsK.
func serve(t testing.TB) *served {
	t.Helper()
	clk := &clock{t: time.Date(2024, 2, 14, 13, 0, 0, 0, time.UTC)}
	site := nodetest.Start(t, func(c *node.Config) { c.Now, c.SMSWebhookSecret = clk.Now, webhookSecret })
	s := &served{n: site.Node, url: site.URL, clock: clk}
	phones := site.Phones(t, siaga.RoleKPPS, tpsA, tpsK)
	s.phone, s.kphone = phones[0], phones[1]
	return s
}

// ppwpSMS is a valid ppwp report of the phone at tpsA.
func (s *served) ppwpSMS(t testing.TB, votes ...int) string {
	t.Helper()
	return reportSMS(t, s.phone, votes...)
}

// reportSMS is a ppwp report of a phone with its code.
func reportSMS(t testing.TB, phone *client.Device, votes ...int) string {
	t.Helper()
	body := "SGA " + phone.TPS + " P 250 230 5 3 238 230 8 238"
	for _, v := range votes {
		body += " " + itoa(v)
	}
	m, err := sms.Parse(body + " K00000000")
	if err != nil {
		t.Fatal(err)
	}
	return body + " K" + sms.Code(phone.Secret, m.Canonical())
}

func itoa(n int) string { return jsonNumber(n) }

func jsonNumber(n int) string { b, _ := json.Marshal(n); return string(b) }

// kannel sends text as Kannel's get-url would and returns the reply.
func (s *served) kannel(t testing.TB, from, text string) string {
	t.Helper()
	resp, err := http.Get(s.url + "/sms/kannel?from=" + url.QueryEscape(from) + "&text=" + url.QueryEscape(text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("kannel: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return string(b)
}

func (s *served) versions(t testing.TB, tps string) []siaga.Version {
	t.Helper()
	vs, err := s.n.Store.VersionsOfTPS(context.Background(), tps)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func wantContains(t testing.TB, reply string, parts ...string) {
	t.Helper()
	if len(reply) > sms.MaxLen {
		t.Errorf("reply is %d characters, more than one SMS: %q", len(reply), reply)
	}
	for _, p := range parts {
		if !strings.Contains(reply, p) {
			t.Errorf("reply %q does not contain %q", reply, p)
		}
	}
}

// TestSMS runs the service and the Kannel end-to-end test on one node:
// starting a node is most of the time under the race detector.
func TestSMS(t *testing.T) {
	s := serve(t)
	t.Run("Service", func(t *testing.T) { testService(t, s) })
	t.Run("Kannel", func(t *testing.T) { testKannel(t, s) })
	t.Run("LogPage", func(t *testing.T) { testLogPage(t, s) })
	t.Run("Incidents", func(t *testing.T) { testIncidents(t, s) })
	t.Run("KannelIncidents", func(t *testing.T) { testKannelIncidents(t, s) })
}

func testService(t *testing.T, s *served) {
	ctx := context.Background()

	t.Run("report, resend, other numbers", func(t *testing.T) {
		text := s.ppwpSMS(t, 60, 120, 50)
		wantContains(t, s.kannel(t, "+6281100000001", text), "SIAGA OK", "TPS "+tpsA, "v1 #", "01=60 02=120 03=50")
		// A resend typed by hand: other case and spacing, O for 0.
		lenient := strings.ToLower(strings.ReplaceAll(text, " 60 ", "  6O "))
		wantContains(t, s.kannel(t, "+6281100000001", lenient), "sudah tercatat", "v1 #")
		vs := s.versions(t, tpsA)
		if len(vs) != 1 || vs[0].Author != "sms:"+s.phone.ID || vs[0].Source != siaga.SourceKPPS || vs[0].Form.Votes.Options["02"] != 120 {
			t.Fatalf("stored versions = %+v, want one ppwp version by sms:%s", vs, s.phone.ID)
		}
		wantContains(t, s.kannel(t, "+6281100000001", s.ppwpSMS(t, 61, 120, 50)), "SIAGA GAGAL", "sudah tercatat (versi 1)", "replaces")
		if n := len(s.versions(t, tpsA)); n != 1 {
			t.Errorf("%d versions after a conflicting report, want 1", n)
		}
	})

	t.Run("refused with the exact field", func(t *testing.T) {
		wantContains(t, s.kannel(t, "+6281100000001", s.ppwpSMS(t, 60, 120)), "SIAGA GAGAL", "3 angka suara paslon", "terbaca 2", "(suara)")
		wantContains(t, s.kannel(t, "+6281100000001", "apa kabar"), "tidak terbaca", "Format: SGA")
		wantContains(t, s.kannel(t, "+6281100000001", "SGA 36010120 P 1 K00000000"), "SIAGA GAGAL", "13 angka", "(tps)")
	})

	t.Run("multi-part report in any order", func(t *testing.T) {
		testParts(t, s)
	})

	// A device enrolled before secrets were derived from the server key
	// has its secret in the database, and it still authenticates.
	t.Run("device with a stored secret", func(t *testing.T) {
		legacy := []byte("0123456789abcdef0123456789abcdef")
		e := &siaga.Enrolment{CodeHash: "kode-lama", TPS: tpsA, Role: siaga.RoleSaksi, IssuedBy: 1, ExpiresAt: s.clock.Now().Add(time.Hour)}
		if err := s.n.Store.CreateEnrolment(ctx, e); err != nil {
			t.Fatal(err)
		}
		d := &siaga.Device{ID: "0190f7a2-2b1c-7000-8000-00000000beef", PublicKey: make([]byte, 32), Secret: legacy, EnrolledAt: s.clock.Now()}
		if _, err := s.n.Store.ClaimEnrolment(ctx, "kode-lama", d, nil); err != nil {
			t.Fatal(err)
		}
		body := "SGA " + tpsA + " P 250 230 5 3 238 230 8 238 60 120 50"
		m, err := sms.Parse(body + " K00000000")
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, s.kannel(t, "+6281100000003", body+" K"+sms.Code(legacy, m.Canonical())), "SIAGA OK")
		vs := s.versions(t, tpsA)
		if last := vs[len(vs)-1]; last.Source != siaga.SourceSaksi || last.Author != "sms:"+d.ID {
			t.Errorf("last version %+v, want the saksi's", last)
		}
	})

	t.Run("lockout after bad codes", func(t *testing.T) {
		const from = "+6281199999999"
		bad := s.ppwpSMS(t, 1, 2, 3)
		bad = bad[:len(bad)-8] + "00000000"
		for i := 4; i >= 0; i-- {
			wantContains(t, s.kannel(t, from, bad), "kode K salah", "Sisa "+itoa(i))
			s.clock.Add(time.Minute)
		}
		wantContains(t, s.kannel(t, from, bad), "diblokir sampai 21:00 WIB")
		// A valid code proves the device: it passes the lock.
		good := s.ppwpSMS(t, 60, 120, 50)
		wantContains(t, s.kannel(t, from, good), "sudah tercatat")
		wantContains(t, s.kannel(t, from, bad), "diblokir sampai 21:00 WIB")
		// Another number is not locked.
		wantContains(t, s.kannel(t, "+6281100000001", bad), "kode K salah", "Sisa 4")
		s.clock.Add(55 * time.Minute) // the first bad code is now an hour old
		wantContains(t, s.kannel(t, from, bad), "kode K salah", "Sisa 4")
	})

	// Guesses sent at once share no count: exactly MaxBadCodes of them
	// are told how many tries remain, the others that the number is
	// locked.
	t.Run("lockout under parallel guesses", func(t *testing.T) {
		const from, guesses = "+6281188888888", 12
		text := s.ppwpSMS(t, 7, 8, 9)
		replies := make([]string, guesses)
		var wg sync.WaitGroup
		for i := range guesses {
			wg.Go(func() {
				code := []byte("00000000")
				code[7] = "0123456789ABCDEFGHJK"[i]
				replies[i] = s.kannel(t, from, text[:len(text)-8]+string(code))
			})
		}
		wg.Wait()
		counted, locked := 0, 0
		for _, r := range replies {
			switch {
			case strings.Contains(r, "kode K salah"):
				counted++
			case strings.Contains(r, "diblokir"):
				locked++
			default:
				t.Errorf("reply %q", r)
			}
		}
		if counted != 5 || locked != guesses-5 {
			t.Errorf("%d guesses counted and %d locked, want 5 and %d", counted, locked, guesses-5)
		}
	})

	t.Run("webhook", func(t *testing.T) {
		body := []byte(`{"from":"+6281100000002","text":"` + s.ppwpSMS(t, 60, 120, 50) + `","id":"gw-1"}`)
		now := s.clock.Now()
		ts := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
		for _, tt := range []struct {
			name, ts, sig string
			status        int
		}{
			{"no signature", ts(0), "", 401},
			{"bad signature", ts(0), strings.Repeat("ab", 32), 401},
			{"signed without the timestamp", ts(0), sign("", body), 401},
			{"no timestamp", "", sign("", body), 401},
			{"signed for another time", ts(0), sign(ts(time.Second), body), 401},
			{"stale", ts(-6 * time.Minute), sign(ts(-6*time.Minute), body), 401},
			{"from the future", ts(6 * time.Minute), sign(ts(6*time.Minute), body), 401},
			{"signed", ts(-4 * time.Minute), sign(ts(-4*time.Minute), body), 200},
			{"replayed", ts(-4 * time.Minute), sign(ts(-4*time.Minute), body), 409},
			{"resent, signed afresh", ts(0), sign(ts(0), body), 200},
		} {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("POST", s.url+"/sms/webhook", bytes.NewReader(body))
				if tt.sig != "" {
					req.Header.Set("X-Siaga-Signature", tt.sig)
				}
				if tt.ts != "" {
					req.Header.Set("X-Siaga-Timestamp", tt.ts)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var out struct {
					Reply string `json:"reply"`
				}
				json.NewDecoder(resp.Body).Decode(&out)
				if resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
				}
				if tt.status == 200 {
					wantContains(t, out.Reply, "sudah tercatat")
				}
			})
		}
		log, err := s.n.Store.SMSLog(ctx, siaga.SMSFilter{Number: "+6281100000002"})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 4 || log[1].Gateway != "webhook" || log[1].GatewayID != "gw-1" || log[0].Direction != siaga.SMSOut {
			t.Errorf("webhook log = %+v, want the two signed messages and their replies only", log)
		}
	})
}

// sign is what a gateway sends in X-Siaga-Signature: the HMAC of the
// timestamp, a dot and the body.
func sign(ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func testParts(t *testing.T, s *served) {
	d, ok := s.n.Ballot.Dapil(siaga.DPR, tpsA)
	if !ok {
		t.Fatal("no DPR dapil")
	}
	b := sms.NewBallot(s.n.Election, siaga.DPR, d)
	f := siaga.Form{Admin: siaga.Admin{"suara_sah": 0, "suara_tidak_sah": 3}, Votes: &siaga.Votes{Parties: map[string]siaga.PartyVotes{}}}
	sah := 0
	for party, list := range b.Lists {
		pv := siaga.PartyVotes{Party: party % 7, Candidates: map[string]int{}}
		for i, id := range list {
			pv.Candidates[id] = (party + i) % 5
		}
		sah += pv.Sum()
		f.Votes.Parties[jsonNumber(party)] = pv
	}
	f.Admin["suara_sah"] = sah
	texts, err := sms.Compose(&siaga.Submission{TPS: tpsA, Contest: siaga.DPR, Form: f}, b, s.phone.Secret, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 3 {
		t.Fatalf("%d parts, the test wants at least 3", len(texts))
	}
	order := append([]int{len(texts) - 1}, make([]int, 0, len(texts))...)
	for i := 0; i < len(texts)-1; i++ {
		order = append(order, i)
	}
	for k, i := range order {
		reply := s.kannel(t, "+6281100000001", texts[i])
		if k < len(order)-1 {
			wantContains(t, reply, "bagian", "diterima", "Menunggu")
			continue
		}
		wantContains(t, reply, "SIAGA OK", "DPR v1", "jumlah suara "+jsonNumber(sah))
	}
	// One part again: the report is complete and already recorded.
	wantContains(t, s.kannel(t, "+6281100000001", texts[1]), "sudah tercatat", "DPR v1")
	var dpr []siaga.Version
	for _, v := range s.versions(t, tpsA) {
		if v.Contest == siaga.DPR {
			dpr = append(dpr, v)
		}
	}
	if len(dpr) != 1 || len(dpr[0].Form.Votes.Parties) != len(b.Lists) {
		t.Fatalf("DPR versions = %d, want 1 with %d parties", len(dpr), len(b.Lists))
	}
}

// testLogPage: the SMS log needs a login and shows what came in,
// filterable.
func testLogPage(t *testing.T, s *served) {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(s.url + "/sms")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Fatalf("logged out: %d to %q, want a redirect to /masuk", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = noRedirect.PostForm(s.url+"/masuk", url.Values{"username": {"operator"}, "password": {"kata-sandi-yang-panjang"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "siaga_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("login gave no session cookie (status %d)", resp.StatusCode)
	}
	page := func(query string) string {
		req, _ := http.NewRequest("GET", s.url+"/sms"+query, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("/sms%s: %d", query, resp.StatusCode)
		}
		return string(b)
	}
	all := page("")
	for _, want := range []string{"Log SMS", "apa kabar", "tidak terbaca", "kode salah", "6281199999999", "tercatat"} {
		if !strings.Contains(all, want) {
			t.Errorf("/sms does not show %q", want)
		}
	}
	bad := page("?hasil=bad_code")
	if !strings.Contains(bad, "6281199999999") || strings.Contains(bad, "apa kabar") {
		t.Error("/sms?hasil=bad_code is not filtered to bad codes")
	}
	// The page says how much it shows of how much, and the export holds
	// every entry the filter selects.
	logged, err := s.n.Store.SMSLogCount(context.Background(), siaga.SMSFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Menampilkan %d dari %d pesan", min(logged, 100), logged); !strings.Contains(all, want) {
		t.Errorf("/sms does not say %q", want)
	}
	rows, err := csv.NewReader(strings.NewReader(page(".csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != logged+1 || rows[0][3] != "number" {
		t.Errorf("/sms.csv has %d rows, want a header and %d", len(rows), logged)
	}
	badRows, _ := csv.NewReader(strings.NewReader(page(".csv?hasil=bad_code"))).ReadAll()
	for _, r := range badRows[1:] {
		if r[7] != siaga.SMSBadCode {
			t.Errorf("/sms.csv?hasil=bad_code holds %v", r)
		}
	}
}
