package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/deskpemilu/siaga/node"
)

// playSecurity plays issue 14's picture on n, each part through its own
// service with its own February-2024 clock: the reports of the campaign's
// last days and election day (staff, field app, SMS, public; one public
// hoax rejected), the Gakkumdu cases, Bawaslu's TPS indicators and the
// staffing per Polres, the early-warning cluster, the desk's coordination
// meetings, and — last, since it reads all of them — the morning
// situation reports. Each part stores nothing twice in a kept folder.
func playSecurity(ctx context.Context, n *node.Node, out io.Writer) error {
	if n.Incidents == nil {
		return nil
	}
	fmt.Fprintln(out, "Menyiapkan keamanan: laporan insiden 8–14 Feb, perkara Gakkumdu, kerawanan TPS, rapat koordinasi, laporan situasi …")
	steps := []struct {
		name string
		play func(context.Context, *node.Node) error
	}{
		{"incidents", incidentDemo},
		{"incidents by SMS", incidentFieldDemo},
		{"gakkumdu", gakkumduDemo},
		{"vulnerability", vulnerabilityDemo},
		{"early warning", warningDemo},
		{"meetings", meetingDemo},
		{"situation reports", sitrepDemo},
	}
	for _, s := range steps {
		if err := s.play(ctx, n); err != nil {
			return fmt.Errorf("demo: security %s: %w", s.name, err)
		}
	}
	return nil
}
