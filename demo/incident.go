package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/geo"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/node"
)

// The incidents as the demo plays them (docs/security-incidents.md): about
// 300 reports of trouble across Banten from 8 to 14 February 2024 — the
// campaign's last days (to the 10th), the quiet days (11–13, when vote
// buying peaks: the "serangan fajar") and voting day, when logistics,
// procedure, network and weather dominate. They come from every channel;
// a few are reported twice (grouped as duplicates); the desk, Bawaslu and
// the agencies verify, assign, handle and close them, older ones further
// along; one public report of pre-marked ballots is rejected as a hoax.
// The reports go through an incident.Service on the node's store whose
// clock is the demo's February 2024, so each step has the time it would
// have had. Places are real Banten TPS; texts are made up; everything is
// seeded, and each report has a client id, so a kept demo folder keeps
// its reports (stored once).
const incidentSeed = 2024_02_14

// incidentTexts are the demo's titles per category.
var incidentTexts = map[siaga.IncidentCategory][]string{
	siaga.IncidentViolence: {"Keributan antarpendukung di dekat TPS", "Pemukulan terhadap saksi di lokasi TPS",
		"Perusakan alat peraga kampanye berujung bentrok"},
	siaga.IncidentIntimidation: {"Pemilih diancam agar memilih calon tertentu", "Petugas KPPS didatangi sekelompok orang dan diancam",
		"Saksi dilarang masuk lokasi TPS"},
	siaga.IncidentMoneyPolitic: {"Pembagian amplop berisi uang kepada warga", "Pembagian sembako atas nama calon pada masa tenang",
		"Tim sukses menjanjikan uang transport pemilih"},
	siaga.IncidentLogistics: {"Surat suara kurang dari jumlah DPT", "Kotak suara tiba terlambat", "Surat suara tertukar dengan dapil lain",
		"Tinta sidik jari tidak tersedia"},
	siaga.IncidentDisaster: {"Banjir menggenangi lokasi TPS", "Pohon tumbang menutup akses jalan ke TPS", "Angin kencang merobohkan tenda TPS"},
	siaga.IncidentNetwork:  {"Sinyal seluler hilang, foto C1 tidak terkirim", "Listrik padam di lokasi TPS"},
	siaga.IncidentHoax: {"Beredar pesan berantai bahwa TPS dipindahkan", "Video kericuhan lama disebar sebagai kejadian hari ini",
		"Kabar bohong: pemilih tanpa undangan tidak boleh mencoblos"},
	siaga.IncidentNeutrality: {"Kepala desa mengarahkan warga memilih calon tertentu", "ASN hadir dan berorasi di kampanye terbuka",
		"Perangkat desa memakai atribut partai"},
	siaga.IncidentProcedure: {"KPPS tidak menunjukkan kotak kosong sebelum pemungutan", "Pemilih tanpa KTP dan undangan diizinkan mencoblos",
		"Penghitungan dimulai sebelum TPS ditutup"},
	siaga.IncidentOther: {"Warga memprotes namanya tidak ada di DPT", "Saksi tidak diberi salinan hasil penghitungan"},
}

// incidentWeights are how often each category comes, by phase.
var incidentWeights = map[string]map[siaga.IncidentCategory]int{
	"kampanye": {siaga.IncidentViolence: 4, siaga.IncidentIntimidation: 3, siaga.IncidentNeutrality: 4, siaga.IncidentHoax: 4,
		siaga.IncidentMoneyPolitic: 2, siaga.IncidentOther: 1},
	"tenang": {siaga.IncidentMoneyPolitic: 7, siaga.IncidentHoax: 3, siaga.IncidentNeutrality: 2, siaga.IncidentLogistics: 3,
		siaga.IncidentIntimidation: 1, siaga.IncidentDisaster: 1},
	"pemungutan": {siaga.IncidentLogistics: 5, siaga.IncidentProcedure: 5, siaga.IncidentNetwork: 3, siaga.IncidentDisaster: 2,
		siaga.IncidentViolence: 2, siaga.IncidentIntimidation: 1, siaga.IncidentMoneyPolitic: 2, siaga.IncidentOther: 2},
}

