package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/meeting"
	"github.com/deskpemilu/siaga/node"
)

// meetingDemo plays the desk's coordination meetings of the quiet days:
// the Desk Pemilu Banten meeting of 12 February 2024 at the Pendopo
// Gubernur (the Forkopimda meeting routinely, as SE Kemendagri
// 100.2.2/6474/S.T asks) with its decisions and five action items — one
// done by Polda, one cancelled, three open of which Diskominfo's was due
// on the 13th — and the Kabupaten Lebak desk's meeting of 13 February.
// Participants are named by office (the people are not part of the demo's
// data). The steps carry February 2024 times. A kept demo folder has the
// meetings already: it stores nothing twice. Open /rapat/36.
func meetingDemo(ctx context.Context, n *node.Node) error {
	if n.Meetings == nil {
		return nil
	}
	if page, err := n.Meetings.Meetings(ctx, siaga.MeetingFilter{Scope: "36", Limit: 1}); err != nil || page.Total > 0 {
		return err
	}
	clock := time.Date(2024, 2, 12, 9, 0, 0, 0, siaga.WIB)
	svc := meeting.New(meeting.Config{Store: n.Store, Region: n.Regions.Region, Now: func() time.Time { return clock }})
	desk := &siaga.User{Username: "demo", Name: "Sekretariat Desk Pemilu (Kesbangpol Banten)", Role: siaga.RoleDesk, Scope: "36"}
	m, err := svc.CreateMeeting(ctx, desk, siaga.Meeting{Region: "36", Title: "Rapat Koordinasi Desk Pemilu Provinsi Banten: kesiapan hari tenang dan pemungutan suara",
		At: clock, Place: "Pendopo Gubernur Banten, Serang", Chair: "Penjabat Gubernur Banten",
		Participants: []siaga.Participant{
			{Agency: siaga.AgencyPemprov, Name: "Penjabat Gubernur Banten", Position: "Ketua Desk Pemilu"},
			{Agency: siaga.AgencyPemprov, Name: "Kepala Badan Kesbangpol Banten", Position: "Sekretaris Desk Pemilu"},
			{Agency: siaga.AgencyKPU, Name: "Ketua KPU Provinsi Banten", Position: "KPU Provinsi Banten"},
			{Agency: siaga.AgencyBawaslu, Name: "Ketua Bawaslu Provinsi Banten", Position: "Bawaslu / Sentra Gakkumdu"},
			{Agency: siaga.AgencyPolri, Name: "Kapolda Banten", Position: "Polda Banten"},
			{Agency: siaga.AgencyPolri, Name: "Karoops Polda Banten", Position: "Polda Banten, Operasi Mantap Brata"},
			{Agency: siaga.AgencyTNI, Name: "Danrem 064/Maulana Yusuf", Position: "Korem 064/MY"},
			{Agency: siaga.AgencyKejaksaan, Name: "Asisten Pidana Umum Kejati Banten", Position: "Kejaksaan Tinggi Banten"},
			{Agency: siaga.AgencyBPBD, Name: "Kepala Pelaksana BPBD Banten", Position: "BPBD Provinsi Banten"},
			{Agency: siaga.AgencyDiskominfo, Name: "Kepala Diskominfo Banten", Position: "Diskominfosatik Banten"},
		},
		Agenda: []string{"Laporan kesiapan logistik dan distribusi ke TPS (KPU)", "Pengamanan masa tenang dan hari pemungutan suara (Polda, Korem)",
			"Pengawasan politik uang di masa tenang (Bawaslu, Gakkumdu)", "Kesiapsiagaan banjir di Lebak, Pandeglang dan Serang (BPBD)",
			"Penanganan hoaks dan jaringan seluler di TPS blank spot (Diskominfo)"},
		Decisions: []siaga.Decision{
			{No: 1, Text: "Patroli gabungan Polri–TNI di TPS sangat rawan selama masa tenang dan hari pemungutan suara."},
			{No: 2, Text: "Patroli pengawasan politik uang bersama Sentra Gakkumdu pada malam 13 Februari."},
			{No: 3, Text: "BPBD menyiagakan perahu karet dan posko di kecamatan rawan banjir; KPU menyiapkan relokasi TPS."},
			{No: 4, Text: "Diskominfo melaporkan konten hoaks pemilu ke Kemenkominfo setiap hari dan memetakan TPS tanpa sinyal."},
		},
		Notes: "Rapat dibuka pukul 09.00 WIB. Desk Pemilu menerima laporan harian setiap pukul 07.00 WIB hingga rekapitulasi selesai.",
	})
	if err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}
	items := []siaga.ActionItem{
		{Decision: 1, Text: "Tempatkan patroli gabungan di TPS sangat rawan dan laporkan jadwalnya ke Desk", Agency: siaga.AgencyPolri, Due: "2024-02-13"},
		{Decision: 1, Text: "Siagakan satuan Korem 064/MY sebagai cadangan pengamanan di Lebak dan Pandeglang", Agency: siaga.AgencyTNI, Due: "2024-02-14"},
		{Decision: 2, Text: "Sediakan jaksa piket Sentra Gakkumdu untuk temuan politik uang masa tenang", Agency: siaga.AgencyKejaksaan, Due: "2024-02-20"},
		{Decision: 3, Text: "Siagakan perahu karet di kecamatan rawan banjir Kabupaten Lebak", Agency: siaga.AgencyBPBD, Region: "3602", Due: "2024-02-13"},
		{Decision: 4, Text: "Laporan harian konten hoaks pemilu yang diajukan untuk diturunkan", Agency: siaga.AgencyDiskominfo, Due: "2024-02-13"},
	}
	var stored []*siaga.ActionItem
	for _, it := range items {
		it.Meeting = m.ID
		a, err := svc.AddActionItem(ctx, desk, it)
		if err != nil {
			return fmt.Errorf("demo: action item %q: %w", it.Text, err)
		}
		stored = append(stored, a)
	}
	// Polda reports the patrols done the next morning; the desk cancels
	// BPBD Banten's item, which BPBD Lebak took over at its own meeting.
	clock = time.Date(2024, 2, 13, 8, 30, 0, 0, siaga.WIB)
	polda := &siaga.User{Username: "demo.polda", Name: "Karoops Polda Banten", Role: siaga.RoleAparat, Scope: "36"}
	if _, err := svc.MarkDone(ctx, polda, stored[0].ID, stored[0].Version,
		"Patroli gabungan dijadwalkan di 1.204 TPS sangat rawan; jadwal dikirim ke Desk pukul 08.00 WIB."); err != nil {
		return fmt.Errorf("demo: done: %w", err)
	}
	if _, err := svc.Cancel(ctx, desk, stored[3].ID, stored[3].Version, "Diambil alih BPBD Kabupaten Lebak (rapat Desk Lebak 13 Februari)."); err != nil {
		return fmt.Errorf("demo: cancel: %w", err)
	}
	return lebakMeeting(ctx, svc, &clock)
}

