// Package client is a Go client of Siaga's HTTP API, as a field device or
// an operator uses it: enrol a device, sign and send count forms, read
// tallies. The demo, the benchmarks and the end-to-end tests go through it,
// so they exercise the same wire format as the phones.
package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Client talks to one Siaga server.
type Client struct {
	BaseURL string // e.g. http://127.0.0.1:8080
	HTTP    *http.Client
	Token   string // an operator's API token, for requests that need one
}

// Device is an enrolled field phone: its id and its private key.
type Device struct {
	ID     string
	TPS    string
	Role   siaga.Role
	Key    ed25519.PrivateKey
	Secret []byte
}

// Sign sets sub.Device and sub.Signature.
func (d *Device) Sign(sub *siaga.Submission) {
	sub.Device = d.ID
	sub.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(d.Key, sub.CanonicalBytes()))
}

// APIError is an error answer of the server.
type APIError struct {
	Status    int
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Field     string `json:"field"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("siaga: %d %s (%s): %s", e.Status, e.Code, e.Field, e.MessageEN)
}

// Enrol generates a key pair and enrols it with a one-time code.
func (c *Client) Enrol(ctx context.Context, code string) (*Device, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	var out struct {
		Device siaga.Device `json:"device"`
		Secret string       `json:"secret"`
	}
	req := map[string]string{"code": code, "public_key": base64.StdEncoding.EncodeToString(pub)}
	if _, err := c.do(ctx, http.MethodPost, "/api/v1/devices", req, &out); err != nil {
		return nil, err
	}
	secret, _ := base64.StdEncoding.DecodeString(out.Secret)
	return &Device{ID: out.Device.ID, TPS: out.Device.TPS, Role: out.Device.Role, Key: priv, Secret: secret}, nil
}

// IssueEnrolments asks for one code per TPS in one request; the answer
// maps TPS code to its one-time code.
func (c *Client) IssueEnrolments(ctx context.Context, tps []string, role siaga.Role) (map[string]string, error) {
	var out struct {
		Codes map[string]string `json:"codes"`
	}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/enrolments", map[string]any{"tps_list": tps, "role": role}, &out)
	return out.Codes, err
}

// Submit sends a submission (signed, or with the client's token) and
// returns the receipt; replay is true when the server already had it.
func (c *Client) Submit(ctx context.Context, sub *siaga.Submission) (r siaga.Receipt, replay bool, err error) {
	status, err := c.do(ctx, http.MethodPost, "/api/v1/submissions", sub, &r)
	return r, status == http.StatusOK, err
}

// SubmitBody sends pre-encoded submission JSON, for load generators that
// sign before the clock starts.
func (c *Client) SubmitBody(ctx context.Context, body []byte) (int, error) {
	return c.send(ctx, http.MethodPost, "/api/v1/submissions", body, nil)
}

// Tally reads a region's tally of a contest.
func (c *Client) Tally(ctx context.Context, contest siaga.Contest, region string) (siaga.Tally, error) {
	var t siaga.Tally
	_, err := c.do(ctx, http.MethodGet, "/api/v1/results/"+string(contest)+"/"+region, nil, &t)
	return t, err
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = b
	}
	return c.send(ctx, method, path, body, out)
}

// send sends body (JSON; none when nil) and decodes the answer into out,
// or reads it to the end when out is nil, so that the connection serves
// the next request.
func (c *Client) send(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return resp.StatusCode, decodeAPIError(resp)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp.StatusCode, fmt.Errorf("siaga: decoding the answer to %s %s: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

func decodeAPIError(resp *http.Response) error {
	var body struct {
		Error APIError `json:"error"`
	}
	e := &body.Error
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body); err != nil {
		e.Code, e.MessageEN = "http", resp.Status
	}
	e.Status = resp.StatusCode
	return e
}
