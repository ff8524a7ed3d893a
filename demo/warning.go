package demo

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/warning"
)

// The early warning as the demo plays it (docs/security-incidents.md
// "Early warning"): on the last quiet night, 13–14 February 2024, four
// verified reports of violence and three of intimidation at the TPS of one
// desa of Kecamatan warningKecamatan in Pandeglang (the kab/kota with
// Banten's highest IKP, 77.74), each 2 h 10 min after the one before so
// that the duplicate rule (2 h) keeps them apart; the scan at 02:00 WIB
// raises the violence alert (and the intimidation one), and the desk duty
// officer, subscribed to the province, finds them in the app. Open
// /api/v1/warnings/36 or the map's "Peringatan dini" layer
// (/kesiapan/3601/peringatan-dini.geojson).
const warningKecamatan = "360101"

func warningDemo(ctx context.Context, n *node.Node) error {
	if n.Incidents == nil || n.Warning == nil {
		return nil
	}
	tps := n.Regions.TPSOf(warningKecamatan)
	if len(tps) == 0 {
		return nil // not Banten
	}
	staff, err := incidentStaff(ctx, n)
	if err != nil {
		return err
	}
	var clock time.Time
	svc := incident.New(incident.Config{Store: n.Store, Places: n.Regions, Locations: n.Store,
		Centroids: sync.OnceValues(geo.Centroids), Now: func() time.Time { return clock }})
	// The desa with the most TPS: a town, where a clash draws crowds.
	byDesa := map[string][]siaga.TPS{}
	for _, t := range tps {
		byDesa[t.Desa] = append(byDesa[t.Desa], t)
	}
	var desa []siaga.TPS
	for _, d := range byDesa {
		if len(d) > len(desa) || (len(d) == len(desa) && d[0].Code < desa[0].Code) {
			desa = d
		}
	}
	start := time.Date(2024, 2, 13, 19, 0, 0, 0, wib)
	reports := []struct {
		cat   siaga.IncidentCategory
		title string
	}{
		{siaga.IncidentViolence, "Keributan antarpendukung di dekat TPS"},
		{siaga.IncidentIntimidation, "Warga didatangi sekelompok orang dan diancam"},
		{siaga.IncidentViolence, "Posko pemenangan dilempari batu"},
		{siaga.IncidentIntimidation, "Petugas KPPS diancam saat menyiapkan TPS"},
		{siaga.IncidentViolence, "Pemukulan terhadap relawan calon"},
		{siaga.IncidentIntimidation, "Saksi diancam agar tidak datang ke TPS"},
		{siaga.IncidentViolence, "Bentrok dua kelompok massa, satu orang luka"},
	}
	for i, r := range reports {
		// Each category's reports 2 h 10 min apart: the duplicate rule's
		// window is 2 h.
		at := start.Add(time.Duration(i/2)*130*time.Minute + time.Duration(i%2)*25*time.Minute)
		t := desa[i%len(desa)]
		in := &siaga.Incident{ClientID: fmt.Sprintf("demo-peringatan-%d", i), Channel: siaga.ChannelWeb, Category: r.cat,
			Severity: siaga.SeverityHigh, OccurredAt: at.UTC(), TPS: t.Code, Title: r.title,
			Text: "Dilaporkan Panwaslu kecamatan; polsek setempat sudah di lokasi"}
		clock = at.Add(10 * time.Minute)
		got, err := svc.Report(ctx, in, incident.Actor{User: staff.bawaslu})
		if err != nil {
			return fmt.Errorf("demo warning report %d: %w", i, err)
		}
		if got.Status != siaga.IncidentNew {
			continue // a kept folder: played before
		}
		clock = at.Add(25 * time.Minute)
		if _, err := svc.Act(ctx, got.ID, incident.Action{Kind: siaga.StepVerified, Version: got.Version},
			incident.Actor{User: staff.desk}); err != nil {
			return fmt.Errorf("demo warning verify %d: %w", i, err)
		}
	}
	if err := subscribeDesk(ctx, n); err != nil {
		return err
	}
	scanAt := time.Date(2024, 2, 14, 2, 0, 0, 0, wib)
	w := warning.NewService(warning.ServiceConfig{Store: n.Store, Incidents: n.Store, SMSLog: n.Store,
		Now: func() time.Time { return scanAt }})
	_, err = w.Scan(ctx)
	return err
}

// subscribeDesk subscribes the desk duty officer to every alert of the
// province, in the app (no phone: the demo has no SMS gateway), once.
func subscribeDesk(ctx context.Context, n *node.Node) error {
	u, err := n.Store.UserByUsername(ctx, deskUser)
	if siaga.ErrorCode(err) == siaga.ENotFound {
		return nil // the operators were not created: no one to tell
	} else if err != nil {
		return err
	}
	root := n.Registry.Regions[0].Code
	subs, err := n.Warning.Subscriptions(ctx, u.ID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(subs, func(s siaga.WarningSubscription) bool { return s.Region == root }) {
		return nil
	}
	return n.Warning.Subscribe(ctx, &siaga.WarningSubscription{User: u.ID, Region: root})
}
