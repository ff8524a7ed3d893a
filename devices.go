package siaga

import "time"

// DeviceStatus narrows the device list (/perangkat) to one kind of row.
type DeviceStatus string

const (
	// DeviceAll lists every row: each device, and each TPS that has no
	// working device.
	DeviceAll DeviceStatus = ""
	// DeviceActive lists the devices that may submit.
	DeviceActive DeviceStatus = "aktif"
	// DeviceRevoked lists the revoked devices.
	DeviceRevoked DeviceStatus = "dicabut"
	// DeviceNone lists the TPS without a working device (none enrolled,
	// or every one revoked): where an operator still has to enrol a phone.
	DeviceNone DeviceStatus = "belum"
)

// DeviceStatuses are the statuses in the order the page offers them.
var DeviceStatuses = []DeviceStatus{DeviceAll, DeviceActive, DeviceRevoked, DeviceNone}

// Valid reports whether s is a known status.
func (s DeviceStatus) Valid() bool {
	switch s {
	case DeviceAll, DeviceActive, DeviceRevoked, DeviceNone:
		return true
	}
	return false
}

// DeviceFilter selects rows of the device list of a region. Which devices
// an account may see is the caller's decision (Roles, Party); the store
// only applies it.
type DeviceFilter struct {
	Region string // code prefix of the TPS; "" is every TPS
	// Roles are the device roles listed, and those that count as a working
	// device of a TPS; empty means kpps, saksi and ptps.
	Roles []Role
	// Party, when set, keeps only devices that witness for it: a witness
	// coordinator sees its own party's phones, not another's.
	Party  PartyRef
	Status DeviceStatus
	After  DeviceCursor // rows after this one; zero for the first page
	Limit  int
}

// DeviceCursor is where a page of the device list ends: rows are ordered
// by TPS code, then device id, a TPS's row without a device ("") first.
type DeviceCursor struct {
	TPS    string
	Device string
}

// DeviceRow is one row of the device list: a device of a TPS, or a TPS
// without a working device (Device.ID is then "").
type DeviceRow struct {
	TPS    string
	Number int // the TPS's number in its desa
	Desa   string
	Device Device
	// LastSeen is when the server last stored a form this device signed;
	// zero when it has sent none.
	LastSeen time.Time
}

// Cursor is the cursor of the page that ends at r.
func (r DeviceRow) Cursor() DeviceCursor { return DeviceCursor{TPS: r.TPS, Device: r.Device.ID} }

// DevicePage is one page of the device list with the counts an operator
// needs to judge it: Total rows match the filter; of the region's TPS,
// Unenrolled have no working device of the listed roles.
type DevicePage struct {
	Items      []DeviceRow
	Total      int
	TPS        int
	Unenrolled int
}

// EnrolmentIssue is what issuing a batch of codes gives back: the codes
// in the order of the TPS asked for, when they expire, and how many
// unused codes of the same TPS and role the batch replaced.
type EnrolmentIssue struct {
	TPS       []string
	Codes     []string
	Role      Role
	Party     PartyRef
	ExpiresAt time.Time
	Replaced  int
}