// lebakMeeting is the Kabupaten Lebak desk's meeting of 13 February,
// after the rain of the 12th.
func lebakMeeting(ctx context.Context, svc *meeting.Service, clock *time.Time) error {
	*clock = time.Date(2024, 2, 13, 13, 0, 0, 0, siaga.WIB)
	desk := &siaga.User{Username: "demo.lebak", Name: "Kesbangpol Kabupaten Lebak", Role: siaga.RoleDesk, Scope: "3602"}
	m, err := svc.CreateMeeting(ctx, desk, siaga.Meeting{Region: "3602", Title: "Rapat Desk Pemilu Kabupaten Lebak: banjir dan TPS rawan",
		At: *clock, Place: "Pendopo Bupati Lebak, Rangkasbitung", Chair: "Sekretaris Daerah Kabupaten Lebak",
		Participants: []siaga.Participant{
			{Agency: siaga.AgencyPemprov, Name: "Sekretaris Daerah Kabupaten Lebak", Position: "Ketua Desk Pemilu Lebak"},
			{Agency: siaga.AgencyKPU, Name: "Ketua KPU Kabupaten Lebak", Position: "KPU Kabupaten Lebak"},
			{Agency: siaga.AgencyBawaslu, Name: "Ketua Bawaslu Kabupaten Lebak", Position: "Bawaslu Kabupaten Lebak"},
			{Agency: siaga.AgencyPolri, Name: "Kapolres Lebak", Position: "Polres Lebak"},
			{Agency: siaga.AgencyTNI, Name: "Dandim 0603/Lebak", Position: "Kodim 0603/Lebak"},
			{Agency: siaga.AgencyBPBD, Name: "Kepala Pelaksana BPBD Lebak", Position: "BPBD Kabupaten Lebak"},
		},
		Agenda:    []string{"TPS terdampak hujan 12 Februari", "Distribusi logistik ke TPS terpencil"},
		Decisions: []siaga.Decision{{No: 1, Text: "BPBD Lebak menyiagakan perahu karet dan posko di kecamatan rawan banjir hingga 15 Februari."}},
	})
	if err != nil {
		return fmt.Errorf("demo: Lebak meeting: %w", err)
	}
	_, err = svc.AddActionItem(ctx, desk, siaga.ActionItem{Meeting: m.ID, Decision: 1, Text: "Perahu karet dan posko siaga di kecamatan rawan banjir",
		Agency: siaga.AgencyBPBD, Due: "2024-02-15"})
	return err
}
