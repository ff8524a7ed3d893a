package auth

import (
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

const (
	tpsA = "3601012001001" // Kab. Pandeglang, Sumur, first desa, TPS 001
	tpsB = "3601012001002"
	tpsC = "3602012001001" // another kab/kota
)

var (
	party1 = siaga.PartyOf(1)
	party2 = siaga.PartyOf(2)
)

func user(role siaga.Role, scope string) *siaga.User {
	return &siaga.User{ID: 1, Username: string(role), Role: role, Scope: scope}
}

func koord(scope string, party siaga.PartyRef) *siaga.User {
	u := user(siaga.RoleSaksiKoord, scope)
	u.Party = party
	return u
}

func TestCanSee(t *testing.T) {
	tests := []struct {
		name string
		u    *siaga.User
		code string
		want bool
	}{
		{"public", nil, "36", false},
		{"province admin", user(siaga.RoleAdmin, ""), tpsC, true},
		{"kab sees own tps", user(siaga.RoleKPUKab, "3601"), tpsA, true},
		{"kab not other kab", user(siaga.RoleKPUKab, "3601"), tpsC, false},
		{"kab not province", user(siaga.RoleKPUKab, "3601"), "36", false},
		{"bawaslu kecamatan", user(siaga.RoleBawaslu, "360101"), "3601012001", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanSee(tt.u, tt.code); got != tt.want {
				t.Errorf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCanEnrol is the source-independence table of enrolment: every
// staff role against every device role, in and out of scope.
func TestCanEnrol(t *testing.T) {
	tests := []struct {
		name      string
		u         *siaga.User
		tps       string
		role      siaga.Role
		party     siaga.PartyRef
		wantCode  string
		wantField string
	}{
		{"nobody", nil, tpsA, siaga.RoleKPPS, "", siaga.EUnauthorized, ""},
		{"ppk kpps", user(siaga.RolePPK, "360101"), tpsA, siaga.RoleKPPS, "", "", ""},
		{"kab kpps", user(siaga.RoleKPUKab, "3601"), tpsA, siaga.RoleKPPS, "", "", ""},
		{"prov kpps", user(siaga.RoleKPUProv, "36"), tpsC, siaga.RoleKPPS, "", "", ""},
		{"ppk out of scope", user(siaga.RolePPK, "360101"), tpsC, siaga.RoleKPPS, "", siaga.EForbidden, "tps"},
		{"ppk saksi", user(siaga.RolePPK, "360101"), tpsA, siaga.RoleSaksi, "", siaga.EForbidden, "role"},
		{"kab saksi", user(siaga.RoleKPUKab, "3601"), tpsA, siaga.RoleSaksi, party1, siaga.EForbidden, "role"},
		{"prov ptps", user(siaga.RoleKPUProv, "36"), tpsA, siaga.RolePTPS, "", siaga.EForbidden, "role"},
		{"bawaslu ptps", user(siaga.RoleBawaslu, "36"), tpsA, siaga.RolePTPS, "", "", ""},
		{"bawaslu kpps", user(siaga.RoleBawaslu, "36"), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"bawaslu out of scope", user(siaga.RoleBawaslu, "3602"), tpsA, siaga.RolePTPS, "", siaga.EForbidden, "tps"},
		{"koord own party", koord("36", party1), tpsA, siaga.RoleSaksi, party1, "", ""},
		{"koord other party", koord("36", party1), tpsA, siaga.RoleSaksi, party2, siaga.EForbidden, "party"},
		{"koord without party", koord("36", ""), tpsA, siaga.RoleSaksi, "", siaga.EForbidden, "party"},
		{"koord kpps", koord("36", party1), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"koord out of scope", koord("3602", party1), tpsA, siaga.RoleSaksi, party1, siaga.EForbidden, "tps"},
		{"admin kpps", user(siaga.RoleAdmin, ""), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"admin saksi", user(siaga.RoleAdmin, ""), tpsA, siaga.RoleSaksi, party1, siaga.EForbidden, "role"},
		{"admin ptps", user(siaga.RoleAdmin, ""), tpsA, siaga.RolePTPS, "", siaga.EForbidden, "role"},
		{"desk", user(siaga.RoleDesk, "36"), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"logistik", user(siaga.RoleLogistik, "36"), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"kpps enrols", user(siaga.RoleKPPS, tpsA), tpsA, siaga.RoleKPPS, "", siaga.EForbidden, "role"},
		{"operator device", user(siaga.RoleKPUProv, "36"), tpsA, siaga.RolePPK, "", siaga.EInvalid, "role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanEnrol(tt.u, tt.tps, tt.role, tt.party)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("CanEnrol = %v, want nil", err)
				}
				return
			}
			wantError(t, err, tt.wantCode, tt.wantField)
		})
	}
}

func TestCanRevokeDevice(t *testing.T) {
	dev := func(role siaga.Role, party siaga.PartyRef) *siaga.Device {
		return &siaga.Device{ID: "d", TPS: tpsA, Role: role, Party: party}
	}
	tests := []struct {
		name string
		u    *siaga.User
		d    *siaga.Device
		want bool
	}{
		{"public", nil, dev(siaga.RoleKPPS, ""), false},
		{"admin any", user(siaga.RoleAdmin, ""), dev(siaga.RoleSaksi, party1), true},
		{"ppk kpps", user(siaga.RolePPK, "360101"), dev(siaga.RoleKPPS, ""), true},
		{"ppk saksi", user(siaga.RolePPK, "360101"), dev(siaga.RoleSaksi, party1), false},
		{"ppk out of scope", user(siaga.RolePPK, "360201"), dev(siaga.RoleKPPS, ""), false},
		{"bawaslu ptps", user(siaga.RoleBawaslu, "36"), dev(siaga.RolePTPS, ""), true},
		{"bawaslu kpps", user(siaga.RoleBawaslu, "36"), dev(siaga.RoleKPPS, ""), false},
		{"koord own", koord("36", party1), dev(siaga.RoleSaksi, party1), true},
		{"koord other party", koord("36", party2), dev(siaga.RoleSaksi, party1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanRevokeDevice(tt.u, tt.d); got != tt.want {
				t.Errorf("CanRevokeDevice = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCanSubmit is the source-independence table of submissions with an
// API token: nobody but the source itself creates or corrects its records.
func TestCanSubmit(t *testing.T) {
	sub := func(tps string, src siaga.Source, replaces int, reason string) *siaga.Submission {
		return &siaga.Submission{ID: "x", TPS: tps, Contest: siaga.PPWP, Source: src, Replaces: replaces, Reason: reason}
	}
	saksiUser := user(siaga.RoleSaksi, tpsA)
	saksiUser.Party = party1
	tests := []struct {
		name      string
		u         *siaga.User
		sub       *siaga.Submission
		replaced  siaga.PartyRef
		wantCode  string
		wantField string
	}{
		{"public", nil, sub(tpsA, siaga.SourceKPPS, 0, ""), "", siaga.EUnauthorized, ""},
		{"kpps own", user(siaga.RoleKPPS, tpsA), sub(tpsA, siaga.SourceKPPS, 0, ""), "", "", ""},
		{"kpps other tps", user(siaga.RoleKPPS, tpsA), sub(tpsB, siaga.SourceKPPS, 0, ""), "", siaga.EForbidden, "tps"},
		{"kpps as saksi", user(siaga.RoleKPPS, tpsA), sub(tpsA, siaga.SourceSaksi, 0, ""), "", siaga.EForbidden, "tps"},
		{"kpps with desa scope", user(siaga.RoleKPPS, "3601012001"), sub(tpsA, siaga.SourceKPPS, 0, ""), "", siaga.EForbidden, "tps"},
		{"saksi own", saksiUser, sub(tpsA, siaga.SourceSaksi, 0, ""), "", "", ""},
		{"saksi corrects own party", saksiUser, sub(tpsA, siaga.SourceSaksi, 1, "salah ketik"), party1, "", ""},
		{"saksi corrects other party", saksiUser, sub(tpsA, siaga.SourceSaksi, 1, "salah ketik"), party2, siaga.EForbidden, "replaces"},
		{"saksi without party", user(siaga.RoleSaksi, tpsA), sub(tpsA, siaga.SourceSaksi, 0, ""), "", siaga.EForbidden, "party"},
		{"ptps own", user(siaga.RolePTPS, tpsA), sub(tpsA, siaga.SourcePTPS, 0, ""), "", "", ""},
		{"ptps sirekap", user(siaga.RolePTPS, tpsA), sub(tpsA, siaga.SourceSirekap, 0, ""), "", siaga.EForbidden, "source"},
		{"ppk corrects kpps", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceKPPS, 1, "salah ketik"), "", "", ""},
		{"ppk enters kpps", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceKPPS, 0, "diantar kurir"), "", "", ""},
		{"ppk without reason", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceKPPS, 1, ""), "", siaga.EInvalid, "reason"},
		{"ppk blank reason", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceKPPS, 1, " \t\n"), "", siaga.EInvalid, "reason"},
		{"ppk corrects saksi", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceSaksi, 1, "x"), party1, siaga.EForbidden, "tps"},
		{"ppk corrects ptps", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourcePTPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"ppk out of scope", user(siaga.RolePPK, "360101"), sub(tpsC, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"kpu prov sirekap", user(siaga.RoleKPUProv, "36"), sub(tpsA, siaga.SourceSirekap, 0, "x"), "", siaga.EForbidden, "source"},
		{"bawaslu corrects ptps", user(siaga.RoleBawaslu, "36"), sub(tpsA, siaga.SourcePTPS, 1, "x"), "", "", ""},
		{"bawaslu corrects kpps", user(siaga.RoleBawaslu, "36"), sub(tpsA, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"bawaslu out of scope", user(siaga.RoleBawaslu, "3602"), sub(tpsA, siaga.SourcePTPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"koord corrects own party", koord("36", party1), sub(tpsA, siaga.SourceSaksi, 1, "x"), party1, "", ""},
		{"koord enters for own party", koord("36", party1), sub(tpsA, siaga.SourceSaksi, 0, "foto dari saksi"), "", "", ""},
		{"koord corrects other party", koord("36", party1), sub(tpsA, siaga.SourceSaksi, 1, "x"), party2, siaga.EForbidden, "replaces"},
		{"koord corrects unknown author", koord("36", party1), sub(tpsA, siaga.SourceSaksi, 1, "x"), "", siaga.EForbidden, "replaces"},
		{"koord without reason", koord("36", party1), sub(tpsA, siaga.SourceSaksi, 1, ""), party1, siaga.EInvalid, "reason"},
		{"koord kpps", koord("36", party1), sub(tpsA, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"koord out of scope", koord("3602", party1), sub(tpsA, siaga.SourceSaksi, 1, "x"), party1, siaga.EForbidden, "tps"},
		{"admin sirekap", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourceSirekap, 0, "x"), "", siaga.EForbidden, "source"},
		{"admin kpps", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"admin saksi", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourceSaksi, 1, "x"), "", siaga.EForbidden, "tps"},
		{"admin ptps", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourcePTPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"desk", user(siaga.RoleDesk, "36"), sub(tpsA, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"logistik", user(siaga.RoleLogistik, "36"), sub(tpsA, siaga.SourceKPPS, 1, "x"), "", siaga.EForbidden, "tps"},
		{"unknown source", user(siaga.RoleKPUProv, ""), sub(tpsA, "ocr", 0, "x"), "", siaga.EInvalid, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanSubmit(tt.u, tt.sub, tt.replaced)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("CanSubmit = %v, want nil", err)
				}
				return
			}
			wantError(t, err, tt.wantCode, tt.wantField)
		})
	}
}

// TestCanDeviceSubmit: an authenticated device (by signature or SMS code)
// sends only its own forms, of its own TPS and its role's source, until
// it is revoked.
func TestCanDeviceSubmit(t *testing.T) {
	dev := func(role siaga.Role, revoked bool) *siaga.Device {
		d := &siaga.Device{ID: "hp-1", TPS: tpsA, Role: role}
		if revoked {
			d.RevokedAt = time.Date(2024, 2, 14, 20, 0, 0, 0, time.UTC)
		}
		return d
	}
	sub := func(device, tps string, src siaga.Source) *siaga.Submission {
		return &siaga.Submission{ID: "x", Device: device, TPS: tps, Contest: siaga.PPWP, Source: src}
	}
	tests := []struct {
		name             string
		d                *siaga.Device
		sub              *siaga.Submission
		wantCode, wantOn string
	}{
		{"kpps own", dev(siaga.RoleKPPS, false), sub("hp-1", tpsA, siaga.SourceKPPS), "", ""},
		{"saksi own", dev(siaga.RoleSaksi, false), sub("hp-1", tpsA, siaga.SourceSaksi), "", ""},
		{"no device", nil, sub("hp-1", tpsA, siaga.SourceKPPS), siaga.EUnauthorized, "device"},
		{"another device's form", dev(siaga.RoleKPPS, false), sub("hp-2", tpsA, siaga.SourceKPPS), siaga.EUnauthorized, "device"},
		{"revoked", dev(siaga.RoleKPPS, true), sub("hp-1", tpsA, siaga.SourceKPPS), siaga.EUnauthorized, "device"},
		{"another TPS", dev(siaga.RoleKPPS, false), sub("hp-1", tpsB, siaga.SourceKPPS), siaga.EForbidden, "tps"},
		{"another source", dev(siaga.RoleKPPS, false), sub("hp-1", tpsA, siaga.SourcePTPS), siaga.EForbidden, "source"},
		{"sirekap", dev(siaga.RolePTPS, false), sub("hp-1", tpsA, siaga.SourceSirekap), siaga.EForbidden, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanDeviceSubmit(tt.d, tt.sub)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("CanDeviceSubmit = %v, want nil", err)
				}
				return
			}
			wantError(t, err, tt.wantCode, tt.wantOn)
		})
	}
}

func TestCanReadAudit(t *testing.T) {
	tests := []struct {
		name  string
		u     *siaga.User
		scope string
		want  bool
	}{
		{"public", nil, "36", false},
		{"admin", user(siaga.RoleAdmin, ""), "", true},
		{"bawaslu own", user(siaga.RoleBawaslu, "3601"), "360101", true},
		{"bawaslu other", user(siaga.RoleBawaslu, "3601"), "3602", false},
		{"bawaslu national", user(siaga.RoleBawaslu, "3601"), "", false},
		{"kpu prov", user(siaga.RoleKPUProv, "36"), "3601", false},
		{"koord", koord("36", party1), "3601", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanReadAudit(tt.u, tt.scope); got != tt.want {
				t.Errorf("CanReadAudit = %v, want %v", got, tt.want)
			}
		})
	}
}
