package ui

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
)

// WarningNotices are the early warning's notices to one account: each
// alert of an area the account subscribed to, told in the app (the nav's
// count, the list on the alerts page) as well as by SMS (warning.go).
type WarningNotices interface {
	WarningNotices(ctx context.Context, user int64, limit int) ([]siaga.WarningNotice, error)
	CountUnreadWarningNotices(ctx context.Context, user int64) (int, error)
	MarkWarningNoticesRead(ctx context.Context, user int64, at time.Time) error
}

// noticesShown is how many of an account's notices the alerts page lists.
const noticesShown = 20

// unreadNotices counts u's notices not read yet, for the nav; 0 for the
// roles that read no alert, and when the count fails (logged: the page
// still serves).
func (h *Pages) unreadNotices(r *http.Request, u *siaga.User) int {
	if h.Notices == nil || u == nil || !slices.Contains(h.Roles.WarnRead, u.Role) {
		return 0
	}
	n, err := h.Notices.CountUnreadWarningNotices(r.Context(), u.ID)
	if err != nil {
		h.dashLog().Warn("warning notices", "user", u.ID, "err", err)
		return 0
	}
	return n
}

// myNotices lists u's newest notices and marks them read: the alerts page
// is where they are read.
func (h *Pages) myNotices(r *http.Request, u *siaga.User) []siaga.WarningNotice {
	if h.Notices == nil || u == nil {
		return nil
	}
	list, err := h.Notices.WarningNotices(r.Context(), u.ID, noticesShown)
	if err != nil {
		h.dashLog().Warn("warning notices", "user", u.ID, "err", err)
		return nil
	}
	if len(list) > 0 {
		if err := h.Notices.MarkWarningNoticesRead(r.Context(), u.ID, h.now()); err != nil {
			h.dashLog().Warn("warning notices read", "user", u.ID, "err", err)
		}
	}
	return list
}
