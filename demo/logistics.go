package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node"
)

// playLogistics plays the election logistics of Banten 2024 on n, in the order
// they happened: the ballot lots and Bawaslu's damage finding in January,
// the shipments of H-10 to H-1 with the islands, a weather hold and a
// short delivery, and the custody of the sealed boxes after voting. A
// kept demo folder has them already; each part then stores nothing.
func playLogistics(ctx context.Context, n *node.Node, out io.Writer) error {
	if n.Ballots == nil || n.Shipments == nil || n.Custody == nil {
		return nil
	}
	_, lots, err := n.Ballots.Lots(ctx, "36", siaga.BallotFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("demo: logistics: %w", err)
	}
	fmt.Fprintln(out, "Menyiapkan logistik: surat suara, pengiriman H-10 s.d. H-1 (pulau Tunda dan Panjang), kotak suara kembali ke PPK …")
	steps := []struct {
		name string
		play func(context.Context, *node.Node) error
		skip bool
	}{
		{"ballots", logisticsBallots, lots > 0},
		{"shipments", logisticsShipments, false}, // skips a folder that has shipments
		{"custody", logisticsCustody, false},     // stores nothing twice
	}
	for _, s := range steps {
		if s.skip {
			continue
		}
		if err := s.play(ctx, n); err != nil {
			return fmt.Errorf("demo: logistics %s: %w", s.name, err)
		}
	}
	// The plays wrote behind the board's back: it reads them now, before
	// the dashboard opens, rather than on the first official's question.
	n.LogisticsBoard.Changed()
	return n.LogisticsBoard.Warm(ctx)
}
