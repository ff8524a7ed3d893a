package logistics_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

func TestImport(t *testing.T) {
	f := newShipments(t)
	ctx := context.Background()
	good, err := os.ReadFile("testdata/shipments_good.csv")
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.Import(ctx, strings.NewReader(string(good)), "cli")
	if err != nil || n != 3 {
		t.Fatalf("Import = %d, %v; want 3 shipments", n, err)
	}
	list, total, err := f.svc.List(ctx, siaga.ShipmentFilter{})
	if err != nil || total != 3 {
		t.Fatalf("List = %d, %v", total, err)
	}
	by := map[string]siaga.Shipment{}
	for _, sh := range list {
		by[sh.Waybill] = sh
	}
	ppk := by["SJ/3604/PPK/013"]
	if len(ppk.Lines) != 2 || ppk.Status != siaga.ShipmentPlanned || ppk.Source != "import" ||
		!ppk.PlannedDeparture.Equal(time.Date(2024, 2, 7, 7, 0, 0, 0, siaga.WIB)) {
		t.Errorf("PPK leg: %+v", ppk)
	}
	tunda := by["SJ/360413/TUNDA/1"]
	if tunda.Sea == nil || tunda.Sea.CrossingM != 120 || !tunda.PlannedDeparture.Equal(time.Date(2024, 2, 11, 7, 0, 0, 0, siaga.WIB)) {
		t.Errorf("Tunda leg, default island plan: %+v %+v", tunda, tunda.Sea)
	}
	pps := by["SJ/367301/PPS/1"]
	if pps.Status != siaga.ShipmentDelivered || pps.Arrived == nil {
		t.Errorf("delivered leg: %+v", pps)
	}
	d, err := f.store.Delivery(ctx, pps.ID)
	if err != nil || d.Lines[0].Sent != 420 || d.Lines[0].Counted != 418 {
		t.Fatalf("imported delivery %+v, %v", d, err)
	}
	alerts, _, _ := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{Region: "367301", Kind: siaga.AlertDiscrepancy})
	if len(alerts) != 1 || !strings.Contains(alerts[0].Text, "kotak_suara") {
		t.Errorf("short import alerts: %+v", alerts)
	}
	// The same file again replaces, keeping IDs, and adds no alert.
	if _, err := f.svc.Import(ctx, strings.NewReader(string(good)), "cli"); err != nil {
		t.Fatal(err)
	}
	if list, total, _ := f.svc.List(ctx, siaga.ShipmentFilter{}); total != 3 || list[0].ID != by[list[0].Waybill].ID {
		t.Errorf("re-import: %d shipments", total)
	}
	if _, n, _ := f.svc.Alerts(ctx, siaga.LogisticsAlertFilter{}); n != 1 {
		t.Errorf("re-import: %d alerts, want 1", n)
	}
}

func TestImportBadRows(t *testing.T) {
	const header = "waybill,from,to,item,dapil,qty,mode,port,vessel,crossing_m,status,departed,arrived,received\n"
	ok := "SJ/1,3604,360413,kotak_suara,,560,truk,,,,,,,\n"
	tests := []struct {
		name, csv, id, en string
	}{
		{"unknown column", "waybill,from,to,item,qty,mode,colour\n", "baris 1, kolom colour", "row 1, column colour"},
		{"missing column", "waybill,from,to,item,dapil,mode\n", "baris 1, kolom qty", "row 1, column qty"},
		{"empty", "", "baris 1", "row 1"},
		{"no rows", header, "baris 2", "row 2"},
		{"qty not a number", header + ok + "SJ/2,3604,360413,kotak_suara,,lima,truk,,,,,,,\n", "baris 3, kolom qty", "row 3, column qty"},
		{"qty zero", header + ok + "SJ/2,3604,360413,kotak_suara,,0,truk,,,,,,,\n", "baris 3, kolom qty", "row 3, column qty"},
		{"wrong dapil", header + ok + "SJ/2,360413,3604132009001,surat_suara_dprd_prov,BANTEN 3,250,truk,,,,,,,\n",
			"baris 3, kolom dapil", "row 3, column dapil"},
		{"second line wrong", header + ok + "SJ/1,3604,360413,payung,,5,truk,,,,,,,\n", "baris 3, kolom item", "row 3, column item"},
		{"waybill rows disagree", header + ok + "SJ/1,3604,360412,tinta,,5,truk,,,,,,,\n", "baris 3, kolom to", "row 3, column to"},
		{"unknown place", header + "SJ/1,3604,369913,kotak_suara,,5,truk,,,,,,,\n", "baris 2, kolom to", "row 2, column to"},
		{"boat without vessel", header + "SJ/1,360413,3604132009001,kotak_suara,,5,kapal,Karangantu,,120,,,,\n", "baris 2, kolom vessel", "row 2, column vessel"},
		{"bad time", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,berangkat,besok,,\n", "baris 2, kolom departed", "row 2, column departed"},
		{"departed without time", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,berangkat,,,\n", "baris 2, kolom departed", "row 2, column departed"},
		{"bad status", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,hilang,,,\n", "baris 2, kolom status", "row 2, column status"},
		{"received without arrival", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,,,,5\n", "baris 2, kolom arrived", "row 2, column arrived"},
		{"received over sent", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,,,2024-02-01 10:00,6\n", "baris 2, kolom received", "row 2, column received"},
		{"received on some lines only", header + "SJ/1,3604,360413,kotak_suara,,5,truk,,,,,,2024-02-01 10:00,5\n" +
			"SJ/1,3604,360413,tinta,,5,truk,,,,,,2024-02-01 10:00,\n", "baris 3, kolom received", "row 3, column received"},
		{"broken CSV", header + "SJ/1,\"3604,360413\n", "baris", "row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newShipments(t)
			_, err := f.svc.Import(context.Background(), strings.NewReader(tt.csv), "cli")
			e, ok := err.(*siaga.Error)
			if !ok || e.Code != siaga.EInvalid || !strings.HasPrefix(e.Message, tt.id) || !strings.HasPrefix(e.MessageEN, tt.en) {
				t.Fatalf("Import: %#v, want %q / %q", err, tt.id, tt.en)
			}
			if _, total, _ := f.svc.List(context.Background(), siaga.ShipmentFilter{}); total != 0 {
				t.Errorf("a bad file stored %d shipments", total)
			}
		})
	}
}