// incidentAgency is who acts on a category; incidentOutcomes how it ends.
var incidentAgency = map[siaga.IncidentCategory]siaga.Agency{
	siaga.IncidentViolence: siaga.AgencyPolri, siaga.IncidentIntimidation: siaga.AgencyPolri,
	siaga.IncidentMoneyPolitic: siaga.AgencyBawaslu, siaga.IncidentNeutrality: siaga.AgencyBawaslu, siaga.IncidentProcedure: siaga.AgencyBawaslu,
	siaga.IncidentLogistics: siaga.AgencyKPU, siaga.IncidentOther: siaga.AgencyKPU, siaga.IncidentDisaster: siaga.AgencyBPBD,
	siaga.IncidentNetwork: siaga.AgencyDiskominfo, siaga.IncidentHoax: siaga.AgencyDiskominfo,
}

var incidentOutcomes = map[siaga.Agency]string{
	siaga.AgencyPolri:      "Pelaku diamankan Polsek; situasi kembali kondusif",
	siaga.AgencyTNI:        "Babinsa dan Koramil berjaga; situasi kondusif",
	siaga.AgencyBawaslu:    "Dikaji Panwaslu; diteruskan ke Sentra Gakkumdu",
	siaga.AgencyKejaksaan:  "Berkas diterima jaksa di Sentra Gakkumdu",
	siaga.AgencyKPU:        "Kekurangan dipenuhi dari gudang KPU kabupaten/kota",
	siaga.AgencyBPBD:       "TPS dipindahkan sementara ke balai desa; pemungutan berjalan",
	siaga.AgencyDiskominfo: "Klarifikasi diterbitkan; konten diajukan untuk diturunkan",
	siaga.AgencyPemprov:    "Ditangani desk",
}

// demoStaff are the accounts that work the demo's reports.
type demoStaff struct{ desk, bawaslu, polda, korem, kejati, bpbd, kominfo, kpu *siaga.User }

func (s demoStaff) of(a siaga.Agency) *siaga.User {
	return map[siaga.Agency]*siaga.User{siaga.AgencyPolri: s.polda, siaga.AgencyTNI: s.korem, siaga.AgencyBawaslu: s.bawaslu,
		siaga.AgencyKejaksaan: s.kejati, siaga.AgencyKPU: s.kpu, siaga.AgencyBPBD: s.bpbd, siaga.AgencyDiskominfo: s.kominfo,
		siaga.AgencyPemprov: s.desk}[a]
}

// incidentDemo plays the reports on n. The official opens
// /insiden/36 (the pages) or GET /api/v1/incidents/36.
func incidentDemo(ctx context.Context, n *node.Node) error {
	if n.Incidents == nil {
		return nil
	}
	staff, err := incidentStaff(ctx, n)
	if err != nil {
		return err
	}
	var clock time.Time
	svc := incident.New(incident.Config{Store: n.Store, Places: n.Regions, Locations: n.Store,
		Centroids: sync.OnceValues(geo.Centroids), Now: func() time.Time { return clock }})
	rng := rand.New(rand.NewPCG(incidentSeed, 14))
	tps := n.Registry.TPS
	if len(tps) == 0 {
		return nil
	}
	end := time.Date(2024, 2, 14, 23, 0, 0, 0, wib) // the demo's night: nothing happens after
	for i := range 300 {
		p := demoIncident(rng, i, tps)
		clock = p.OccurredAt.Add(time.Duration(5+rng.IntN(40)) * time.Minute)
		by := incident.Actor{User: staff.desk}
		switch p.Channel {
		case siaga.ChannelWeb, siaga.ChannelAPI:
			by.User = []*siaga.User{staff.desk, staff.bawaslu, staff.polda, staff.kpu}[rng.IntN(4)]
		case siaga.ChannelField, siaga.ChannelSMS:
			by = incident.Actor{Device: fmt.Sprintf("demo-ptps-%s", p.TPS)}
		default:
			by = incident.Actor{Public: p.ReporterName}
		}
		first := *p
		in, err := svc.Report(ctx, p, by)
		if err != nil {
			return fmt.Errorf("demo incident %d: %w", i, err)
		}
		if in.Version > 1 {
			continue // a kept folder: played before
		}
		if err := playIncident(ctx, svc, &clock, in, staff, rng, end, i == 42); err != nil {
			return fmt.Errorf("demo incident %d: %w", i, err)
		}
		// A few are reported again from another channel within the hour:
		// the service groups them with the first.
		if i%20 == 7 {
			again := first
			again.ClientID += "-ulang"
			again.Channel, again.ReporterName, again.ReporterPhone = siaga.ChannelPublicSMS, "", fmt.Sprintf("+62813%08d", 1000+i)
			again.Sender, again.Text = again.ReporterPhone, "Ada kejadian: "+first.Title
			again.OccurredAt = first.OccurredAt.Add(time.Duration(10+rng.IntN(40)) * time.Minute)
			clock = again.OccurredAt.Add(10 * time.Minute)
			if _, err := svc.Report(ctx, &again, incident.Actor{Public: "publik"}); err != nil {
				return fmt.Errorf("demo incident %d again: %w", i, err)
			}
		}
	}
	return nil
}

