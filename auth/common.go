package auth

import (
	"bufio"
	"embed"
	"io/fs"
	"strings"
	"sync"
	"unicode"
)

// commonFiles are lists of passwords people choose most (data/SOURCE.md).
//
//go:embed data/*.lst data/*.txt
var commonFiles embed.FS

// commonPasswords is the set of every listed password in normal form,
// built on first use: about 4,000 short strings.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := map[string]struct{}{}
	names, _ := fs.Glob(commonFiles, "data/*")
	for _, name := range names {
		f, err := commonFiles.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "#") {
				continue
			}
			if n := normalPassword(line); n != "" {
				set[n] = struct{}{}
			}
		}
		f.Close()
	}
	return set
})

// normalPassword is the form in which passwords are compared: lower case,
// without the separators people put between words.
func normalPassword(pw string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '_', '\t':
			return -1
		}
		return unicode.ToLower(r)
	}, pw)
}

// passwordCore is a normal password without the digits and symbols padded
// before and after it: "bismillah2024!" → "bismillah".
func passwordCore(n string) string {
	return strings.TrimFunc(n, func(r rune) bool { return !unicode.IsLetter(r) })
}

// minCoreLen keeps a short word inside a long password ("a" in
// "a1234567890!") from matching a list entry.
const minCoreLen = 4

// minDistinct refuses passwords that repeat a few characters
// ("aaaaaaaaaaaa", "121212121212"), which no list holds in full.
const minDistinct = 5

// guessable reports whether pw is on the lists of common passwords, is the
// username, a common word padded with digits or symbols, a listed word
// repeated, or made of too few distinct characters.
func guessable(pw, username string) bool {
	n := normalPassword(pw)
	common := commonPasswords()
	listed := func(s string) bool { _, ok := common[s]; return ok }
	core := passwordCore(n)
	if listed(n) || len(core) >= minCoreLen && listed(core) {
		return true
	}
	if u := normalPassword(username); u != "" && (n == u || core == passwordCore(u) && core != "") {
		return true
	}
	if unit := repeatedUnit(core); unit != core && (listed(unit) || unit == passwordCore(normalPassword(username))) {
		return true
	}
	distinct := map[rune]bool{}
	for _, r := range n {
		distinct[r] = true
	}
	return len(distinct) < minDistinct
}

// repeatedUnit is the shortest s such that n is s repeated, or n itself:
// "sayangsayang" → "sayang".
func repeatedUnit(n string) string {
	for size := 1; size <= len(n)/2; size++ {
		if len(n)%size == 0 && strings.Repeat(n[:size], len(n)/size) == n {
			return n[:size]
		}
	}
	return n
}
