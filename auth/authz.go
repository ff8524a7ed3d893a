package auth

import (
	"strings"

	"github.com/deskpemilu/siaga"
)

// CanSee reports whether u may read the data of code (a region or TPS).
// A nil u is the public, which sees only what is published; that is the
// caller's decision, not this one.
func CanSee(u *siaga.User, code string) bool {
	return u != nil && siaga.InScope(u.Scope, code)
}

// CanEnrol says whether u may enrol, and so revoke, a device of role for
// tps that witnesses for party. The sources stay independent (SPEC
// section 2): KPU's operators enrol only KPPS phones, Bawaslu only its
// supervisors', a witness coordinator only its own party's witnesses, and
// admin none, since it manages accounts, not results. The error says why
// not.
func CanEnrol(u *siaga.User, tps string, role siaga.Role, party siaga.PartyRef) error {
	if u == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if role.SubmitSource() == "" {
		return siaga.Errorf(siaga.EInvalid, "role",
			"Perangkat hanya untuk peran kpps, saksi atau ptps", "Devices are only for roles kpps, saksi or ptps")
	}
	if u.Role.Oversees() != role {
		return siaga.Errorf(siaga.EForbidden, "role",
			"Peran %s tidak boleh mendaftarkan perangkat %s", "Role %s may not enrol %s devices", u.Role, role)
	}
	if role.HasParty() && (u.Party == "" || party != u.Party) {
		return siaga.Errorf(siaga.EForbidden, "party",
			"Koordinator saksi hanya mengurus saksi partainya sendiri", "A witness coordinator handles only its own party's witnesses")
	}
	if !siaga.InScope(u.Scope, tps) {
		return siaga.Errorf(siaga.EForbidden, "tps",
			"TPS %s di luar wilayah Anda", "TPS %s is outside your region", tps)
	}
	return nil
}

// CanRevokeDevice reports whether u may revoke d: whoever may enrol such a
// device there, and admin, which looks after every account and device.
func CanRevokeDevice(u *siaga.User, d *siaga.Device) bool {
	if u == nil || d == nil {
		return false
	}
	return u.Role == siaga.RoleAdmin || CanEnrol(u, d.TPS, d.Role, d.Party) == nil
}

// CanReadAudit reports whether u may read and export the audit log of
// region scope: Bawaslu, which oversees the election, and admin.
func CanReadAudit(u *siaga.User, scope string) bool {
	return u != nil && (u.Role == siaga.RoleBawaslu || u.Role == siaga.RoleAdmin) && siaga.InScope(u.Scope, scope)
}

// CanSubmit says whether u may send sub as a logged-in user (API token),
// not as a signed device. Nobody but the source itself creates or corrects
// its records: a field account its own TPS's forms; KPU's recap operators
// KPPS forms, Bawaslu PTPS forms and a witness coordinator its own
// party's witness forms, in scope and always with a reason. Sirekap
// records come only from `siaga import sirekap`, and admin submits
// nothing. replaced is the party of whoever wrote the version sub
// replaces ("" when sub replaces none, or its author speaks for no
// party): a witness's record is its party's alone. The error says why not.
func CanSubmit(u *siaga.User, sub *siaga.Submission, replaced siaga.PartyRef) error {
	if u == nil {
		return errUnauthorized("", "Harus masuk terlebih dahulu", "Login required")
	}
	if sub == nil || !sub.Source.Valid() {
		return siaga.Errorf(siaga.EInvalid, "source", "Sumber tidak dikenal", "unknown source")
	}
	if sub.Source == siaga.SourceSirekap {
		return siaga.Errorf(siaga.EForbidden, "source",
			"Data Sirekap hanya masuk lewat impor (siaga import sirekap)",
			"Sirekap records come only from the import (siaga import sirekap)")
	}
	field := u.Role
	if src := u.Role.SubmitSource(); src != "" {
		if u.Scope != sub.TPS || sub.Source != src {
			return errNotYours(u, sub)
		}
	} else {
		field = u.Role.Oversees()
		if field == "" || field.SubmitSource() != sub.Source || !siaga.InScope(u.Scope, sub.TPS) {
			return errNotYours(u, sub)
		}
		if strings.TrimSpace(sub.Reason) == "" {
			return siaga.Errorf(siaga.EInvalid, "reason",
				"Formulir yang dimasukkan operator wajib menyertakan alasan",
				"a form entered by an operator needs a reason")
		}
	}
	if field.HasParty() && sub.Replaces > 0 && replaced != u.Party {
		return siaga.Errorf(siaga.EForbidden, "replaces",
			"Versi %d dibuat oleh saksi pihak lain; hanya pihak itu yang boleh mengoreksinya",
			"version %d was written by another party's witness; only that party may correct it", sub.Replaces)
	}
	if field.HasParty() && u.Party == "" {
		return siaga.Errorf(siaga.EForbidden, "party",
			"Akun saksi tanpa partai tidak boleh mengirim formulir", "a witness account without a party may not send forms")
	}
	return nil
}

// CanDeviceSubmit says whether d, an authenticated device (by its
// signature, or by its SMS code), may send sub: a device that is not
// revoked sends its own forms, of its own TPS and its role's source. The
// error says why not.
func CanDeviceSubmit(d *siaga.Device, sub *siaga.Submission) error {
	switch {
	case d == nil || sub.Device != d.ID:
		return errUnauthorized("device", "Kiriman harus dari perangkat terdaftar", "a submission must come from an enrolled device")
	case !d.RevokedAt.IsZero():
		return errUnauthorized("device", "Perangkat ini sudah dicabut", "This device has been revoked")
	case sub.TPS != d.TPS:
		return siaga.Errorf(siaga.EForbidden, "tps",
			"Perangkat ini terdaftar untuk TPS %s, bukan %s",
			"This device is enrolled for TPS %s, not %s", d.TPS, sub.TPS)
	}
	if want := d.Role.SubmitSource(); sub.Source != want {
		return siaga.Errorf(siaga.EForbidden, "source",
			"Perangkat %s hanya boleh mengirim formulir sumber %s, bukan %q",
			"A %s device may only send forms of source %s, not %q", d.Role, want, sub.Source)
	}
	return nil
}

func errNotYours(u *siaga.User, sub *siaga.Submission) error {
	return siaga.Errorf(siaga.EForbidden, "tps", "Akun %s (%s) tidak berwenang mengirim formulir %s untuk TPS %s",
		"account %s (%s) may not send %s forms for TPS %s", u.Username, u.Role, sub.Source, sub.TPS)
}
