package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// Console is the operator at the server's command line (siaga user add,
// siaga device revoke): whoever can run it holds the database already, so
// it acts as admin. Its ID is 0, which no stored user has.
func Console() *siaga.User {
	return &siaga.User{Username: "cli", Name: "Konsol server", Role: siaga.RoleAdmin}
}

// Actor is how the audit log names u: "user:NAME", or "cli" for Console.
func Actor(u *siaga.User) string {
	if u == nil {
		return ""
	}
	if u.ID == 0 {
		return "cli"
	}
	return "user:" + u.Username
}

// NewUser is an account to create.
type NewUser struct {
	Username, Name, Password string
	Role                     siaga.Role
	Scope                    string
	Party                    siaga.PartyRef // saksi and saksi_koord only
	// Agency is the desk member the account works for, when not the one
	// its role implies (siaga.User.AgencyOf): an aparat of the TNI or the
	// Kejaksaan, a desk officer of BPBD or Diskominfo.
	Agency siaga.Agency
}

// CreateUser creates an account from the server's console (Console).
func (s *Service) CreateUser(ctx context.Context, username, name, password string, role siaga.Role, scope string) (*siaga.User, error) {
	return s.AddUser(ctx, Console(), NewUser{Username: username, Name: name, Password: password, Role: role, Scope: scope})
}

// AddUser validates and stores a new user with a hashed password; only an
// admin may.
func (s *Service) AddUser(ctx context.Context, by *siaga.User, nu NewUser) (*siaga.User, error) {
	if err := mayManageAccounts(by); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(nu.Name)
	if err := validateUser(nu.Username, name, nu.Role, nu.Scope); err != nil {
		return nil, err
	}
	if err := validateParty(nu.Role, nu.Party); err != nil {
		return nil, err
	}
	if err := validateAgency(nu.Agency); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, nu.Password, nu.Username)
	if err != nil {
		return nil, err
	}
	u := &siaga.User{
		Username: nu.Username, Name: name, Role: nu.Role, Scope: nu.Scope, Party: nu.Party, Agency: nu.Agency,
		PasswordHash: hash, CreatedAt: s.Now().UTC(),
	}
	ev := siaga.AuditEvent{At: u.CreatedAt, Actor: Actor(by), Action: siaga.AuditUserCreate, Subject: u.Username, Scope: u.Scope,
		Detail: siaga.AuditDetail(map[string]any{"role": u.Role, "scope": u.Scope, "party": u.Party, "agency": u.Agency})}
	if err := s.Store.CreateUser(ctx, u, ev); err != nil {
		return nil, fmt.Errorf("creating user %q: %w", nu.Username, err)
	}
	return u, nil
}

// SetRole changes the role, scope and party of an account; only an admin
// may. Its sessions and tokens carry on under the new role, since every
// request reads the user afresh.
func (s *Service) SetRole(ctx context.Context, by *siaga.User, username string, role siaga.Role, scope string, party siaga.PartyRef) (*siaga.User, error) {
	if err := mayManageAccounts(by); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if err := validateUser(u.Username, u.Name, role, scope); err != nil {
		return nil, err
	}
	if err := validateParty(role, party); err != nil {
		return nil, err
	}
	ev := siaga.AuditEvent{At: s.Now().UTC(), Actor: Actor(by), Action: siaga.AuditUserRole, Subject: u.Username, Scope: scope,
		Detail: siaga.AuditDetail(map[string]any{
			"from": map[string]any{"role": u.Role, "scope": u.Scope, "party": u.Party},
			"to":   map[string]any{"role": role, "scope": scope, "party": party},
		})}
	if err := s.Store.SetUserRole(ctx, u.ID, role, scope, party, ev); err != nil {
		return nil, fmt.Errorf("setting the role of %q: %w", username, err)
	}
	u.Role, u.Scope, u.Party = role, scope, party
	return u, nil
}

