package demo

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/node"
	"github.com/deskpemilu/siaga/sms"
)

// Reports by SMS as the demo plays them (docs/security-incidents.md,
// "Reporting from the field and by SMS"), in Kabupaten Pandeglang, whose
// IKP 2024 (77.74, Bawaslu) is Banten's highest: on the last quiet night a
// villager texts that the village head gathers voters for a candidate
// (netralitas); on the morning of the vote another texts a chain message
// that the TPS moved to the village hall because of a flood, which is
// itself the hoax the desk will reject; and the Panwas TPS's phone reports
// envelopes handed out to the queue, with its code. The numbers are
// synthetic (0812-0000-xxxx is not allotted); places are real, seeded.
const incidentFieldSeed = 2024_02_13

// incidentFieldDemo sends the LAPOR messages through the SMS service's
// grammar, codes and replies on n's store, at their February 2024 times:
// the service and the incident workflow are built here on a clock the demo
// sets per message, since the node's runs on today. The official opens
// /insiden/3601 (the moderation queue at /insiden/3601/moderasi).
func incidentFieldDemo(ctx context.Context, n *node.Node) error {
	rng := rand.New(rand.NewPCG(incidentFieldSeed, 14))
	tps := n.Regions.TPSOf("3601") // Kab. Pandeglang
	if len(tps) == 0 {
		return fmt.Errorf("demo incidents by SMS: no TPS in Pandeglang")
	}
	t := tps[rng.IntN(len(tps))]
	secret, err := incidentFieldPhone(ctx, n, t.Code)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var at time.Time
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	incidents := incident.New(incident.Config{Store: n.Store, Places: n.Regions, Locations: n.Store, Now: clock, Logger: n.Config.Logger})
	svc := sms.New(sms.Config{Store: n.Store, Now: clock, Logger: n.Config.Logger,
		DeviceSecret: n.Auth.DeviceSecret,
		ReportIncident: func(ctx context.Context, in *siaga.Incident) (*siaga.Incident, error) {
			return incidents.Report(ctx, in, incident.Actor{Device: in.ReporterDevice})
		}})

	coded := "LAPOR " + t.Code + " UANG ! Tim sukses membagikan amplop Rp50.000 kepada pemilih yang antre di TPS"
	l, err := sms.ParseLapor(coded)
	if err != nil {
		return err
	}
	coded += " K" + sms.Code(secret, l.Canonical())
	for _, m := range []struct {
		at         time.Time
		from, text string
	}{
		{time.Date(2024, 2, 13, 21, 15, 0, 0, wib), "+6281200001301",
			"LAPOR " + t.Desa + " NETRAL Kepala desa mengumpulkan warga di balai desa dan mengarahkan memilih calon tertentu"},
		{time.Date(2024, 2, 14, 7, 5, 0, 0, wib), "+6281200001402",
			"LAPOR " + t.Desa + " HOAX Pesan berantai: TPS pindah ke balai desa karena banjir, jangan datang ke TPS lama"},
		{time.Date(2024, 2, 14, 9, 40, 0, 0, wib), "+6281200001403", coded},
	} {
		mu.Lock()
		at = m.at
		mu.Unlock()
		reply, err := svc.Receive(ctx, sms.Incoming{Gateway: "demo", From: m.from, Text: m.text})
		if err != nil {
			return fmt.Errorf("demo incidents by SMS: %w", err)
		}
		n.Config.Logger.Info("demo: LAPOR", "from", m.from, "reply", reply)
	}
	return nil
}

// incidentFieldPhone is the Panwas TPS (PTPS) phone of tps and its SMS
// secret: the one enrolled by an earlier run of a kept demo folder, else
// a new one.
func incidentFieldPhone(ctx context.Context, n *node.Node, tps string) ([]byte, error) {
	devices, err := n.Store.DevicesOfTPS(ctx, tps)
	if err != nil {
		return nil, err
	}
	for _, d := range devices {
		if d.Role == siaga.RolePTPS {
			return n.Auth.DeviceSecret(d.ID)
		}
	}
	// Bawaslu enrols its supervisors' phones (auth's enrolment rights).
	bawaslu := &siaga.User{Username: "bawaslu-banten", Name: "Bawaslu Provinsi Banten", Role: siaga.RoleBawaslu, Scope: "36"}
	code, err := n.Auth.IssueEnrolment(ctx, bawaslu, tps, siaga.RolePTPS, 24*time.Hour)
	if err != nil {
		return nil, fmt.Errorf("demo incidents by SMS: a code for the PTPS phone: %w", err)
	}
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	_, secret, err := n.Auth.Enrol(ctx, code, pub)
	if err != nil {
		return nil, fmt.Errorf("demo incidents by SMS: enrolling the PTPS phone: %w", err)
	}
	return secret, nil
}
