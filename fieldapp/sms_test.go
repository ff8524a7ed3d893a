package fieldapp_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// TestSMSMatchesGo runs the app's SMS composer (static/sms.js) in Chromium
// over the vectors that package sms checks its Go encoder against
// (sms/testdata/vectors.json): the same codes, the same texts, and the
// same submission, byte for byte, as the server makes of those texts.
func TestSMSMatchesGo(t *testing.T) {
	raw, err := os.ReadFile("../sms/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Codes []struct {
			Code string `json:"code"`
		} `json:"codes"`
		Reports []struct {
			Name      string   `json:"name"`
			Texts     []string `json:"texts"`
			ID        string   `json:"id"`
			Canonical string   `json:"canonical"`
		} `json:"reports"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, initData(t), "127.0.0.1:0")
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(s.url+"/lapangan/"), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	var got struct {
		Codes   []string `json:"codes"`
		Reports []struct {
			Texts     []string `json:"texts"`
			ID        string   `json:"id"`
			Canonical string   `json:"canonical"`
		} `json:"reports"`
	}
	evalAwait(t, ctx, `(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		const sms = await import(base + "sms.js");
		const canon = await import(base + "canon.js");
		const v = `+string(raw)+`;
		const codes = [];
		for (const c of v.codes) codes.push(await sms.code(sms.secretBytes(c.secret), c.canonical));
		const reports = [];
		for (const r of v.reports) {
			const secret = sms.secretBytes(r.secret);
			const texts = await sms.compose(r.submission, r.ballot, secret, r.part_id);
			const sub = await sms.submission({id: r.device, source: r.submission.source}, r.submission, r.ballot);
			reports.push({texts, id: sub.id, canonical: canon.canonical(sub)});
		}
		return {codes, reports};
	})()`, &got)
	if len(got.Codes) != len(want.Codes) || len(got.Reports) != len(want.Reports) {
		t.Fatalf("JavaScript answered %d codes and %d reports, want %d and %d", len(got.Codes), len(got.Reports), len(want.Codes), len(want.Reports))
	}
	for i, c := range want.Codes {
		if got.Codes[i] != c.Code {
			t.Errorf("code vector %d: JavaScript %s, Go %s", i, got.Codes[i], c.Code)
		}
	}
	for i, r := range want.Reports {
		t.Run(r.Name, func(t *testing.T) {
			g := got.Reports[i]
			if diff := cmp.Diff(r.Texts, g.Texts); diff != "" {
				t.Errorf("texts (-go +js):\n%s", diff)
			}
			if g.ID != r.ID {
				t.Errorf("submission id: JavaScript %s, Go %s", g.ID, r.ID)
			}
			if diff := cmp.Diff(r.Canonical, g.Canonical); diff != "" {
				t.Errorf("submission (-go +js):\n%s", diff)
			}
		})
	}
}