// SetAgency changes the agency an account works for ("" for the one its
// role implies); only an admin may.
func (s *Service) SetAgency(ctx context.Context, by *siaga.User, username string, agency siaga.Agency) (*siaga.User, error) {
	if err := mayManageAccounts(by); err != nil {
		return nil, err
	}
	if err := validateAgency(agency); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	ev := siaga.AuditEvent{At: s.Now().UTC(), Actor: Actor(by), Action: siaga.AuditUserAgency, Subject: u.Username, Scope: u.Scope,
		Detail: siaga.AuditDetail(map[string]any{"from": u.Agency, "to": agency})}
	if err := s.Store.SetUserAgency(ctx, u.ID, agency, ev); err != nil {
		return nil, fmt.Errorf("setting the agency of %q: %w", username, err)
	}
	u.Agency = agency
	return u, nil
}

// validateAgency takes "" (the role's own) or one of siaga.Agencies.
func validateAgency(a siaga.Agency) error {
	if a != "" && !a.Valid() {
		return siaga.Errorf(siaga.EInvalid, "agency", "Instansi %q tidak dikenal (polri, tni, bawaslu, kejaksaan, bpbd, diskominfo, kpu, pemprov)",
			"unknown agency %q (polri, tni, bawaslu, kejaksaan, bpbd, diskominfo, kpu, pemprov)", a)
	}
	return nil
}

func mayManageAccounts(by *siaga.User) error {
	if by == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if by.Role != siaga.RoleAdmin {
		return siaga.Errorf(siaga.EForbidden, "role", "Hanya admin yang mengelola akun", "only an admin manages accounts")
	}
	return nil
}

// validateParty requires a party of the witness roles and refuses one
// elsewhere. Whether the election has that party is the caller's check
// (siaga.Election.HasParty), since accounts outlive election definitions.
func validateParty(role siaga.Role, party siaga.PartyRef) error {
	switch {
	case role.HasParty() && !party.Valid():
		return siaga.Errorf(siaga.EInvalid, "party",
			"Peran %s wajib menyebut partai (partai:N) atau paslon (paslon:NN)",
			"role %s needs a party (partai:N) or a ticket (paslon:NN)", role)
	case !role.HasParty() && party != "":
		return siaga.Errorf(siaga.EInvalid, "party", "Peran %s tidak mewakili partai", "role %s speaks for no party", role)
	}
	return nil
}

func validateUser(username, name string, role siaga.Role, scope string) error {
	if !validUsername(username) {
		return siaga.Errorf(siaga.EInvalid, "username",
			"Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung",
			"Username must be 3–32 characters: lower-case letters, digits, dot, underscore or hyphen")
	}
	if name == "" || len(name) > 200 {
		return siaga.Errorf(siaga.EInvalid, "name", "Nama wajib diisi (maksimal 200 karakter)",
			"Name is required (at most 200 characters)")
	}
	if !role.Valid() {
		return siaga.Errorf(siaga.EInvalid, "role", "Peran %q tidak dikenal", "Unknown role %q", role)
	}
	if !validScope(scope) {
		return siaga.Errorf(siaga.EInvalid, "scope",
			"Wilayah harus kosong atau kode wilayah 2, 4, 6, 10 atau 13 angka",
			"Scope must be empty or a region code of 2, 4, 6, 10 or 13 digits")
	}
	// A field officer with a wider scope could sign for TPS that are not
	// theirs.
	if role.SubmitSource() != "" && !siaga.IsTPSCode(scope) {
		return siaga.Errorf(siaga.EInvalid, "scope",
			"Peran %s harus dibatasi pada satu TPS (kode 13 angka)",
			"Role %s must be scoped to one TPS (13-digit code)", role)
	}
	return nil
}

func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 32 {
		return false
	}
	for _, c := range []byte(u) {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// validScope accepts the lengths of the region hierarchy: province,
// kab/kota, kecamatan, desa and TPS.
func validScope(scope string) bool { return scope == "" || siaga.IsRegionCode(scope) }
