package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// The devices of a region (/perangkat): every TPS with its enrolled
// devices and every TPS without a working one, for the operators who
// enrol them and admin, who looks after every device. An operator sees the
// devices it may revoke (its own source's; a witness coordinator its own
// party's), so one party's phones are not another's business.

const (
	devicePageSize = 100
	// maxDeviceExport bounds one export: a province's TPS and devices.
	maxDeviceExport = 200000
)

// deviceQuery is a request's view of the device list.
type deviceQuery struct {
	Region, Status, Role string
	filter               siaga.DeviceFilter
}

// parseDeviceQuery reads wilayah (default: the account's scope), status,
// peran and setelah (the cursor, "TPS~device") for u.
func parseDeviceQuery(u *siaga.User, q url.Values) (deviceQuery, error) {
	d := deviceQuery{Region: q.Get("wilayah"), Status: q.Get("status"), Role: q.Get("peran")}
	if d.Region == "" {
		d.Region = u.Scope
	}
	if !siaga.InScope(u.Scope, d.Region) {
		return d, siaga.Errorf(siaga.EForbidden, "wilayah", "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", d.Region)
	}
	f := siaga.DeviceFilter{Region: d.Region, Status: siaga.DeviceStatus(d.Status), Roles: visibleRoles(u), Limit: devicePageSize}
	if !f.Status.Valid() {
		return d, siaga.Errorf(siaga.EInvalid, "status", "Status tidak dikenal", "unknown status")
	}
	if u.Role != siaga.RoleAdmin && u.Role.Oversees().HasParty() {
		f.Party = u.Party
	}
	if d.Role != "" {
		role := siaga.Role(d.Role)
		if !containsRole(f.Roles, role) {
			return d, siaga.Errorf(siaga.EInvalid, "peran", "Peran %s tidak ada di daftar Anda", "role %s is not in your list", d.Role)
		}
		f.Roles = []siaga.Role{role}
	}
	if v := q.Get("setelah"); v != "" {
		tps, dev, _ := strings.Cut(v, "~")
		f.After = siaga.DeviceCursor{TPS: tps, Device: dev}
	}
	d.filter = f
	return d, nil
}

// visibleRoles are the device roles u sees: admin every one, an operator
// its own source's.
func visibleRoles(u *siaga.User) []siaga.Role {
	if u.Role == siaga.RoleAdmin {
		return []siaga.Role{siaga.RoleKPPS, siaga.RoleSaksi, siaga.RolePTPS}
	}
	return []siaga.Role{u.Role.Oversees()}
}

func containsRole(rs []siaga.Role, r siaga.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// values is the query string of d without its cursor.
func (d deviceQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"wilayah": d.Region, "status": d.Status, "peran": d.Role} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

var deviceColumns = []column{{Name: "tps"}, {Name: "no_tps", Number: true}, {Name: "desa"}, {Name: "perangkat"},
	{Name: "peran"}, {Name: "partai"}, {Name: "status"}, {Name: "terdaftar"}, {Name: "kontak_terakhir"}, {Name: "dicabut"}}

// deviceStatus is a row's status in words, as the filter names it.
func deviceStatus(r *siaga.DeviceRow) siaga.DeviceStatus {
	switch {
	case r.Device.ID == "":
		return siaga.DeviceNone
	case !r.Device.RevokedAt.IsZero():
		return siaga.DeviceRevoked
	}
	return siaga.DeviceActive
}

// deviceCells is a row as the page shows it and the exports write it.
func (h *Pages) deviceCells(r *siaga.DeviceRow) []string {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(siaga.WIB).Format("2006-01-02 15:04")
	}
	return []string{r.TPS, strconv.Itoa(r.Number), h.regionName(r.Desa), r.Device.ID, string(r.Device.Role), string(r.Device.Party),
		string(deviceStatus(r)), stamp(r.Device.EnrolledAt), stamp(r.LastSeen), stamp(r.Device.RevokedAt)}
}

