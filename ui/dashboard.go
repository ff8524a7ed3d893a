package ui

import (
	"net/http"
	"net/url"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// basePage is what the layout needs on every page.
type basePage struct {
	// WarnUnread counts the account's early-warning notices not read yet.
	WarnUnread int
	Title      string
	Election   *siaga.Election
	Contest    siaga.Contest
	Contests   []contestLink
	Nav        string
	User       *siaga.User
	CSRF       string
	Province   string
	Path       []siaga.Region
	// CanSMS and CanAudit show the links to the SMS log and the audit log
	// to the accounts that may read them.
	CanSMS, CanAudit bool
	// Dispatch is the board of the account's region, for staff.
	Dispatch string
	// Print heads the page on paper (layout.html); a page may say more
	// precisely what it shows with a Print of its own.
	Print printHead
}

type contestLink struct {
	Name   string
	URL    string
	Active bool
}

func (h *Pages) base(r *http.Request, title string) basePage {
	b := basePage{Title: title, Election: h.Election, Contest: contestParam(r), Province: h.Province}
	b.Print = h.printHead(r, title, b.Contest)
	if u, sess := h.currentUser(r); u != nil {
		b.User, b.CSRF = u, sess.CSRF
		b.CanSMS, b.CanAudit = h.readsSMS(u), auth.CanReadAudit(u, u.Scope)
		b.WarnUnread = h.unreadNotices(r, u)
		if u.Role.SubmitSource() == "" { // field accounts have a TPS, not a board
			region := u.Scope
			if region == "" {
				region = h.Province
			}
			b.Dispatch = "/dispatch?" + url.Values{"wilayah": {region}, "kontes": {string(b.Contest)}}.Encode()
		}
	}
	for _, c := range siaga.Contests {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("kontes", string(c))
		b.Contests = append(b.Contests, contestLink{
			Name: contestNames[c], URL: r.URL.Path + "?" + q.Encode(), Active: c == b.Contest,
		})
	}
	return b
}

// contestParam reads ?kontes=, the presidential contest when absent or unknown
// so that a mistyped link still shows something useful.
func contestParam(r *http.Request) siaga.Contest {
	c := siaga.Contest(r.URL.Query().Get("kontes"))
	if !c.Valid() {
		return siaga.PPWP
	}
	return c
}

// Home sends the visitor to the deployment's province, and an official
// with a region to look after (a PPK operator's kecamatan) to that region.
func (h *Pages) Home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		h.pageNotFound(w, r)
		return
	}
	region := h.Province
	if u, _ := h.currentUser(r); u != nil && u.Scope != "" {
		if _, ok := h.Regions.Region(u.Scope); ok {
			region = u.Scope
		}
	}
	if region == "" {
		h.countryPage(w, r)
		return
	}
	target := "/wilayah/" + region
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// withContest adds the contest to a dashboard link so navigation keeps the
// chosen ballot.
func withContest(path string, c siaga.Contest) string {
	if c == siaga.PPWP {
		return path
	}
	return path + "?kontes=" + string(c)
}
