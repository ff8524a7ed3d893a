package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/deskpemilu/siaga"
)

// The account's own early-warning subscriptions
// (/peringatan-dini/{code}/langganan): which regions and categories it is
// told of, in the app and, with a phone number, by SMS. The same service
// methods as the API's /api/v1/warning-subscriptions; a subscription's
// region must lie in the account's scope, as there.

// WarningSubscriptions keeps an account's subscriptions (warning.Service).
// The pages find it on WarningSteps, which the early warning's service
// fills (an optional interface, as net/http's Flusher): a server without
// the early warning has neither.
type WarningSubscriptions interface {
	Subscriptions(ctx context.Context, user int64) ([]siaga.WarningSubscription, error)
	Subscribe(ctx context.Context, sub *siaga.WarningSubscription) error
	Unsubscribe(ctx context.Context, user, id int64) error
}

// subscriptionFields names the form's fields after the service's.
var subscriptionFields = map[string]string{"region": "wilayah", "categories": "kategori", "phone": "telepon"}

type subscriptionRow struct {
	siaga.WarningSubscription
	RegionName string
}

type subscriptionsPage struct {
	basePage
	Region     siaga.Region
	Rows       []subscriptionRow
	Categories []siaga.IncidentCategory
	// The add form as sent, shown again with Err.
	FormRegion string
	FormCats   []string
	FormPhone  string
	Checked    map[string]bool // FormCats as a set, for the checkboxes
	Err        *formError
}

func (h *Pages) warningSubscriptions() WarningSubscriptions {
	s, _ := h.WarningSteps.(WarningSubscriptions)
	return s
}

// WarningSubscriptionsPage serves GET /peringatan-dini/{code}/langganan.
func (h *Pages) WarningSubscriptionsPage(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	h.renderSubscriptions(w, r, http.StatusOK, reg, subscriptionsPage{FormRegion: reg.Code})
}

func (h *Pages) renderSubscriptions(w http.ResponseWriter, r *http.Request, status int, reg siaga.Region, p subscriptionsPage) {
	svc, u := h.warningSubscriptions(), h.account(r)
	if svc == nil || u == nil {
		h.pageNotFound(w, r)
		return
	}
	subs, err := svc.Subscriptions(r.Context(), u.ID)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	for _, s := range subs {
		row := subscriptionRow{WarningSubscription: s, RegionName: s.Region}
		if rg, ok := h.Regions.Region(s.Region); ok {
			row.RegionName = rg.Name
		}
		p.Rows = append(p.Rows, row)
	}
	p.basePage = h.base(r, "Langganan peringatan dini — "+reg.Name)
	p.Nav, p.Path = "peringatan-dini", h.Regions.Path(reg.Code)
	p.Region, p.Categories = reg, siaga.IncidentCategories
	p.Checked = map[string]bool{}
	for _, c := range p.FormCats {
		p.Checked[c] = true
	}
	h.renderStatus(w, r, status, "peringatan_dini_langganan", p)
}

// WarningSubscribe serves POST /peringatan-dini/{code}/langganan:
// aksi=tambah (wilayah, kategori…, telepon) or aksi=hapus (id).
func (h *Pages) WarningSubscribe(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.warningRegion(w, r)
	if !ok {
		return
	}
	svc, u := h.warningSubscriptions(), h.account(r)
	if svc == nil || u == nil {
		h.pageNotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	f := r.PostForm
	p := subscriptionsPage{FormRegion: strings.TrimSpace(f.Get("wilayah")), FormCats: f["kategori"], FormPhone: strings.TrimSpace(f.Get("telepon"))}
	var err error
	switch f.Get("aksi") {
	case "tambah":
		err = h.addSubscription(r.Context(), svc, u, p)
	case "hapus":
		id, perr := strconv.ParseInt(f.Get("id"), 10, 64)
		if perr != nil || id <= 0 {
			err = siaga.Errorf(siaga.EInvalid, "id", "id langganan tidak sah", "invalid subscription id")
		} else {
			err = svc.Unsubscribe(r.Context(), u.ID, id)
		}
		p.FormRegion = reg.Code
	default:
		err = siaga.Errorf(siaga.EInvalid, "aksi", "aksi harus tambah atau hapus", "action must be tambah or hapus")
	}
	if err != nil {
		fe, ok := asSubscriptionError(err)
		if !ok {
			h.writeError(w, r, err)
			return
		}
		p.Err = fe
		h.renderSubscriptions(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), reg, p)
		return
	}
	http.Redirect(w, r, "/peringatan-dini/"+reg.Code+"/langganan", http.StatusSeeOther)
}

// addSubscription checks what the service cannot know (the region exists
// and lies in the account's scope) and stores the subscription.
func (h *Pages) addSubscription(ctx context.Context, svc WarningSubscriptions, u *siaga.User, p subscriptionsPage) error {
	if _, ok := h.Regions.Region(p.FormRegion); !ok {
		return siaga.Errorf(siaga.EInvalid, "region", "Wilayah %q tidak dikenal", "unknown region %q", p.FormRegion)
	}
	if !siaga.InScope(u.Scope, p.FormRegion) {
		return siaga.Errorf(siaga.EForbidden, "region", "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", p.FormRegion)
	}
	sub := siaga.WarningSubscription{User: u.ID, Region: p.FormRegion, Phone: p.FormPhone}
	for _, c := range p.FormCats {
		if !slices.Contains(sub.Categories, siaga.IncidentCategory(c)) {
			sub.Categories = append(sub.Categories, siaga.IncidentCategory(c))
		}
	}
	return svc.Subscribe(ctx, &sub)
}

// asSubscriptionError turns a refusal into the form's message naming the
// form's field; a store failure is not the form's.
func asSubscriptionError(err error) (*formError, bool) {
	var e *siaga.Error
	if !errors.As(err, &e) || siaga.HTTPStatus(e.Code) >= 500 {
		return nil, false
	}
	field := e.Field
	if f, ok := subscriptionFields[field]; ok {
		field = f
	}
	return fieldError(field, e.Message, e.MessageEN), true
}
