package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/gakkumdu"
	"github.com/deskpemilu/siaga/node"
)

// Sentra Gakkumdu as the demo plays it (docs/security-incidents.md,
// "Gakkumdu cases and their clocks"), in Kab. Pandeglang: vote buying
// reported on the evening of 11 February 2024, a quiet day, becomes a case
// the next morning; Bawaslu forwards it to Polres Pandeglang on the 15th
// with its report form and review, and the police add their examination
// record on the 20th (in penyidikan, 14 days to the 29th). A village
// head's campaigning reported on 3 February stays in Bawaslu's review past
// its 7 days: overdue, highlighted in the list. The steps run through a
// gakkumdu.Service on the node's store whose clock is the step's moment
// in February 2024; the node's own schedule then raises the overdue
// alerts. Names are offices; documents are one-page placeholder PDFs. The
// incidents carry client ids, so a kept demo folder plays this once.
// Open /gakkumdu/3601 as bawaslu.pandeglang.

const gakkumduRegion = "3601" // Kab. Pandeglang

// gakkumduDemo plays the Gakkumdu cases on n.
func gakkumduDemo(ctx context.Context, n *node.Node) error {
	tps := n.Regions.TPSOf(gakkumduRegion)
	if len(tps) < 2 {
		return fmt.Errorf("demo gakkumdu: no TPS in %s", gakkumduRegion)
	}
	// A kept demo folder has its cases already.
	if played, err := n.Store.CountCases(ctx, siaga.CaseFilter{Scope: gakkumduRegion}); err != nil || played > 0 {
		return err
	}
	bawaslu, err := gakkumduAccount(ctx, n, "bawaslu.pandeglang", "Bawaslu Kabupaten Pandeglang", siaga.RoleBawaslu, "")
	if err != nil {
		return err
	}
	polres, err := gakkumduAccount(ctx, n, "polres.pandeglang", "Penyidik Gakkumdu Polres Pandeglang", siaga.RoleAparat, siaga.AgencyPolri)
	if err != nil {
		return err
	}
	at := func(day, hour int) time.Time { return time.Date(2024, 2, day, hour, 0, 0, 0, wib) }
	var now time.Time
	svc := gakkumdu.New(gakkumdu.Config{Store: n.Store, Incidents: n.Store, Now: func() time.Time { return now }})

	// The vote buying of the quiet days, through to the investigation.
	money := tps[len(tps)/3]
	inc, err := gakkumduIncident(ctx, n, "demo-gakkumdu-uang", money, siaga.IncidentMoneyPolitic,
		"Pembagian amplop Rp100.000 kepada warga pada masa tenang", at(11, 21))
	if err != nil {
		return err
	}
	now = at(12, 9)
	c, err := svc.Open(ctx, bawaslu, gakkumdu.OpenInput{Incident: inc, Origin: siaga.OriginReport, Suspect: "Tim sukses caleg (inisial AS)",
		Article: "Pasal 523 ayat (2) UU 7/2017"}) // known when reported

	if err != nil {
		return err
	}
	now = at(15, 10)
	c, err = svc.Advance(ctx, bawaslu, c.ID, gakkumdu.AdvanceInput{Version: c.Version, To: siaga.StageInvestigation, At: at(15, 9),
		Note: "Pembahasan kedua Sentra Gakkumdu: memenuhi unsur, diteruskan ke Polres Pandeglang",
		Docs: []gakkumdu.DocumentInput{{Name: "formulir-laporan-A1.pdf", Data: demoPDF("Formulir Laporan A.1")},
			{Name: "kajian-bawaslu.pdf", Data: demoPDF("Kajian Dugaan Pelanggaran")}}})
	if err != nil {
		return err
	}
	now = at(20, 14)
	if _, err := svc.AddDocument(ctx, polres, c.ID, gakkumdu.DocumentInput{Name: "bap-saksi.pdf", Data: demoPDF("Berita Acara Pemeriksaan Saksi")}); err != nil {
		return err
	}

	// The village head's campaigning, left in review past its deadline.
	head := tps[2*len(tps)/3]
	inc, err = gakkumduIncident(ctx, n, "demo-gakkumdu-kades", head, siaga.IncidentNeutrality,
		"Kepala desa mengarahkan warga memilih calon tertentu", at(3, 10))
	if err != nil {
		return err
	}
	now = at(4, 9)
	_, err = svc.Open(ctx, bawaslu, gakkumdu.OpenInput{Incident: inc, Origin: siaga.OriginFinding, Suspect: "Kepala desa",
		Article: "Pasal 490 UU 7/2017", KnownAt: at(3, 16)})
	return err
}

// gakkumduAccount is a demo account of the Sentra Gakkumdu of Pandeglang,
// created once; its password is random (the desk resets it to log in).
func gakkumduAccount(ctx context.Context, n *node.Node, username, name string, role siaga.Role, agency siaga.Agency) (*siaga.User, error) {
	if _, err := n.Auth.CreateUser(ctx, username, name, randomPassword(), role, gakkumduRegion); err != nil && siaga.ErrorCode(err) != siaga.EConflict {
		return nil, err
	}
	u, err := n.Store.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if agency != "" && u.Agency != agency {
		if err := n.Store.SetUserAgency(ctx, u.ID, agency); err != nil {
			return nil, err
		}
		u.Agency = agency
	}
	return u, nil
}

// gakkumduIncident is the report a case comes from: one of the
// incident demo's verified reports of the category in Pandeglang on the
// day of at, when that demo ran first, else one stored here, at t's desa,
// under clientID (so that it is stored once).
func gakkumduIncident(ctx context.Context, n *node.Node, clientID string, t siaga.TPS, cat siaga.IncidentCategory, title string, at time.Time) (int64, error) {
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, wib)
	played, err := n.Store.Incidents(ctx, siaga.IncidentFilter{Scope: gakkumduRegion, Categories: []siaga.IncidentCategory{cat},
		Statuses: []siaga.IncidentStatus{siaga.IncidentVerified, siaga.IncidentAssigned, siaga.IncidentInHand},
		From:     day, To: day.AddDate(0, 0, 1), Groups: true, Limit: 1})
	if err != nil {
		return 0, err
	}
	if len(played) == 1 {
		return played[0].ID, nil
	}
	if in, err := n.Store.IncidentByClientID(ctx, clientID); err == nil {
		return in.ID, nil
	} else if siaga.ErrorCode(err) != siaga.ENotFound {
		return 0, err
	}
	in := &siaga.Incident{ClientID: clientID, Channel: siaga.ChannelField, Category: cat, Severity: siaga.SeverityHigh,
		OccurredAt: at.Add(-time.Hour), ReportedAt: at, Region: t.Desa, TPS: t.Code, Title: title,
		Text: "Dilaporkan Pengawas TPS; saksi dan bukti foto ada.", Status: siaga.IncidentVerified, UpdatedAt: at, Version: 1}
	step := &siaga.IncidentStep{At: at, Kind: siaga.StepReported, Status: siaga.IncidentVerified, ByName: "ptps"}
	if err := n.Store.CreateIncident(ctx, in, step); err != nil {
		return 0, err
	}
	return in.ID, nil
}

// demoPDF is a one-page placeholder PDF naming its document.
func demoPDF(title string) []byte {
	var id [4]byte
	rand.Read(id[:])
	return fmt.Appendf(nil, "%%PDF-1.4\n%% Siaga demo: %s (%s)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n",
		title, hex.EncodeToString(id[:]))
}