// incidentStaff creates (or finds, in a kept folder) the accounts of the
// agencies that work the reports.
func incidentStaff(ctx context.Context, n *node.Node) (demoStaff, error) {
	var s demoStaff
	root := n.Registry.Regions[0].Code
	for _, acc := range []struct {
		dst            **siaga.User
		username, name string
		role           siaga.Role
		agency         siaga.Agency
	}{
		{&s.desk, "desk.insiden", "Piket Desk Pemilu Kesbangpol Banten", siaga.RoleDesk, ""},
		{&s.bawaslu, "bawaslu.banten", "Bawaslu Provinsi Banten", siaga.RoleBawaslu, ""},
		{&s.polda, "polda.banten", "Posko Pengamanan Polda Banten", siaga.RoleAparat, ""},
		{&s.korem, "korem.064", "Korem 064/Maulana Yusuf", siaga.RoleAparat, siaga.AgencyTNI},
		{&s.kejati, "kejati.banten", "Kejaksaan Tinggi Banten", siaga.RoleAparat, siaga.AgencyKejaksaan},
		{&s.bpbd, "bpbd.banten", "Pusdalops BPBD Banten", siaga.RoleDesk, siaga.AgencyBPBD},
		{&s.kominfo, "diskominfo.banten", "Diskominfo Banten", siaga.RoleDesk, siaga.AgencyDiskominfo},
		{&s.kpu, "kpu.banten", "KPU Provinsi Banten", siaga.RoleKPUProv, ""},
	} {
		u, err := n.Store.UserByUsername(ctx, acc.username)
		if siaga.ErrorCode(err) == siaga.ENotFound {
			u, err = n.Auth.AddUser(ctx, auth.Console(), auth.NewUser{Username: acc.username, Name: acc.name,
				Password: randomPassword(), Role: acc.role, Scope: root, Agency: acc.agency})
		}
		if err != nil {
			return s, fmt.Errorf("demo incident staff %s: %w", acc.username, err)
		}
		*acc.dst = u
	}
	return s, nil
}

// demoIncident is the i-th report: its day, category, place and channel.
func demoIncident(rng *rand.Rand, i int, tps []siaga.TPS) *siaga.Incident {
	// Days 8–14: more as voting day nears; voting day has a third.
	day := []int{8, 9, 10, 10, 11, 12, 12, 13, 13, 14, 14, 14, 14}[rng.IntN(13)]
	phase := "kampanye"
	if day >= 11 {
		phase = "tenang"
	}
	hour := 8 + rng.IntN(13)
	if day == 14 {
		phase, hour = "pemungutan", 6+rng.IntN(16)
	}
	cat := pickWeighted(rng, incidentWeights[phase])
	titles := incidentTexts[cat]
	t := tps[rng.IntN(len(tps))]
	in := &siaga.Incident{ClientID: fmt.Sprintf("demo-insiden-%03d", i), Category: cat, TPS: t.Code,
		Severity:   []siaga.Severity{siaga.SeverityLow, siaga.SeverityMedium, siaga.SeverityMedium, siaga.SeverityHigh, siaga.SeverityCritical}[rng.IntN(5)],
		OccurredAt: time.Date(2024, 2, day, hour, rng.IntN(60), 0, 0, wib).UTC(), Title: titles[rng.IntN(len(titles))]}
	in.Text = in.Title + ". Dilaporkan dari TPS " + t.Code[10:] + "; mohon segera ditindaklanjuti."
	switch r := rng.IntN(100); {
	case r < 25:
		in.Channel = siaga.ChannelWeb
	case r < 35:
		in.Channel = siaga.ChannelAPI
	case r < 65:
		in.Channel = siaga.ChannelField
	case r < 75:
		in.Channel = siaga.ChannelSMS
	case r < 90:
		in.Channel, in.ReporterName, in.ReporterPhone = siaga.ChannelPublicWeb, "Warga", fmt.Sprintf("+62812%08d", 1000+i)
	default:
		in.Channel, in.ReporterPhone = siaga.ChannelPublicSMS, fmt.Sprintf("+62857%08d", 1000+i)
	}
	in.Sender = in.ReporterPhone
	if i == 42 {
		// The public report the desk rejects as a hoax.
		in.Channel, in.Category, in.ReporterName, in.ReporterPhone = siaga.ChannelPublicWeb, siaga.IncidentHoax, "Anonim", "+6281299990042"
		in.Sender, in.Severity = in.ReporterPhone, siaga.SeverityCritical
		in.Title = "Surat suara sudah tercoblos untuk paslon tertentu"
		in.Text = "Di grup WhatsApp beredar foto surat suara yang sudah dicoblos sebelum hari pemungutan. Katanya dari gudang KPU."
	}
	return in
}

