package election

import (
	"embed"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

//go:embed data/*.csv
var data embed.FS

// Synthetic notes of the built-in definition, shown on screen.
const (
	noteCandidates = "Nama calon DPR, DPRD Provinsi dan DPRD Kabupaten/Kota adalah rekaan dari pembangkit nama acak, bukan Daftar Calon Tetap KPU."
	noteDPD        = "Calon DPD Provinsi Banten (20 orang) adalah rekaan."
	noteDapil      = "Dapil DPRD Provinsi Banten (100 kursi) dan dapil DPRD Kabupaten/Kota adalah rekaan: disusun dari kabupaten/kota dan kecamatan menurut jumlah DPT, bukan penetapan KPU."
	noteSeats      = "Jumlah kursi DPRD Kabupaten/Kota (45–55) diperkirakan dari jumlah DPT."
)

// Banten2024 is the built-in definition of Pemilu 2024 in Banten. Tickets,
// parties and the three DPR dapil are real; candidate names, DPD candidates
// and the DPRD dapil are generated from seed and reg (its Banten kab/kota and
// kecamatan with their DPT) and marked synthetic. Without Banten regions in
// reg the DPRD dapil are left out. The embedded data is checked by the
// package's tests, so a failure to read it is a build defect and panics.
func Banten2024(reg *siaga.Registry, seed int64) *siaga.Election {
	e := &siaga.Election{
		ID: "pemilu2024-banten", Name: "Pemilu 2024 Provinsi Banten", Date: "2024-02-14", Province: "36",
		Tickets: must(readTickets()),
		Parties: must(readParties()),
		// UU 7/2017 art. 414: 4 % of the national valid votes for DPR;
		// DPRD has no threshold.
		SeatThresholds: map[siaga.Contest]float64{siaga.DPR: 0.04},
		ColorSource:    colorSource,
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_2024))
	gen := newNames(rng)
	for _, d := range must(readDPR()) {
		e.Dapil = append(e.Dapil, partyLists(d, e.Parties, gen))
	}
	e.Dapil = append(e.Dapil, dpd(gen, rng))
	tree := newTree(reg)
	for _, d := range dprdProv(tree) {
		e.Dapil = append(e.Dapil, partyLists(d, e.Parties, gen))
	}
	for _, d := range dprdKab(tree) {
		e.Dapil = append(e.Dapil, partyLists(d, e.Parties, gen))
	}
	e.Synthetic = []string{noteCandidates, noteDPD, noteDapil, noteSeats}
	return e
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("election: embedded data: %v", err))
	}
	return v
}

// partyLists fills a dapil with a list of Seats candidates per party. Every
// third name is a woman's, as the 30 % rule (one in every three) requires.
func partyLists(d siaga.Dapil, parties []siaga.Party, gen *names) siaga.Dapil {
	gen.reset()
	d.Synthetic = true
	d.Candidates = make([]siaga.Candidate, 0, len(parties)*d.Seats)
	for _, p := range parties {
		for n := 1; n <= d.Seats; n++ {
			d.Candidates = append(d.Candidates, siaga.Candidate{
				ID: CandidateID(p.Number, n), Party: p.Number, Number: n, Name: gen.next(n%3 == 2),
			})
		}
	}
	return d
}

func dpd(gen *names, rng *rand.Rand) siaga.Dapil {
	gen.reset()
	d := siaga.Dapil{Contest: siaga.DPD, Name: "BANTEN", Seats: 4, Regions: []string{"36"}, Synthetic: true}
	for n := 1; n <= 20; n++ {
		d.Candidates = append(d.Candidates, siaga.Candidate{
			ID: fmt.Sprintf("D%02d", n), Number: n, Name: gen.next(rng.IntN(4) == 0),
		})
	}
	return d
}

func readTickets() ([]siaga.Ticket, error) {
	var out []siaga.Ticket
	err := readCSV("ppwp_tickets.csv", 4, func(rec []string) error {
		out = append(out, siaga.Ticket{Number: rec[0], SirekapID: rec[1], President: rec[2], Vice: rec[3]})
		return nil
	})
	return out, err
}

func readParties() ([]siaga.Party, error) {
	var out []siaga.Party
	err := readCSV("parties.csv", 4, func(rec []string) error {
		n, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("party number %q: %w", rec[0], err)
		}
		out = append(out, siaga.Party{Number: n, Short: rec[1], Name: rec[2]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, readColors(out)
}

// colorSource is shown under charts in party colours.
const colorSource = "Warna partai: warna dominan logo partai peserta Pemilu 2024 (KPU), dipilih agar berbeda satu sama lain (election/data/party_colors.csv). Party colours: each logo's main colour, kept distinct."

// readColors gives each party its colour from party_colors.csv, which must
// name every party by number and short name.
func readColors(parties []siaga.Party) error {
	byNumber := map[string]*siaga.Party{}
	for i := range parties {
		byNumber[strconv.Itoa(parties[i].Number)] = &parties[i]
	}
	err := readCSV("party_colors.csv", 4, func(rec []string) error {
		p, ok := byNumber[rec[0]]
		if !ok || p.Short != rec[1] {
			return fmt.Errorf("colour for unknown party %s %s", rec[0], rec[1])
		}
		p.Color = rec[2]
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range parties {
		if p.Color == "" {
			return fmt.Errorf("party_colors.csv: no colour for party %d %s", p.Number, p.Short)
		}
	}
	return nil
}

func readDPR() ([]siaga.Dapil, error) {
	var out []siaga.Dapil
	err := readCSV("dapil_dpr_banten.csv", 3, func(rec []string) error {
		seats, err := strconv.Atoi(rec[1])
		if err != nil {
			return fmt.Errorf("dapil %s: seats %q: %w", rec[0], rec[1], err)
		}
		out = append(out, siaga.Dapil{Contest: siaga.DPR, Name: rec[0], Seats: seats, Regions: strings.Fields(rec[2])})
		return nil
	})
	return out, err
}

func readCSV(name string, fields int, fn func(rec []string) error) error {
	f, err := data.Open("data/" + name)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = fields
	recs, err := cr.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, rec := range recs[1:] {
		if err := fn(rec); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
