package siaga

import (
	"strconv"
	"strings"
	"time"
)

// Role is what a user may do (SPEC section 2).
type Role string

const (
	RoleKPPS    Role = "kpps"
	RoleSaksi   Role = "saksi"
	RolePTPS    Role = "ptps"
	RolePPK     Role = "ppk"
	RoleKPUKab  Role = "kpu_kab"
	RoleKPUProv Role = "kpu_prov"
	RoleBawaslu Role = "bawaslu"
	RoleDesk    Role = "desk"
	RoleAparat  Role = "aparat"
	// RoleSaksiKoord is a party's or ticket's witness coordinator: it
	// enrols, revokes and speaks for its own witnesses (saksi) only.
	RoleSaksiKoord Role = "saksi_koord"
	RoleLogistik   Role = "logistik"
	RoleAdmin      Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleKPPS, RoleSaksi, RolePTPS, RolePPK, RoleKPUKab, RoleKPUProv, RoleBawaslu, RoleDesk, RoleAparat, RoleSaksiKoord, RoleLogistik, RoleAdmin}

// Valid reports whether r names a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if k == r {
			return true
		}
	}
	return false
}

// SubmitSource is the source a role's count forms are recorded under, or ""
// when the role does not submit count forms from the field.
func (r Role) SubmitSource() Source {
	switch r {
	case RoleKPPS:
		return SourceKPPS
	case RoleSaksi:
		return SourceSaksi
	case RolePTPS:
		return SourcePTPS
	}
	return ""
}

// Oversees is the field role whose devices r enrols and revokes and whose
// records r may enter or correct (with a reason) in its scope, or "". The
// sources check each other, so each answers only for its own: KPU's recap
// operators for KPPS, Bawaslu for its TPS supervisors, a witness
// coordinator for its witnesses. admin manages accounts, never results.
func (r Role) Oversees() Role {
	switch r {
	case RolePPK, RoleKPUKab, RoleKPUProv:
		return RoleKPPS
	case RoleBawaslu:
		return RolePTPS
	case RoleSaksiKoord:
		return RoleSaksi
	}
	return ""
}

// HasParty reports whether accounts and devices of the role speak for one
// party or ticket (User.Party, Device.Party).
func (r Role) HasParty() bool { return r == RoleSaksi || r == RoleSaksiKoord }

// PartyRef names whom a witness reports for: a party of the legislative
// ballots as "partai:N" (its number in the election definition) or a
// presidential ticket as "paslon:NN" (its ticket number). The prefix keeps
// party 1 and ticket 01 apart.
type PartyRef string

// PartyOf is the reference of party number n.
func PartyOf(n int) PartyRef { return PartyRef("partai:" + strconv.Itoa(n)) }

// TicketOf is the reference of the presidential ticket numbered number.
func TicketOf(number string) PartyRef { return PartyRef("paslon:" + number) }

// Valid reports whether p is well formed (not whether the election has it).
func (p PartyRef) Valid() bool {
	if n, ok := strings.CutPrefix(string(p), "partai:"); ok {
		v, err := strconv.Atoi(n)
		return err == nil && v > 0 && strconv.Itoa(v) == n
	}
	if n, ok := strings.CutPrefix(string(p), "paslon:"); ok {
		return n != "" && len(n) <= 4 && strings.Trim(n, "0123456789") == ""
	}
	return false
}

// HasParty reports whether p names a party or ticket of e.
func (e *Election) HasParty(p PartyRef) bool {
	for _, t := range e.Tickets {
		if TicketOf(t.Number) == p {
			return true
		}
	}
	for _, q := range e.Parties {
		if PartyOf(q.Number) == p {
			return true
		}
	}
	return false
}

// InScope reports whether code (a region or TPS code) lies within scope
// (a region code). The empty scope is everything.
func InScope(scope, code string) bool { return strings.HasPrefix(code, scope) }

// User is a person with a role over a region subtree.
type User struct {
	ID       int64    `json:"id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Role     Role     `json:"role"`
	Scope    string   `json:"scope"`           // region code; "" for everything
	Party    PartyRef `json:"party,omitempty"` // saksi and saksi_koord only
	// Agency is the desk member an account works for (aparat: polri, tni
	// or kejaksaan; desk: pemprov, bpbd or diskominfo): incidents assigned
	// to that agency are its to handle. Empty: decided by the role
	// (docs/security-incidents.md).
	Agency       Agency    `json:"agency,omitempty"`
	PasswordHash string    `json:"-"` // argon2id, PHC string format
	CreatedAt    time.Time `json:"created_at"`
}

// Session is a web login. The token is kept only as its SHA-256.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
}

// APIToken is a long-lived bearer token of a user, kept only as its SHA-256.
// Prefix is the token's first characters, enough for its owner to tell
// which one to revoke and far too few to use.
type APIToken struct {
	TokenHash string
	UserID    int64
	Name      string
	Prefix    string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token works
}

// Enrolment is a one-time code an operator issues for a device of one TPS.
// The code is kept only as its SHA-256.
type Enrolment struct {
	CodeHash  string
	TPS       string
	Role      Role     // kpps, saksi or ptps
	Party     PartyRef // for saksi: the issuing coordinator's party
	IssuedBy  int64
	ExpiresAt time.Time
	UsedAt    time.Time
}

// Device is an enrolled field phone. It holds the private key; the server
// keeps the public key and verifies every submission with it.
type Device struct {
	ID         string    `json:"id"`
	TPS        string    `json:"tps"`
	Role       Role      `json:"role"`
	Party      PartyRef  `json:"party,omitempty"` // whom a saksi device witnesses for
	PublicKey  []byte    `json:"public_key"`      // Ed25519, 32 bytes
	Secret     []byte    `json:"-"`               // enrolment secret, for SMS codes
	EnrolledAt time.Time `json:"enrolled_at"`
	// RevokedAt is when the device was revoked; zero while it may submit.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}