// eachDevice calls fn for every row d selects from its cursor on, page by
// page, up to maxDeviceExport.
func (h *Pages) eachDevice(ctx context.Context, d deviceQuery, fn func(r *siaga.DeviceRow) error) error {
	f := d.filter
	f.Limit = 1000
	for done := 0; done < maxDeviceExport; {
		page, err := h.Devices.DeviceList(ctx, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			if err := fn(&page.Items[i]); err != nil {
				return err
			}
		}
		done += len(page.Items)
		if len(page.Items) < f.Limit {
			return nil
		}
		f.After = page.Items[len(page.Items)-1].Cursor()
	}
	return nil
}

// devicesTable is the device list d selects, as an exported table.
func (h *Pages) devicesTable(r *http.Request, d deviceQuery) table {
	return table{Name: "siaga-perangkat-" + cmpOr(d.Region, "semua"), Columns: deviceColumns, Rows: func(row func([]string) error) error {
		return h.eachDevice(r.Context(), d, func(dr *siaga.DeviceRow) error { return row(h.deviceCells(dr)) })
	}}
}

// deviceReader reads the request's query, answering the error itself.
func (h *Pages) deviceReader(w http.ResponseWriter, r *http.Request) (deviceQuery, bool) {
	if h.Devices == nil {
		h.writeError(w, r, siaga.Errorf(siaga.ENotFound, "", "Daftar perangkat tidak tersedia", "the device list is not available"))
		return deviceQuery{}, false
	}
	d, err := parseDeviceQuery(h.account(r), r.URL.Query())
	if err != nil {
		h.writeError(w, r, err)
		return d, false
	}
	d.filter.After = siaga.DeviceCursor{} // an export is the whole list
	return d, true
}

// DevicesCSV serves GET /perangkat.csv.
func (h *Pages) DevicesCSV(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.deviceReader(w, r); ok {
		h.writeTable(w, r, h.devicesTable(r, d), FormatCSV)
	}
}

// DevicesXLSX serves GET /perangkat.xlsx.
func (h *Pages) DevicesXLSX(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.deviceReader(w, r); ok {
		h.writeTable(w, r, h.devicesTable(r, d), FormatXLSX)
	}
}

type deviceView struct {
	Cells  []string
	Status siaga.DeviceStatus
	Revoke string // the confirmation page, when this account may revoke it
}

type devicesPageData struct {
	basePage
	Query      deviceQuery
	RegionName string
	Statuses   []siaga.DeviceStatus
	Roles      []siaga.Role
	Columns    []column
	Rows       []deviceView
	Page       siaga.DevicePage
	Enrolled   int
	Next       string
	First      string
	CSV, XLSX  string
	Revoked    string // the device just revoked
}

// DevicesPage serves GET /perangkat: the devices of a region and its TPS
// without one, filtered, "N dari M", with exports and a revoke button.
func (h *Pages) DevicesPage(w http.ResponseWriter, r *http.Request) {
	u := h.account(r)
	if h.Devices == nil {
		h.pageNotFound(w, r)
		return
	}
	d, err := parseDeviceQuery(u, r.URL.Query())
	if err != nil {
		var e *siaga.Error
		errors.As(err, &e)
		h.Error(w, r, siaga.HTTPStatus(e.Code), e.Message+".", e.MessageEN+".")
		return
	}
	page, err := h.Devices.DeviceList(r.Context(), d.filter)
	if err != nil {
		h.dashLog().Error("device list", "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Daftar perangkat tidak dapat dibaca.", "The device list could not be read.")
		return
	}
	p := devicesPageData{basePage: h.base(r, "Perangkat"), Query: d, RegionName: h.regionName(d.Region),
		Statuses: siaga.DeviceStatuses, Roles: visibleRoles(u), Columns: deviceColumns, Page: page,
		Enrolled: page.TPS - page.Unenrolled, Revoked: r.URL.Query().Get("dicabut")}
	p.Nav = "perangkat"
	for i := range page.Items {
		row := &page.Items[i]
		v := deviceView{Cells: h.deviceCells(row), Status: deviceStatus(row)}
		if v.Status == siaga.DeviceActive && auth.CanRevokeDevice(u, &row.Device) {
			v.Revoke = "/perangkat/" + url.PathEscape(row.Device.ID) + "/cabut"
		}
		p.Rows = append(p.Rows, v)
	}
	v := d.values()
	p.CSV, p.XLSX = "/perangkat.csv?"+v.Encode(), "/perangkat.xlsx?"+v.Encode()
	if d.filter.After != (siaga.DeviceCursor{}) {
		p.First = "/perangkat?" + v.Encode()
	}
	if n := len(page.Items); n == d.filter.Limit {
		c := page.Items[n-1].Cursor()
		v.Set("setelah", c.TPS+"~"+c.Device)
		p.Next = "/perangkat?" + v.Encode()
	}
	h.render(w, r, "enrol_devices", p)
}

