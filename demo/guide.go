package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// printGuide says, once the night is open, where to look first: the
// region's results, one anomaly, the dispatch board with the desk's
// login, and the field app with a code that enrols a phone for a TPS
// still missing.
func printGuide(ctx context.Context, w io.Writer, d *driver, url string, l logins) {
	region := d.cfg.Region
	if region == "" {
		region = d.n.Registry.Regions[0].Code
	}
	name := region
	if r, ok := d.n.Regions.Region(region); ok {
		name = r.Name
	}
	p, _ := d.n.Results.Progress(region)
	fmt.Fprintf(w, "Dasbor:   %s/\n", url)
	fmt.Fprintf(w, "Pilpres:  %d dari %d TPS sudah masuk; sisa malam berjalan %s.\n",
		p.Reported[siaga.PPWP], p.TPSTotal, (d.cfg.Night - d.openAt).Round(time.Second))
	fmt.Fprintln(w, "Lihat dulu (where to look first):")
	fmt.Fprintf(w, "  1. Hasil dan peta %s:  %s/wilayah/%s\n", name, url, region)
	fmt.Fprintf(w, "  2. Anomali, formulir yang melanggar aturan:  %s/anomali?wilayah=%s\n", url, region)
	if a, ok := anomaly(d, region); ok {
		fmt.Fprintf(w, "     misalnya %s di TPS %s (%s):  %s/tps/%s\n", strings.Join(a.Rules, ", "), a.TPS, a.Contest, url, a.TPS)
	}
	fmt.Fprintf(w, "  3. Papan kurir, TPS yang belum melapor:  %s/dispatch\n", url)
	fmt.Fprintf(w, "     masuk di %s/masuk sebagai %s / %s\n", url, deskUser, l.desk)
	fmt.Fprintf(w, "  4. Aplikasi lapangan KPPS:  %s/lapangan/\n", url)
	if tps, code, ok := fieldCode(ctx, d, region); ok {
		fmt.Fprintf(w, "     kode pendaftaran HP untuk TPS %s (belum melapor):  %s\n", tps, code)
	}
	fmt.Fprintf(w, "  5. Pendaftaran HP dari web, lembar QR per PPS (enrolment sheets):  %s/pendaftaran\n", url)
	fmt.Fprintf(w, "     masuk sebagai %s / %s (KPU kab/kota %s); perangkat terdaftar: %s/perangkat\n", enrolUser, l.enrol, l.enrolScope, url)
	fmt.Fprintf(w, "  6. Kesiapan (readiness): peta sinyal, bencana, penundaan:  %s/kesiapan/36\n", url)
	fmt.Fprintf(w, "     blank spot per kab/kota (452, survei Januari 2024):  %s/sinyal/36\n", url)
	fmt.Fprintf(w, "     booster Kab. Serang (6 terlambat, masuk sebagai %s):  %s/intervensi/3604?terlambat=1\n", deskUser, url)
	fmt.Fprintf(w, "     rencana VSAT Lebak dengan jaminannya (planning):  %s/rencana/3602?kind=vsat&budget=1500000000&weight=dpt\n", url)
	fmt.Fprintf(w, "     zona banjir (sintetis) dan TPS berisiko:  %s/bencana/36\n", url)
	if rels, err := d.n.Store.Relocations(ctx, "36"); err == nil && len(rels) > 0 {
		fmt.Fprintf(w, "     pemberitahuan relokasi TPS %s:  %s/tps/%s/pemberitahuan\n", rels[0].TPS, url, rels[0].TPS)
	}
	fmt.Fprintf(w, "     16 TPS Pondok Aren ditunda (PSS, banjir 14 Feb 2024):  %s/penundaan/3674\n", url)
	fmt.Fprintf(w, "  7. Logistik (masuk sebagai %s / %s; pengawal: %s / %s):\n", logistikUser, l.logistik, aparatUser, l.aparat)
	fmt.Fprintf(w, "     papan kesiapan kit per TPS pada H-1:  %s/logistik/36?per=2024-02-13T12:00\n", url)
	fmt.Fprintf(w, "     pengiriman lewat laut (Pulau Tunda, Pulau Panjang tertahan cuaca):  %s/logistik/36/kiriman?laut=1\n", url)
	fmt.Fprintf(w, "     surat suara rusak temuan Bawaslu 16 Jan 2024 (61.139):  %s/logistik/36/surat-suara?pada=2024-01-16\n", url)
	fmt.Fprintf(w, "     selisih penerimaan dan kiriman susulan (Cilegon):  %s/logistik/3672/peringatan\n", url)
	fmt.Fprintf(w, "     kotak suara kembali ke PPK, satu segel rusak (Ciruas):  %s/logistik/360409/kotak\n", url)
	fmt.Fprintf(w, "  8. Keamanan dan ruang situasi (masuk sebagai %s / %s):\n", deskUser, l.desk)
	fmt.Fprintf(w, "     laporan insiden 8–14 Feb 2024, duplikat dihitung sekali:  %s/insiden/36?grup=1\n", url)
	fmt.Fprintf(w, "     laporan publik yang ditolak sebagai hoaks:  %s/insiden/36?kategori=hoaks&status=ditolak\n", url)
	fmt.Fprintf(w, "     peringatan dini: laporan kekerasan mengelompok di Pandeglang 13–14 Feb:  %s/peringatan-dini/36\n", url)
	fmt.Fprintf(w, "     perkara Gakkumdu dan tenggatnya (Pandeglang):  %s/gakkumdu/3601\n", url)
	fmt.Fprintf(w, "     kerawanan TPS dan kebutuhan personel per Polres:  %s/kerawanan/36/personel\n", url)
	fmt.Fprintf(w, "     rapat koordinasi 12 Feb 2024 dan tindak lanjutnya:  %s/rapat/36\n", url)
	fmt.Fprintf(w, "     laporan situasi pagi 14 Feb 2024 (PDF):  %s/laporan-situasi/36/arsip/2024-02-14\n", url)
	fmt.Fprintf(w, "Masuk sebagai admin:  admin / %s\n", l.admin)
}

// anomaly picks a presidential form with an arithmetic slip (R1, then R2),
// or else any form that breaks a rule, asking the engine for each in turn
// rather than filtering a capped list.
func anomaly(d *driver, region string) (siaga.Anomaly, bool) {
	for _, q := range []siaga.AnomalyQuery{
		{Region: region, Contest: siaga.PPWP, Rule: "R1", Limit: 1},
		{Region: region, Contest: siaga.PPWP, Rule: "R2", Limit: 1},
		{Region: region, Limit: 1},
	} {
		if page, err := d.n.Results.AnomalyPage(q); err == nil && len(page.Items) > 0 {
			return page.Items[0], true
		}
	}
	return siaga.Anomaly{}, false
}

// fieldCode issues, as KPU's operator, an enrolment code for a phone of
// the first TPS on the dispatch list (blank spots first), so a visitor
// can play its KPPS in the field app.
func fieldCode(ctx context.Context, d *driver, region string) (tps, code string, ok bool) {
	missing, err := d.n.Results.MissingPage(siaga.MissingQuery{Region: region, Limit: 1})
	if err != nil || len(missing.Items) == 0 {
		return "", "", false
	}
	tps = missing.Items[0].TPS
	codes, err := d.operator.IssueEnrolments(ctx, []string{tps}, siaga.RoleKPPS)
	if err != nil {
		d.cfg.Logger.Warn("demo: issuing a field app code", "tps", tps, "err", err)
		return "", "", false
	}
	return tps, codes[tps], codes[tps] != ""
}
