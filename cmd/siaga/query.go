package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/results"
)

// openQuiet opens a node for a one-shot command: tallies rebuilt, no HTTP.
func openQuiet(ctx context.Context, cfg *node.Config, e *env) (*node.Node, error) {
	cfg.Logger = e.quiet
	return node.Open(ctx, *cfg)
}

func runResults(ctx context.Context, args []string, e *env) error {
	fs := flags("results", e)
	cfg := countingFlags(fs)
	contest := fs.String("contest", "ppwp", "contest: ppwp, dpr, dpd, dprd_prov, dprd_kab")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("results needs exactly one REGION code")
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	t, ok := n.Results.Tally(siaga.Contest(*contest), fs.Arg(0))
	if !ok {
		return fmt.Errorf("no tally for contest %q in region %q", *contest, fs.Arg(0))
	}
	countingHint(e.stderr, n.Results, t)
	out := struct {
		Region        string           `json:"region"`
		Contest       siaga.Contest    `json:"contest"`
		TPSTotal      int              `json:"tps_total"`
		TPSReported   int              `json:"tps_reported"`
		Votes         map[string]int64 `json:"votes"`
		SuaraSah      int64            `json:"suara_sah"`
		SuaraTidakSah int64            `json:"suara_tidak_sah"`
	}{t.Region, t.Contest, t.TPSTotal, t.TPSReported, t.Votes, t.SuaraSah, t.SuaraTidakSah}
	if !*asJSON {
		fmt.Fprintf(e.stdout, "%s %s: %d/%d TPS, sah %d, tidak sah %d, suara %v\n",
			out.Region, out.Contest, out.TPSReported, out.TPSTotal, out.SuaraSah, out.SuaraTidakSah, out.Votes)
		return nil
	}
	return json.NewEncoder(e.stdout).Encode(out)
}

// countingHint explains an empty tally whose region holds forms of
// another source, on stderr so that the JSON on stdout stays valid: a desk
// that imported only Sirekap data sees zeros because the counting source
// is kpps unless --counting says otherwise.
func countingHint(w io.Writer, e *results.Engine, t siaga.Tally) {
	if t.TPSReported > 0 || t.TPSIncomplete > 0 {
		return
	}
	counting := e.Counting()
	received := e.Received(t.Region, t.Contest)
	for _, src := range siaga.Sources {
		if src == counting || received[src] == 0 {
			continue
		}
		fmt.Fprintf(w, "siaga: sumber hitung resmi adalah %s, yang belum punya formulir %s di %s; ada %d TPS dari %s — pakai --counting %s untuk menghitungnya.\n"+
			"siaga: the counting source is %s, which has no %s forms in %s; %d TPS have forms from %s: use --counting %s to count them.\n",
			counting, t.Contest, t.Region, received[src], src, src,
			counting, t.Contest, t.Region, received[src], src, src)
	}
}

func runAnomalies(ctx context.Context, args []string, e *env) error {
	fs := flags("anomalies", e)
	cfg := storeFlags(fs)
	region := fs.String("region", "", "only TPS below this region code")
	contest := fs.String("contest", "", "only this contest (ppwp, dpr, dpd, dprd_prov, dprd_kab)")
	rule := fs.String("rule", "", "only versions breaking this rule (R1 … R12)")
	source := fs.String("source", "", "only this source (kpps, saksi, ptps, sirekap)")
	status := fs.String("status", "", "only this review status (baru, diperiksa, perlu_koreksi)")
	_ = fs.Bool("json", true, "print one JSON object per line (the only format)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	// Every match, in the list's order: the same query as the dashboard's
	// and the API's, without a limit.
	page, err := n.Results.AnomalyPage(siaga.AnomalyQuery{Region: *region, Contest: siaga.Contest(*contest), Rule: *rule,
		Source: siaga.Source(*source), Status: siaga.AnomalyStatus(*status)})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	for _, a := range page.Items {
		// The line shape of SPEC §9: tps, contest, source, rules.
		line := struct {
			TPS     string        `json:"tps"`
			Contest siaga.Contest `json:"contest"`
			Source  siaga.Source  `json:"source"`
			Rules   []string      `json:"rules"`
		}{a.TPS, a.Contest, a.Source, a.Rules}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// runRebuild checks every hash chain, recomputes every tally from the
// stored versions decoding every form and compares it with what a start
// rebuilds, and prints the province totals.
func runRebuild(ctx context.Context, args []string, e *env) error {
	fs := flags("rebuild", e)
	cfg := countingFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	histories := map[siaga.Key][]siaga.Version{}
	count := 0
	err = n.Store.EachVersion(ctx, func(v *siaga.Version) error {
		histories[v.Key] = append(histories[v.Key], *v)
		count++
		return nil
	})
	if err != nil {
		return err
	}
	bad := 0
	for k, h := range histories {
		if at := results.VerifyChain(h); at != 0 {
			bad++
			fmt.Fprintf(e.stdout, "hash chain broken: %s %s %s at version %d\n", k.TPS, k.Contest, k.Source, at)
		}
	}
	fmt.Fprintf(e.stdout, "%d versions in %d histories; %d broken chains\n", count, len(histories), bad)
	// The node opened by reading the stored forms in place, as a restart
	// does; a full rebuild decodes every one and must give the same.
	diffs, err := n.Results.Verify(ctx, 20)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintf(e.stdout, "restart differs from a full rebuild: %s\n", d)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(e.stdout, "tallies: a restart's equal a full rebuild's")
	}
	for _, p := range n.Regions.Provinces() {
		for _, c := range siaga.Contests {
			t, _ := n.Results.Tally(c, p.Code)
			fmt.Fprintf(e.stdout, "%s %-9s %6d/%d TPS  sah %d  tidak sah %d\n", p.Code, c, t.TPSReported, t.TPSTotal, t.SuaraSah, t.SuaraTidakSah)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d broken hash chains", bad)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the tallies a restart rebuilds differ from a full rebuild (%d differences shown)", len(diffs))
	}
	return verifyAudit(ctx, n.Store, e)
}