func pickWeighted(rng *rand.Rand, w map[siaga.IncidentCategory]int) siaga.IncidentCategory {
	total := 0
	for _, c := range siaga.IncidentCategories {
		total += w[c]
	}
	k := rng.IntN(total)
	for _, c := range siaga.IncidentCategories {
		if k -= w[c]; k < 0 {
			return c
		}
	}
	return siaga.IncidentOther
}

// playIncident takes in through the workflow as far as the time allows:
// verified within the hour or two, assigned, in hand, closed within the
// day. Reports still at baru or in hand at the demo's night are the desk's
// open work. hoax is the public report rejected with its reason.
func playIncident(ctx context.Context, svc *incident.Service, clock *time.Time, in *siaga.Incident, s demoStaff,
	rng *rand.Rand, end time.Time, hoax bool) error {
	triage := []*siaga.User{s.desk, s.bawaslu, s.polda}[rng.IntN(3)]
	step := func(after time.Duration, a incident.Action, by *siaga.User) (bool, error) {
		at := clock.Add(after)
		if at.After(end) {
			return false, nil
		}
		*clock = at
		a.Version = in.Version
		got, err := svc.Act(ctx, in.ID, a, incident.Actor{User: by})
		if err != nil {
			return false, err
		}
		*in = *got
		return true, nil
	}
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo)) * time.Minute }
	if hoax {
		_, err := step(minutes(40, 90), incident.Action{Kind: siaga.StepRejected,
			Text: "Hoaks: foto berasal dari Pemilu 2019; gudang KPU disegel dan dicek bersama Bawaslu dan Polri"}, s.bawaslu)
		return err
	}
	if in.DuplicateOf != 0 {
		return nil // the group's first report carries the work
	}
	reject := 6
	if in.Channel.Public() {
		reject = 30
	}
	if rng.IntN(100) < reject {
		_, err := step(minutes(30, 180), incident.Action{Kind: siaga.StepRejected,
			Text: "Tidak terbukti setelah dicek Panwaslu kecamatan di lapangan"}, triage)
		return err
	}
	agency := incidentAgency[in.Category]
	switch {
	case in.Category == siaga.IncidentViolence && rng.IntN(5) == 0:
		agency = siaga.AgencyTNI
	case in.Category == siaga.IncidentMoneyPolitic && rng.IntN(5) == 0:
		agency = siaga.AgencyKejaksaan
	}
	for _, st := range []struct {
		after time.Duration
		a     incident.Action
		by    *siaga.User
	}{
		{minutes(20, 120), incident.Action{Kind: siaga.StepVerified}, triage},
		{minutes(10, 60), incident.Action{Kind: siaga.StepAssigned, Agency: agency}, triage},
		{minutes(15, 90), incident.Action{Kind: siaga.StepInHand}, s.of(agency)},
		{minutes(60, 20*60), incident.Action{Kind: siaga.StepClosed, Text: incidentOutcomes[agency]}, s.of(agency)},
	} {
		if ok, err := step(st.after, st.a, st.by); err != nil || !ok {
			return err
		}
	}
	return nil
}
