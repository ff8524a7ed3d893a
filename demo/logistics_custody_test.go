package demo

import (
	"context"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestLogisticsCustody plays the custody on a fresh node, twice (a kept
// demo folder): Ciruas's boxes at the PPK but for the late ones, one
// broken seal alerting Bawaslu, late alerts raised once, the sample of
// Kota Serang at its PPS.
func TestLogisticsCustody(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	for range 2 {
		if err := logisticsCustody(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	noon := time.Date(2024, 2, 15, 12, 0, 0, 0, wib)
	rows, err := n.Custody.Status(ctx, custodyKecamatan, noon)
	if err != nil {
		t.Fatal(err)
	}
	p := n.Custody.Page(rows, logistics.CustodyFilter{}, noon)
	if p.TPS < 50 || p.SealProblems != 1 || p.LateCount != 4 || p.AtPPK != p.TPS-4 {
		t.Errorf("Ciruas at noon: %d of %d TPS at the PPK, %d late, %d seal problems; want all but the 4 late, 1",
			p.AtPPK, p.TPS, p.LateCount, p.SealProblems)
	}
	evening := noon.Add(8 * time.Hour)
	rows, _ = n.Custody.Status(ctx, custodyKecamatan, evening)
	if p := n.Custody.Page(rows, logistics.CustodyFilter{}, evening); p.LateCount != 4 || p.AtPPK != p.TPS-1 {
		t.Errorf("Ciruas at 20:00: %d of %d TPS at the PPK, %d late; want all but one, 4 late", p.AtPPK, p.TPS, p.LateCount)
	}
	seal, _, err := n.Store.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: custodyKecamatan, Kind: siaga.AlertSeal})
	if err != nil || len(seal) != 1 || seal[0].Role != siaga.RoleBawaslu {
		t.Errorf("seal alerts: %+v %v; want one to Bawaslu", seal, err)
	}
	_, late, err := n.Store.LogisticsAlerts(ctx, siaga.LogisticsAlertFilter{Region: custodyKecamatan, Kind: siaga.AlertCustodyLate})
	if err != nil || late != 4 {
		t.Errorf("%d late alerts (%v), want 4", late, err)
	}
	sample, err := n.Custody.Status(ctx, custodySample, noon)
	if err != nil {
		t.Fatal(err)
	}
	if p := n.Custody.Page(sample, logistics.CustodyFilter{Place: logistics.AtPPS}, noon); p.Total != 12 {
		t.Errorf("Kota Serang: %d TPS at their PPS, want the 12 of the sample", p.Total)
	}
}
