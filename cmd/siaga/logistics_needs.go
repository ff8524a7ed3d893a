package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node"
)

// runLogistics is `siaga logistics needs`: what a TPS or region needs
// under the bill of materials (SPEC §9).
func runLogistics(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "needs" {
		return siaga.Errorf(siaga.EInvalid, "", "yang dapat dihitung: `siaga logistics needs --data DIR [--bom FILE] [--json] KODE`",
			"what can be computed: `siaga logistics needs --data DIR [--bom FILE] [--json] CODE`")
	}
	fs := flags("logistics needs", e)
	cfg := storeFlags(fs)
	bomFlag(fs, cfg)
	asJSON := fs.Bool("json", false, "print JSON (SPEC section 9) instead of a table")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return siaga.Errorf(siaga.EInvalid, "CODE", "sebutkan tepat satu kode wilayah atau TPS, mis. 36, 3601 atau 3601012001001",
			"name exactly one region or TPS code, e.g. 36, 3601 or 3601012001001")
	}
	store, err := node.OpenStore(ctx, *cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	reg, err := storedRegistry(ctx, store, cfg)
	if err != nil {
		return err
	}
	el, err := store.LoadElection(ctx)
	if err != nil {
		return err
	}
	svc := logistics.NewNeeds(reg, election.NewIndex(el), cfg.BOM)
	if *asJSON {
		n, err := svc.Of(fs.Arg(0))
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(n)
	}
	b, err := svc.Breakdown(fs.Arg(0))
	if err != nil {
		return err
	}
	return printNeeds(e.stdout, b)
}

// bomFlag reads --bom FILE into cfg.BOM, for every command that counts
// needs (serve, logistics needs), so that both count the same.
func bomFlag(fs *flagSet, cfg *node.Config) {
	fs.Func("bom", "bill of materials (JSON, docs/logistics.md) instead of the Pemilu 2024 default", func(v string) error {
		b, err := logistics.ReadBOMFile(v)
		if e, ok := err.(*siaga.Error); ok {
			fs.valueErr = e
		}
		cfg.BOM = b
		return err
	})
}

// printNeeds writes a region's needs as a table: an item per row, the
// region's total and each child region's.
func printNeeds(w io.Writer, b logistics.NeedsBreakdown) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	n := b.Region
	fmt.Fprintf(w, "%s %s: %d TPS, DPT %d\n", n.Code, n.Name, n.TPS, n.DPT)
	header := "barang (item)\tdapil\ttotal\t"
	for _, c := range b.Children {
		header += c.Code + "\t"
	}
	fmt.Fprintln(tw, header)
	row := func(label, dapil string, qty func(n *logistics.Needs) int) {
		line := fmt.Sprintf("%s\t%s\t%d\t", label, dapil, qty(&n))
		for i := range b.Children {
			line += fmt.Sprintf("%d\t", qty(&b.Children[i]))
		}
		fmt.Fprintln(tw, line)
	}
	for _, it := range itemsOf(&n) {
		row(string(it), "", func(n *logistics.Needs) int { return n.Items[it] })
		if c, ok := it.Contest(); ok && c != siaga.PPWP {
			for _, d := range n.Dapils(c) {
				row("", d, func(n *logistics.Needs) int { return n.Ballots(c, d) })
			}
		}
	}
	return tw.Flush()
}

// itemsOf lists the items of n: the ballots in contest order, then the
// others by code.
func itemsOf(n *logistics.Needs) []siaga.Item {
	var out []siaga.Item
	for _, c := range siaga.Contests {
		if _, ok := n.Items[siaga.BallotItem(c)]; ok {
			out = append(out, siaga.BallotItem(c))
		}
	}
	var rest []siaga.Item
	for it := range n.Items {
		if _, ok := it.Contest(); !ok {
			rest = append(rest, it)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
