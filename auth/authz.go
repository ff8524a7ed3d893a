package auth

import "github.com/deskpemilu/siaga"

// CanSee reports whether u may read the data of code (a region or TPS).
// A nil u is the public, which sees only what is published; that is the
// caller's decision, not this one.
func CanSee(u *siaga.User, code string) bool {
	return u != nil && siaga.InScope(u.Scope, code)
}

// CanCorrect reports whether u may correct the counts of tps.
func CanCorrect(u *siaga.User, tps string) bool {
	return u != nil && u.Role.Corrects() && siaga.InScope(u.Scope, tps)
}

// CanSubmit reports whether u may send sub as a logged-in user (not a
// signed device). Field officers submit their own source for their own TPS;
// recap operators correct any field source in their region; only an admin
// records Sirekap imports. Whether a correction carries its reason is for
// the results engine to check.
func CanSubmit(u *siaga.User, sub *siaga.Submission) bool {
	if u == nil || sub == nil || !sub.Source.Valid() {
		return false
	}
	if sub.Source == siaga.SourceSirekap {
		return u.Role == siaga.RoleAdmin && siaga.InScope(u.Scope, sub.TPS)
	}
	if src := u.Role.SubmitSource(); src != "" {
		return u.Scope == sub.TPS && sub.Source == src
	}
	return CanCorrect(u, sub.TPS)
}
