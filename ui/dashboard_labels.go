package ui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// contestNames are the ballot names as printed on the switcher.
var contestNames = map[siaga.Contest]string{
	siaga.PPWP:     "Presiden",
	siaga.DPR:      "DPR RI",
	siaga.DPD:      "DPD",
	siaga.DPRDProv: "DPRD Provinsi",
	siaga.DPRDKab:  "DPRD Kab/Kota",
}

// ruleTexts explain each rule id (SPEC section 5) in plain words; the one
// place the dashboard describes them.
var ruleTexts = map[string]string{
	"R1":  "Jumlah suara pilihan tidak sama dengan suara sah",
	"R2":  "Suara sah + tidak sah tidak sama dengan total surat suara terpakai",
	"R3":  "Total pengguna hak pilih tidak sama dengan DPT + DPTb + DPK",
	"R4":  "Jumlah laki-laki + perempuan tidak sama dengan totalnya",
	"R5":  "Surat suara terpakai lebih banyak daripada pemilih",
	"R6":  "Pengguna DPT lebih banyak daripada jumlah DPT",
	"R7":  "Jumlah suara melebihi DPT + 2% cadangan + DPTb + DPK",
	"R8":  "Stok surat suara tidak cocok (diterima ≠ terpakai + rusak + sisa, atau melebihi DPT + 2%)",
	"R9":  "DPT di formulir berbeda dengan DPT di daftar resmi",
	"R10": "Suara partai + caleg tidak sama dengan jumlah partai, atau caleg bukan dari dapil ini",
	"R11": "Sumber berbeda (KPPS, saksi, PTPS, Sirekap) mencatat angka berbeda",
	"R12": "Formulir tidak lengkap: bagian suara atau bagian wajib kosong",
}

func ruleText(id string) string {
	if t, ok := ruleTexts[id]; ok {
		return t
	}
	return "Aturan " + id
}

// sortRules orders rule ids numerically (R2 before R10).
func sortRules(ids []string) {
	sort.Slice(ids, func(i, j int) bool { return ruleNum(ids[i]) < ruleNum(ids[j]) })
}

func ruleNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "R"))
	return n
}

var connectivityNames = map[siaga.Connectivity]string{
	siaga.SignalGood: "sinyal baik",
	siaga.SignalWeak: "sinyal lemah",
	siaga.BlankSpot:  "blank spot",
}

func connectivityName(c siaga.Connectivity) string {
	if n, ok := connectivityNames[c]; ok {
		return n
	}
	if c == "" {
		return "tidak diketahui"
	}
	return string(c)
}

var sourceNames = map[siaga.Source]string{
	siaga.SourceKPPS:    "KPPS",
	siaga.SourceSaksi:   "Saksi",
	siaga.SourcePTPS:    "PTPS",
	siaga.SourceSirekap: "Sirekap",
}

// adminNames label the fields of the administrative section.
var adminNames = map[string]string{
	"pemilih_dpt_l": "Pemilih DPT (L)", "pemilih_dpt_p": "Pemilih DPT (P)", "pemilih_dpt_j": "Pemilih DPT",
	"pengguna_dpt_l": "Pengguna DPT (L)", "pengguna_dpt_p": "Pengguna DPT (P)", "pengguna_dpt_j": "Pengguna DPT",
	"pengguna_dptb_l": "Pengguna DPTb (L)", "pengguna_dptb_p": "Pengguna DPTb (P)", "pengguna_dptb_j": "Pengguna DPTb",
	"pengguna_non_dpt_l": "Pengguna DPK (L)", "pengguna_non_dpt_p": "Pengguna DPK (P)", "pengguna_non_dpt_j": "Pengguna DPK",
	"pengguna_total_l": "Pengguna total (L)", "pengguna_total_p": "Pengguna total (P)", "pengguna_total_j": "Pengguna total",
	"suara_sah": "Suara sah", "suara_tidak_sah": "Suara tidak sah", "suara_total": "Surat suara terpakai",
	"surat_suara_diterima": "Surat suara diterima", "surat_suara_digunakan": "Surat suara digunakan",
	"surat_suara_rusak": "Surat suara rusak", "surat_suara_sisa": "Surat suara sisa",
}

// nickPrefixes are first names Indonesians are not called by, so that the
// ticket label reads "Anies–Muhaimin" rather than "Anies–Abdul".
var nickPrefixes = map[string]bool{"Abdul": true, "Muhammad": true, "Mohammad": true, "Moh.": true, "H.": true, "Hj.": true, "Dr.": true, "Prof.": true, "Ir.": true}

func nickname(full string) string {
	words := strings.Fields(full)
	for _, w := range words {
		if !nickPrefixes[w] {
			return w
		}
	}
	return full
}

// optionLabels names the ballot options of a contest: tickets "01
// Anies–Muhaimin", parties by short name, DPD candidates by name.
func optionLabels(e *siaga.Election, c siaga.Contest) map[string]string {
	out := e.OptionNames(c)
	if c == siaga.PPWP && e != nil {
		for _, t := range e.Tickets {
			out[t.Number] = t.Number + " " + nickname(t.President) + "–" + nickname(t.Vice)
		}
	}
	return out
}

// optionOrder sorts option keys as on the ballot: numerically when they are
// numbers, else by text.
func optionOrder(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		a, errA := strconv.Atoi(keys[i])
		b, errB := strconv.Atoi(keys[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
}

func contestNameOf(c any) string {
	switch x := c.(type) {
	case siaga.Contest:
		return contestNames[x]
	case string:
		return contestNames[siaga.Contest(x)]
	}
	return ""
}

func sourceName(s siaga.Source) string { return named(sourceNames, s) }

// named is k's name in names, or k itself when it has none.
func named[K ~string](names map[K]string, k K) string {
	if n, ok := names[k]; ok {
		return n
	}
	return string(k)
}

// palette colours ballot options in bars and on the map alike, chosen to
// stay apart for the three tickets and readable for eighteen parties.
var palette = []string{
	"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
	"#a6761d", "#1f78b4", "#b2182b", "#4d9221", "#8c510a", "#01665e",
	"#762a83", "#c51b7d", "#35978f", "#bf812d", "#5e3c99", "#404040",
}

// optionColor is the colour of option key, the i-th on the ballot: a
// party's own colour from the election definition on legislative ballots,
// else the palette's.
func (h *Pages) optionColor(c siaga.Contest, key string, i int) string {
	if c.Legislative() && h.Election != nil {
		for _, p := range h.Election.Parties {
			if p.Color != "" && strconv.Itoa(p.Number) == key {
				return p.Color
			}
		}
	}
	return palette[i%len(palette)]
}

// postponementText is a postponed TPS's state in words for the dispatch
// board and the missing list: kind, stage, status, and the new date once
// decided ("PSS · diputuskan · tanggal baru 18-02-2024").
func postponementText(p *siaga.Postponement) string {
	if p == nil {
		return ""
	}
	t := strings.ToUpper(string(p.Kind))
	if p.Stage != "" {
		t += " (" + p.Stage + ")"
	}
	t += " · " + string(p.Status)
	if d, err := time.Parse("2006-01-02", p.NewDate); err == nil {
		t += " · tanggal baru " + d.Format("02-01-2006")
	}
	return t
}
