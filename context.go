package siaga

import "context"

// contextKey keeps this package's context values apart from anyone else's.
type contextKey int

const accountKey contextKey = iota + 1

// requestAccount is the signed-in account of a request and its session.
type requestAccount struct {
	user *User
	sess *Session
}

// NewContextWithUser returns ctx carrying the signed-in account u and its
// session (nil when u came with an API token rather than a cookie): the
// HTTP guard stores it once, so that handlers and pages do not look it up
// again.
func NewContextWithUser(ctx context.Context, u *User, sess *Session) context.Context {
	return context.WithValue(ctx, accountKey, requestAccount{u, sess})
}

// UserFromContext returns the account NewContextWithUser stored, with its
// session; ok is false when there is none.
func UserFromContext(ctx context.Context) (u *User, sess *Session, ok bool) {
	a, ok := ctx.Value(accountKey).(requestAccount)
	return a.user, a.sess, ok
}
