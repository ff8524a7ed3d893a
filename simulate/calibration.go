package simulate

import "github.com/deskpemilu/siaga"

// Calibration targets. Official figures are KPU's Banten recapitulation
// (national plenary, 12 Mar 2024, as compiled in the project's
// shared/data/pemilu2024/README.md); everything marked synthetic is made up
// to look plausible and must be labelled so on screen.
const (
	// Voters who voted over DPT: 7,422,507 / 8,842,646. DPT users alone
	// are 7,267,751 / 8,842,646.
	turnoutDPT = 7267751.0 / 8842646.0
	// Transferred (DPTb) and special (DPK) voters per DPT user:
	// 65,097 and 89,659 over 7,267,751.
	dptbPerUser = 65097.0 / 7267751.0
	dpkPerUser  = 89659.0 / 7267751.0
	// Invalid ballots over ballots cast, ppwp: 215,797 / 7,422,507. The
	// same rate is used for the other contests (synthetic).
	invalidRate = 215797.0 / 7422507.0
	// Share of men on the DPT (synthetic, close to parity as in Banten).
	menShare = 0.505
	// Ballots spoiled and replaced per TPS (synthetic).
	spoiledMean = 0.6
	// Share of a party's votes marked for the party only rather than a
	// candidate (synthetic).
	partyOnlyShare = 0.3
)

// ppwpProvince is the official Banten result per ticket: 01, 02, 03.
var ppwpProvince = []float64{2451383, 4035052, 720275}

// ppwpKab is the ppwp result per kab/kota. Pandeglang (3601) is official;
// the others are synthetic, chosen so that their DPT-weighted mean is within
// 0.1 point of the official province shares.
var ppwpKab = map[string][]float64{
	"3601": {267120, 422757, 62307},
	"3602": {0.30, 0.62, 0.08},
	"3603": {0.33, 0.575, 0.095},
	"3604": {0.36, 0.565, 0.075},
	"3671": {0.35, 0.52, 0.13},
	"3672": {0.355, 0.56, 0.085},
	"3673": {0.40, 0.52, 0.08},
	"3674": {0.325, 0.52, 0.155},
}

// partyBase is a party's share in percent on the legislative ballots,
// keyed by ballot number. Synthetic: the rough order of the parties in
// Banten 2024, not their official results.
var partyBase = map[int]float64{
	1: 8, 2: 14, 3: 10, 4: 15, 5: 7, 6: 1, 7: 1.2, 8: 13, 9: 0.3,
	10: 0.8, 11: 0.3, 12: 6, 13: 0.6, 14: 7, 15: 3, 16: 2.5, 17: 5, 24: 0.7,
}

// Hours after polls close (13:00) on the uncompressed clock; the whole
// night is modelled as 24 hours. Synthetic, after the usual order of
// counting: ppwp first, then DPR, DPD, DPRD province, DPRD kab/kota.
const (
	nightHours      = 24.0
	firstReportHour = 1.0
	weakDelayHours  = 1.5  // mean extra delay of a weak link
	blankStart      = 0.72 // blank-spot TPS arrive by runner in the last 28% of the night
	blankSpan       = 0.26
)

// medianDoneHour is when half the TPS have counted a contest.
var medianDoneHour = map[siaga.Contest]float64{
	siaga.PPWP: 3, siaga.DPR: 6, siaga.DPD: 7.5, siaga.DPRDProv: 9, siaga.DPRDKab: 10.5,
}
