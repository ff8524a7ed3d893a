package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
)

// numID formats an integer the Indonesian way: 1.234.567.
func numID(v any) string {
	switch x := v.(type) {
	case int:
		return FormatCount(int64(x))
	case int64:
		return FormatCount(x)
	case uint64:
		return FormatCount(int64(x))
	case int32:
		return FormatCount(int64(x))
	}
	return fmt.Sprint(v)
}

// FormatCount writes a count the Indonesian way, 1.234.567, as every page
// and the command line show numbers.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pctID formats a share (0..1) as a percentage with one decimal and a comma:
// 0.56 → "56,0%".
func pctID(share float64) string {
	return strings.Replace(strconv.FormatFloat(share*100, 'f', 1, 64), ".", ",", 1) + "%"
}

// shareOf is part/whole, 0 when whole is 0.
func shareOf(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// barWidth is a share as a CSS width ("56.0%"), clamped to 0..100.
func barWidth(share float64) string {
	share = min(max(share, 0), 1)
	return strconv.FormatFloat(share*100, 'f', 1, 64) + "%"
}

// fmtWhen formats a time in WIB for an election official; zero is "—".
func fmtWhen(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(siaga.WIB).Format("02-01-2006 15.04.05 WIB")
}

// fmtClock is the short form of fmtWhen, for tables.
func fmtClock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(siaga.WIB).Format("15.04 WIB")
}

// shortHash cuts a hash to its first 12 characters, enough to compare by eye.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
