package postponement

import (
	"context"
	"fmt"
	"time"

	"github.com/deskpemilu/siaga"
)

// The Pondok Aren flood of 14 February 2024, for `siaga demo`.
//
// Sources: Tangerang Ekspres, 14 Feb 2024 ("Lokasi TPS Terendam Banjir,
// Pemungutan Suara di TPS 10 di Pondok Aren Ditunda"): 16 TPS of
// Kecamatan Pondok Aren flooded — TPS 58 (Pondok Kacang Prima), TPS 71,
// 72, 73, 74, 75, 78, 83, 84, 85, 86, 87 and 91 (Perumahan Maharta),
// TPS 10 (Kampung Bulak; these three in Kelurahan Pondok Kacang Timur),
// TPS 99 and 100 (Perumahan Safari, Kelurahan Jurang Mangu Barat);
// hariantangsel.com and liputan6.com, 14 Feb: Bawaslu recommended
// postponing them, on Panwascam's recommendation; tangselife.com: KPU
// Kota Tangerang Selatan called it "Pemilu Susulan" (PSS); voi.id, 15 Feb:
// KPU Tangerang Selatan set the voting for Sunday 18 February.
// Illustrative, not from the sources: the hours of the steps, the letter
// numbers, and TPS 58's kelurahan (Pondok Kacang Prima is taken to be in
// Pondok Kacang Timur). The signatories are named by office only.

// PondokAren lists the codes of the 16 TPS.
var PondokAren = func() []string {
	var out []string
	for _, t := range []struct {
		desa string
		tps  []int
	}{
		{"3674031007", []int{10, 58, 71, 72, 73, 74, 75, 78, 83, 84, 85, 86, 87, 91}}, // Pondok Kacang Timur
		{"3674031010", []int{99, 100}}, // Jurang Mangu Barat
	} {
		for _, n := range t.tps {
			out = append(out, fmt.Sprintf("%s%03d", t.desa, n))
		}
	}
	return out
}()

// pondokArenDays is the day KPU Kota Tangerang Selatan set, as days
// after voting day (18 February 2024).
const pondokArenDays = 4

// PlayPondokAren postpones the 16 TPS through the whole chain, dated as
// it happened relative to the election's voting day: the KPPS report at
// dawn, Panwascam's recommendation before noon, KPU Kota Tangerang
// Selatan's decision the day after, for a PSS on the fourth day. by is
// the audit actor ("demo"). A TPS already postponed is left as it is, so
// the demo can run again on its data folder.
func (s *Service) PlayPondokAren(ctx context.Context, by string) ([]siaga.Postponement, error) {
	day, err := time.ParseInLocation(dateLayout, s.cfg.Rules.VotingDay, s.cfg.Rules.zone())
	if err != nil {
		return nil, fmt.Errorf("postponement: the election's voting day %q: %w", s.cfg.Rules.VotingDay, err)
	}
	var out []siaga.Postponement
	for i, code := range PondokAren {
		if _, ok := s.cfg.Set.Postponed(code); ok {
			continue
		}
		n := code[len(code)-3:]
		p, err := s.Report(ctx, code, siaga.PostponementPSS, "", "Banjir: TPS dan akses ke TPS terendam sejak dini hari (flood)",
			siaga.PostponementStep{Name: "Ketua KPPS", Office: "KPPS TPS " + n + " Kecamatan Pondok Aren",
				At: day.Add(6*time.Hour + 30*time.Minute + time.Duration(i)*time.Minute), Letter: "(ilustrasi) BA-C.Kejadian/TPS " + n, By: by})
		if err != nil {
			return out, fmt.Errorf("postponement: reporting %s: %w", code, err)
		}
		p, err = s.Recommend(ctx, *p, siaga.PostponementStep{Name: "Ketua Panwascam Pondok Aren", Office: "Panwascam Pondok Aren",
			At: day.Add(11 * time.Hour), Letter: "(ilustrasi) 01/PP.01.02/K.BT-09.03/02/2024", By: by})
		if err != nil {
			return out, fmt.Errorf("postponement: recommending %s: %w", code, err)
		}
		p, err = s.Decide(ctx, *p, siaga.PostponementStep{Name: "Ketua KPU Kota Tangerang Selatan", Office: "KPU Kota Tangerang Selatan",
			At: day.Add(24*time.Hour + 16*time.Hour), Letter: "(ilustrasi) 140/PL.01.7-Kpt/3674/2024",
			Note: "rapat pleno PPK Pondok Aren menetapkan hari pemungutan", By: by},
			day.AddDate(0, 0, pondokArenDays).Format(dateLayout))
		if err != nil {
			return out, fmt.Errorf("postponement: deciding %s: %w", code, err)
		}
		out = append(out, *p)
	}
	return out, nil
}
