// Package registry embeds the real regions of Indonesia and the polling
// stations (TPS) of every desa for Pemilu 2024, and builds a deployment's
// siaga.Registry from them. Region names and TPS counts are real; DPT per TPS,
// TPS coordinates and connectivity classes are generated from a seed because
// no public source has them (see data/SOURCE.md).
package registry

import (
	"fmt"
	"slices"

	"github.com/deskpemilu/siaga"
)

// All selects every province in Load and Mismatches.
const All = "all"

// Mismatch kinds: the two region sources (idn-area-data and KPU's TPS list)
// do not agree on every desa.
const (
	// TPSWithoutRegion: a desa (or its kecamatan) has TPS but no name in the
	// wilayah data; it gets a placeholder name so its TPS stay countable.
	TPSWithoutRegion = "tps_without_region"
	// RegionWithoutTPS: a desa in the wilayah data has no TPS in 2024.
	RegionWithoutTPS = "region_without_tps"
)

// Mismatch is one region on which the embedded sources disagree.
type Mismatch struct {
	Code string `json:"code"`
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// Load builds the registry of one province (a two-digit code such as "36")
// or of all Indonesia ("all"). The same province and seed always give the
// same registry. Regions are sorted by code, which puts parents before
// children; TPS are sorted by code.
func Load(province string, seed int64) (*siaga.Registry, error) {
	src, err := readSource(province)
	if err != nil {
		return nil, err
	}
	reg := &siaga.Registry{Regions: src.regions, TPS: buildTPS(src.desas)}
	if err := generateDPT(reg.TPS, src.all, seed); err != nil {
		return nil, fmt.Errorf("registry: generate DPT: %w", err)
	}
	if err := placeBanten(reg.TPS, reg.Regions, seed); err != nil {
		return nil, fmt.Errorf("registry: place Banten TPS: %w", err)
	}
	sumRegions(reg)
	return reg, nil
}

// Mismatches lists the regions of a province ("all" for Indonesia) on which
// the wilayah data and the TPS list disagree, ordered by code.
func Mismatches(province string) ([]Mismatch, error) {
	src, err := readSource(province)
	if err != nil {
		return nil, err
	}
	return src.mismatches, nil
}

func checkProvince(province string) error {
	if province == All {
		return nil
	}
	if len(province) != 2 || province[0] < '1' || province[0] > '9' || province[1] < '0' || province[1] > '9' {
		return siaga.Errorf(siaga.EInvalid, "province",
			"kode provinsi %q tidak sah: gunakan dua angka (mis. \"36\") atau \"all\"",
			"invalid province code %q: use two digits (e.g. \"36\") or \"all\"", province)
	}
	return nil
}

// sumRegions fills TPSCount and DPT of every region from its TPS. Regions are
// sorted by code, so walking them backwards visits children before parents.
func sumRegions(reg *siaga.Registry) {
	at := make(map[string]int, len(reg.Regions))
	for i, r := range reg.Regions {
		at[r.Code] = i
	}
	for _, t := range reg.TPS {
		if i, ok := at[t.Desa]; ok {
			reg.Regions[i].TPSCount++
			reg.Regions[i].DPT += t.DPT
		}
	}
	for i := len(reg.Regions) - 1; i >= 0; i-- {
		r := reg.Regions[i]
		if j, ok := at[r.Parent]; ok && r.Parent != "" {
			reg.Regions[j].TPSCount += r.TPSCount
			reg.Regions[j].DPT += r.DPT
		}
	}
}

func sortRegions(rs []siaga.Region) {
	slices.SortFunc(rs, func(a, b siaga.Region) int {
		switch {
		case a.Code < b.Code:
			return -1
		case a.Code > b.Code:
			return 1
		}
		return 0
	})
}