type revokePageData struct {
	basePage
	Device *siaga.Device
	Desa   string
	Reason string
	Error  string
}

// revokeTarget finds the device of the path that u may revoke, answering
// the error page itself.
func (h *Pages) revokeTarget(w http.ResponseWriter, r *http.Request) (*siaga.Device, bool) {
	if h.Devices == nil {
		h.pageNotFound(w, r)
		return nil, false
	}
	d, err := h.Devices.DeviceByID(r.Context(), r.PathValue("id"))
	switch {
	case siaga.ErrorCode(err) == siaga.ENotFound:
		h.Error(w, r, http.StatusNotFound, "Perangkat tidak ditemukan.", "Device not found.")
		return nil, false
	case err != nil:
		h.dashLog().Error("device", "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Perangkat tidak dapat dibaca.", "The device could not be read.")
		return nil, false
	case !auth.CanRevokeDevice(h.account(r), d):
		h.Error(w, r, http.StatusForbidden, "Akun Anda tidak berwenang mencabut perangkat ini.", "Your account may not revoke this device.")
		return nil, false
	}
	return d, true
}

// RevokeForm serves GET /perangkat/{id}/cabut: what is about to be
// revoked, and the reason the audit log will keep.
func (h *Pages) RevokeForm(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.revokeTarget(w, r); ok {
		h.renderRevoke(w, r, http.StatusOK, d, "", "")
	}
}

func (h *Pages) renderRevoke(w http.ResponseWriter, r *http.Request, status int, d *siaga.Device, reason, msg string) {
	tps, _ := h.Regions.TPS(d.TPS)
	p := revokePageData{basePage: h.base(r, "Cabut perangkat"), Device: d, Desa: h.regionName(tps.Desa), Reason: reason, Error: msg}
	p.Nav = "perangkat"
	h.renderStatus(w, r, status, "enrol_revoke", p)
}

// RevokeDevice serves POST /perangkat/{id}/cabut: the device is refused
// at once on every node (auth.Service.RevokeDevice), and the audit log
// keeps who, when and why.
func (h *Pages) RevokeDevice(w http.ResponseWriter, r *http.Request) {
	d, ok := h.revokeTarget(w, r)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("alasan"))
	if reason == "" {
		h.renderRevoke(w, r, http.StatusBadRequest, d, "", "Tulis alasannya (mis. ponsel hilang, petugas diganti). / Give a reason (phone lost, officer replaced).")
		return
	}
	if _, err := h.Auth.RevokeDeviceFor(r.Context(), h.account(r), d.ID, reason); err != nil {
		var e *siaga.Error
		if errors.As(err, &e) {
			h.renderRevoke(w, r, siaga.HTTPStatus(e.Code), d, reason, e.Message+" / "+e.MessageEN)
			return
		}
		h.dashLog().Error("revoking a device", "device", d.ID, "err", err)
		h.renderRevoke(w, r, http.StatusInternalServerError, d, reason, "Perangkat belum dicabut; coba lagi. / The device was not revoked; try again.")
		return
	}
	tps, _ := h.Regions.TPS(d.TPS)
	http.Redirect(w, r, "/perangkat?"+url.Values{"wilayah": {tps.Desa}, "dicabut": {d.ID}}.Encode(), http.StatusSeeOther)
}
