package siaga

import (
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
	// enrols its own witnesses' devices.
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

// Corrects reports whether the role may correct counts (a new version with a
// reason) for TPS in its scope.
func (r Role) Corrects() bool {
	return r == RolePPK || r == RoleKPUKab || r == RoleKPUProv || r == RoleAdmin
}

// InScope reports whether code (a region or TPS code) lies within scope
// (a region code). The empty scope is everything.
func InScope(scope, code string) bool { return strings.HasPrefix(code, scope) }

// User is a person with a role over a region subtree.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Scope        string    `json:"scope"` // region code; "" for everything
	PasswordHash string    `json:"-"`     // argon2id, PHC string format
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
type APIToken struct {
	TokenHash string
	UserID    int64
	Name      string
	CreatedAt time.Time
}

// Enrolment is a one-time code an operator issues for a device of one TPS.
// The code is kept only as its SHA-256.
type Enrolment struct {
	CodeHash  string
	TPS       string
	Role      Role // kpps, saksi or ptps
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
	PublicKey  []byte    `json:"public_key"` // Ed25519, 32 bytes
	Secret     []byte    `json:"-"`          // enrolment secret, for SMS codes
	EnrolledAt time.Time `json:"enrolled_at"`
}
