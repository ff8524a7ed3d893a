package sms

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Kannel sends SMS through Kannel's sendsms HTTP interface (smsbox's
// sendsms-port, a sendsms-user's name and password): the early warning's
// push messages. Incoming SMS come the other way, to GET /sms/kannel.
type Kannel struct {
	URL      string // e.g. http://127.0.0.1:13013/cgi-bin/sendsms
	User     string
	Password string
	Client   *http.Client // nil: a client with a 10 s timeout
}

// Send hands one SMS to Kannel. Kannel answers 202 ("0: Accepted for
// delivery") or 200 ("Sent."); anything else, or no answer, is an error
// and the caller keeps the message to try again.
func (k Kannel) Send(ctx context.Context, to, text string) error {
	q := url.Values{"username": {k.User}, "password": {k.Password}, "to": {to}, "text": {text}, "charset": {"UTF-8"},
		"coding": {"2"}}
	if isGSM(text) {
		q.Del("coding") // plain 7-bit text fits 160 characters, UCS-2 only 70
	}
	u := k.URL
	if strings.Contains(u, "?") {
		u += "&" + q.Encode()
	} else {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("sendsms: %w", err)
	}
	c := k.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("sendsms: %w", redact(err, k.Password))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sendsms: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// redact keeps the password out of logs: a url.Error repeats the URL.
func redact(err error, password string) error {
	if password == "" {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), url.QueryEscape(password), "***"))
}

func isGSM(s string) bool {
	for _, r := range s {
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r') {
			return false
		}
	}
	return true
}
