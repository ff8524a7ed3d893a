package sms

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// Replies are in Bahasa Indonesia, in ASCII (a subset of GSM-7) and at
// most one SMS long, so that a cheap phone shows them whole.

const helpReply = "SIAGA: SMS tidak terbaca. Format: SGA <kode TPS> P <8 angka administrasi> <suara 01> <02> <03> K<kode dari aplikasi>. Kirim SMS persis dari aplikasi Siaga."

// fit makes s plain ASCII and at most one SMS long.
func fit(s string) string {
	s = asciiReplacer.Replace(s)
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
	if len(s) <= MaxLen {
		return s
	}
	return s[:MaxLen-2] + ".."
}

var asciiReplacer = strings.NewReplacer("–", "-", "—", "-", "‘", "'", "’", "'", "“", "\"", "”", "\"", "≤", "<=", "≥", ">=", "≠", "!=", "…", "..",
	// GSM-7 extension characters take two septets on some phones and none
	// on others.
	"[", "(", "]", ")", "{", "(", "}", ")", "\\", "/", "^", "-", "~", "-", "|", "/", "`", "'")

func shortHash(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

func contestLabel(c siaga.Contest) string { return strings.ToUpper(string(c)) }

// recordedReply echoes what was stored with the receipt: the ticket counts
// of a ppwp form; the totals of a longer one.
func recordedReply(r siaga.Receipt, f *siaga.Form, replay bool) string {
	var b strings.Builder
	if replay {
		b.WriteString("SIAGA: sudah tercatat sebelumnya. ")
	} else {
		b.WriteString("SIAGA OK tercatat. ")
	}
	fmt.Fprintf(&b, "TPS %s %s v%d #%s.", r.TPS, contestLabel(r.Contest), r.Version, shortHash(r.Hash))
	if f.Votes != nil && len(f.Votes.Options) > 0 && len(f.Votes.Options) <= 5 {
		keys := make([]string, 0, len(f.Votes.Options))
		for k := range f.Votes.Options {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%d", k, f.Votes.Options[k])
		}
	} else if f.Votes != nil {
		fmt.Fprintf(&b, " %d pilihan/partai, jumlah suara %d.", len(f.Votes.OptionTotals()), f.Votes.Total())
	}
	if n, ok := f.Admin["suara_sah"]; ok {
		fmt.Fprintf(&b, " Sah %d", n)
	}
	if n, ok := f.Admin["suara_tidak_sah"]; ok {
		fmt.Fprintf(&b, " Tdk sah %d", n)
	}
	if len(r.Rules) > 0 {
		fmt.Fprintf(&b, ". Periksa %s", strings.Join(r.Rules, ","))
	}
	return fit(b.String())
}

func refusedReply(m *Message, err *siaga.Error) string {
	where := ""
	if m != nil {
		where = fmt.Sprintf(" TPS %s %s", m.TPS, contestLabel(m.Contest))
	}
	field := ""
	if err.Field != "" {
		field = " (" + err.Field + ")"
	}
	return fit(fmt.Sprintf("SIAGA GAGAL%s: %s%s. Tidak tercatat.", where, err.Message, field))
}

func badCodeReply(m *Message, left int) string {
	return fit(fmt.Sprintf("SIAGA GAGAL: kode K salah untuk TPS %s. Kirim SMS persis seperti dibuat aplikasi Siaga. Sisa %d kesempatan.", m.TPS, left))
}

func lockedReply(until time.Time) string {
	return fit(fmt.Sprintf("SIAGA: nomor ini diblokir sampai %s WIB karena kode salah berulang. Hubungi operator.", until.In(siaga.WIB).Format("15:04")))
}

func partReply(m *Message, missing []int) string {
	ms := make([]string, len(missing))
	for i, n := range missing {
		ms[i] = fmt.Sprint(n)
	}
	return fit(fmt.Sprintf("SIAGA: bagian %d/%d (%s) TPS %s %s diterima. Menunggu bagian %s.",
		m.Part, m.Parts, m.ID, m.TPS, contestLabel(m.Contest), strings.Join(ms, ",")))
}

const failedReply = "SIAGA: gangguan di server. Kirim ulang SMS yang sama beberapa menit lagi; tidak akan tercatat dua kali."
