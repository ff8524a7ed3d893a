package fieldapp_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/rules"
)

// TestCanonicalBytes runs the app's canonicaliser in Chromium and compares
// it byte for byte with siaga.Submission.CanonicalBytes, then checks that
// WebCrypto's Ed25519 signatures of those bytes verify in Go.
func TestCanonicalBytes(t *testing.T) {
	raw, err := os.ReadFile("testdata/canonical.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []json.RawMessage
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, initData(t), "127.0.0.1:0")
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(s.url+"/lapangan/"), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = string(c)
	}
	arg, _ := json.Marshal(texts)
	var got struct {
		Canonical  []string `json:"canonical"`
		PublicKey  string   `json:"public_key"`
		Signatures []string `json:"signatures"`
	}
	evalAwait(t, ctx, `(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		const canon = await import(base + "canon.js");
		const subs = `+string(arg)+`.map((t) => JSON.parse(t));
		const canonical = subs.map((s) => canon.canonical(s));
		const keys = await crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"]);
		const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b)));
		const signatures = [];
		for (const c of canonical) signatures.push(b64(await crypto.subtle.sign({name: "Ed25519"}, keys.privateKey, canon.bytes(c))));
		return {canonical, public_key: b64(await crypto.subtle.exportKey("raw", keys.publicKey)), signatures};
	})()`, &got)
	if len(got.Canonical) != len(cases) {
		t.Fatalf("got %d canonical texts for %d cases", len(got.Canonical), len(cases))
	}
	pub, _ := base64.StdEncoding.DecodeString(got.PublicKey)
	for i, c := range cases {
		var sub siaga.Submission
		if err := json.Unmarshal(c, &sub); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := sub.CanonicalBytes()
		if diff := cmp.Diff(string(want), got.Canonical[i]); diff != "" {
			t.Errorf("case %d: canonical bytes differ (-go +js):\n%s", i, diff)
		}
		sig, _ := base64.StdEncoding.DecodeString(got.Signatures[i])
		if !ed25519.Verify(pub, want, sig) {
			t.Errorf("case %d: the browser's signature does not verify over Go's canonical bytes", i)
		}
	}
}

// TestRulesMatchGo checks the app's port of the rules against rules.Check
// on the forms of rules/testdata and a few broken ones.
func TestRulesMatchGo(t *testing.T) {
	raw, err := os.ReadFile("testdata/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name string     `json:"name"`
		DPT  int        `json:"dpt"`
		Real bool       `json:"dpt_imported"`
		Form siaga.Form `json:"form"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, initData(t), "127.0.0.1:0")
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(s.url+"/lapangan/"), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	var got [][]string
	evalAwait(t, ctx, `(async () => {
		const base = document.querySelector('script[type=module]').src.replace(/app\.js$/, "");
		const r = await import(base + "rules.js");
		return `+string(raw)+`.map((c) => r.ruleIDs(r.check(c.form, {dpt: c.dpt, dpt_imported: c.dpt_imported}, null)));
	})()`, &got)
	el := &siaga.Election{Tickets: []siaga.Ticket{{Number: "01"}, {Number: "02"}, {Number: "03"}}}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ctx := rules.Context{Election: el, TPS: siaga.TPS{DPT: c.DPT, DPTImported: c.Real}}
			want := rules.Check(&c.Form, ctx)
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, got[i]); diff != "" {
				t.Errorf("rules (-go +js):\n%s", diff)
			}
		})
	}
}
