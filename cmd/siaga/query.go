package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/results"
	"github.com/deskpemilu/siaga/ui"
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
	asJSON := fs.Bool("json", false, "print JSON (SPEC section 9) instead of a table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return siaga.Errorf(siaga.EInvalid, "REGION", "sebutkan tepat satu kode wilayah, mis. 36 (Banten) atau 3601",
			"name exactly one region code, e.g. 36 (Banten) or 3601")
	}
	c := siaga.Contest(*contest)
	if !c.Valid() {
		return siaga.Errorf(siaga.EInvalid, "--contest", "%q bukan kontes; pilih: %s", "%q is not a contest; one of: %s",
			*contest, contestList())
	}
	n, err := openQuiet(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer n.Close()
	reg, err := knownRegion(n, fs.Arg(0))
	if err != nil {
		return err
	}
	t, _ := n.Results.Tally(c, reg.Code)
	countingHint(e.stderr, n.Results, t)
	if !*asJSON {
		return printTally(e.stdout, reg, t, n.Election.OptionNames(c), n.Results.Counting())
	}
	out := struct {
		Region        string           `json:"region"`
		Contest       siaga.Contest    `json:"contest"`
		TPSTotal      int              `json:"tps_total"`
		TPSReported   int              `json:"tps_reported"`
		Votes         map[string]int64 `json:"votes"`
		SuaraSah      int64            `json:"suara_sah"`
		SuaraTidakSah int64            `json:"suara_tidak_sah"`
	}{t.Region, t.Contest, t.TPSTotal, t.TPSReported, t.Votes, t.SuaraSah, t.SuaraTidakSah}
	return json.NewEncoder(e.stdout).Encode(out)
}

// knownRegion finds a region code in the node's registry or says what a
// code looks like.
func knownRegion(n *node.Node, code string) (siaga.Region, error) {
	reg, ok := n.Regions.Region(code)
	if !ok {
		return reg, siaga.Errorf(siaga.ENotFound, "REGION", "wilayah %q tidak ada di registri; kode berbentuk 36 (provinsi), 3601 (kab/kota), 360101 (kecamatan), 3601012001 (desa)",
			"region %q is not in the registry; codes look like 36 (province), 3601 (kab/kota), 360101 (kecamatan), 3601012001 (desa)", code)
	}
	return reg, nil
}

func contestList() string {
	names := make([]string, len(siaga.Contests))
	for i, c := range siaga.Contests {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// printTally writes a tally as a table a person reads: the options in
// ballot order with their share, the totals, turnout, and which source's
// forms the numbers are.
func printTally(w io.Writer, reg siaga.Region, t siaga.Tally, names map[string]string, counting siaga.Source) error {
	fmt.Fprintf(w, "%s (%s) — %s (%s)\n", reg.Name, reg.Code, t.Contest.Name(), t.Contest)
	fmt.Fprintf(w, "TPS masuk / reported: %s dari / of %s (%s)", ui.FormatCount(int64(t.TPSReported)), ui.FormatCount(int64(t.TPSTotal)),
		percent(int64(t.TPSReported), int64(t.TPSTotal)))
	if t.TPSIncomplete > 0 {
		fmt.Fprintf(w, "; diterima tidak lengkap / received incomplete: %s", ui.FormatCount(int64(t.TPSIncomplete)))
	}
	fmt.Fprintf(w, "\nSumber yang dihitung / counting source: %s (--counting mengganti / changes it)\n\n", counting)
	rows := [][4]string{{"No", "Pilihan / option", "Suara / votes", "%"}}
	keys := make([]string, 0, len(t.Votes))
	for k := range t.Votes {
		keys = append(keys, k)
	}
	sortOptions(keys)
	for _, k := range keys {
		rows = append(rows, [4]string{k, names[k], ui.FormatCount(t.Votes[k]), percent(t.Votes[k], t.SuaraSah)})
	}
	rows = append(rows,
		[4]string{"", "Suara sah / valid", ui.FormatCount(t.SuaraSah), ""},
		[4]string{"", "Suara tidak sah / invalid", ui.FormatCount(t.SuaraTidakSah), ""},
		[4]string{"", "Pengguna hak pilih / voters", ui.FormatCount(t.Voters), percent(t.Voters, t.DPT)},
		[4]string{"", "DPT / registered voters", ui.FormatCount(t.DPT), ""})
	return writeColumns(w, rows, []bool{false, false, true, true})
}

// writeColumns writes rows as aligned columns, numbers to the right.
func writeColumns(w io.Writer, rows [][4]string, right []bool) error {
	var width [4]int
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			b.WriteString("  ")
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// sortOptions orders vote keys as on the ballot: numbers numerically.
func sortOptions(keys []string) {
	slices.SortFunc(keys, func(a, b string) int {
		x, errA := strconv.Atoi(a)
		y, errB := strconv.Atoi(b)
		if errA == nil && errB == nil {
			return cmp.Compare(x, y)
		}
		return strings.Compare(a, b)
	})
}

// percent is part of whole with two decimals and a decimal comma, "–"
// when whole is zero.
func percent(part, whole int64) string {
	if whole == 0 {
		return "–"
	}
	return strings.Replace(strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 2, 64), ".", ",", 1) + "%"
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
			fmt.Fprintf(e.stdout, "rantai hash putus / hash chain broken: %s %s %s versi %d\n", k.TPS, k.Contest, k.Source, at)
		}
	}
	fmt.Fprintf(e.stdout, "%d versi dalam %d riwayat; %d rantai putus (%d versions in %d histories; %d broken chains)\n",
		count, len(histories), bad, count, len(histories), bad)
	// The node opened by reading the stored forms in place, as a restart
	// does; a full rebuild decodes every one and must give the same.
	diffs, err := n.Results.Verify(ctx, 20)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintf(e.stdout, "hasil mulai ulang berbeda dari hitung ulang penuh / restart differs from a full rebuild: %s\n", d)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(e.stdout, "tabulasi: hasil mulai ulang sama dengan hitung ulang penuh (tallies: a restart's equal a full rebuild's)")
	}
	for _, p := range n.Regions.Provinces() {
		for _, c := range siaga.Contests {
			t, _ := n.Results.Tally(c, p.Code)
			fmt.Fprintf(e.stdout, "%s %-9s %6d/%d TPS  sah %d  tidak sah %d\n", p.Code, c, t.TPSReported, t.TPSTotal, t.SuaraSah, t.SuaraTidakSah)
		}
	}
	if bad > 0 {
		return siaga.Errorf(siaga.EConflict, "", "%d rantai hash putus", "%d broken hash chains", bad)
	}
	if len(diffs) > 0 {
		return siaga.Errorf(siaga.EConflict, "", "tabulasi mulai ulang berbeda dari hitung ulang penuh (%d perbedaan ditampilkan)",
			"the tallies a restart rebuilds differ from a full rebuild (%d differences shown)", len(diffs))
	}
	return verifyAudit(ctx, n.Store, e)
}
