package ui

import (
	"github.com/deskpemilu/siaga"
)

// turnout is the partisipasi of a region: how many of the voter list came,
// over the TPS counted so far, and how that number relates to the ballots
// in the box.
type turnout struct {
	DPT       int64   // the region's whole voter list (registry)
	VotersDPT int64   // the voter list of the counted TPS that gave pengguna hak pilih
	Voters    int64   // pengguna hak pilih
	Share     float64 // Voters / VotersDPT
	Ballots   int64   // suara sah + suara tidak sah
	// Gap is Voters − Ballots: zero when every voter's ballot is in the
	// box and every ballot in the box has its voter; gapReason explains it.
	Gap int64
}

func turnoutOf(t siaga.Tally) turnout {
	tu := turnout{DPT: t.DPT, VotersDPT: t.VotersDPT, Voters: t.Voters,
		Share: shareOf(t.Voters, t.VotersDPT), Ballots: t.SuaraSah + t.SuaraTidakSah}
	tu.Gap = tu.Voters - tu.Ballots
	return tu
}

// gapReason says what a difference between pengguna hak pilih and suara
// sah + tidak sah can mean. Each TPS form is checked by R2 (sah + tidak sah
// = surat suara terpakai) and R5 (terpakai ≤ pengguna); a region's gap is
// the sum of its TPS', so it also grows when a form's administrative page
// was not read (its votes count, its voters do not).
func gapReason(gap int64) (string, string) {
	switch {
	case gap > 0:
		return "Pemilih yang tercatat hadir lebih banyak daripada surat suara di kotak. Ini bisa terjadi bila pemilih mengambil surat suara tetapi tidak memasukkannya ke kotak (dibawa pulang atau ditinggal), bila surat suara masuk ke kotak kontes lain, atau karena salah tulis/salah input di formulir. Periksa TPS dengan tanda R2 dan R5.",
			"More voters were recorded as present than there are ballots in the box: voters who took a ballot but did not cast it, ballots put in another contest's box, or a writing or data-entry error on the form. Check the TPS flagged R2 and R5."
	case gap < 0:
		return "Surat suara di kotak lebih banyak daripada pemilih yang tercatat hadir. Bila angkanya benar ini tidak mungkin (aturan R5): biasanya salah tulis/salah input, atau formulir yang bagian administrasinya belum terbaca (suaranya terhitung, pemilihnya belum; tanda R12). Periksa TPS dengan tanda R5 dan R12.",
			"More ballots in the box than voters recorded as present. With correct numbers this cannot happen (rule R5): usually a writing or data-entry error, or forms whose administrative page was not read yet (their votes count, their voters do not; flag R12). Check the TPS flagged R5 and R12."
	}
	return "", ""
}

// gapText is gapReason for a template: both explanations are on the page
// so that the live feed can show the one the sign calls for.
func gapText(sign int) struct{ ID, EN string } {
	id, en := gapReason(int64(sign))
	return struct{ ID, EN string }{id, en}
}
