package auth

import (
	"testing"

	"github.com/deskpemilu/siaga"
)

const (
	tpsA = "3601012001001" // Kab. Pandeglang, Sumur, first desa, TPS 001
	tpsB = "3601012001002"
	tpsC = "3602012001001" // another kab/kota
)

func user(role siaga.Role, scope string) *siaga.User {
	return &siaga.User{ID: 1, Username: string(role), Role: role, Scope: scope}
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

func TestCanCorrect(t *testing.T) {
	tests := []struct {
		name string
		u    *siaga.User
		tps  string
		want bool
	}{
		{"public", nil, tpsA, false},
		{"ppk in scope", user(siaga.RolePPK, "360101"), tpsA, true},
		{"ppk out of scope", user(siaga.RolePPK, "360101"), tpsC, false},
		{"kpu prov", user(siaga.RoleKPUProv, "36"), tpsC, true},
		{"bawaslu reads only", user(siaga.RoleBawaslu, "36"), tpsA, false},
		{"kpps", user(siaga.RoleKPPS, tpsA), tpsA, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanCorrect(tt.u, tt.tps); got != tt.want {
				t.Errorf("CanCorrect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCanSubmit(t *testing.T) {
	sub := func(tps string, src siaga.Source) *siaga.Submission {
		return &siaga.Submission{ID: "x", TPS: tps, Contest: siaga.PPWP, Source: src}
	}
	tests := []struct {
		name string
		u    *siaga.User
		sub  *siaga.Submission
		want bool
	}{
		{"public", nil, sub(tpsA, siaga.SourceKPPS), false},
		{"kpps own", user(siaga.RoleKPPS, tpsA), sub(tpsA, siaga.SourceKPPS), true},
		{"kpps other tps", user(siaga.RoleKPPS, tpsA), sub(tpsB, siaga.SourceKPPS), false},
		{"kpps as saksi", user(siaga.RoleKPPS, tpsA), sub(tpsA, siaga.SourceSaksi), false},
		{"kpps with desa scope", user(siaga.RoleKPPS, "3601012001"), sub(tpsA, siaga.SourceKPPS), false},
		{"saksi own", user(siaga.RoleSaksi, tpsA), sub(tpsA, siaga.SourceSaksi), true},
		{"ptps own", user(siaga.RolePTPS, tpsA), sub(tpsA, siaga.SourcePTPS), true},
		{"ptps sirekap", user(siaga.RolePTPS, tpsA), sub(tpsA, siaga.SourceSirekap), false},
		{"ppk corrects saksi", user(siaga.RolePPK, "360101"), sub(tpsA, siaga.SourceSaksi), true},
		{"ppk out of scope", user(siaga.RolePPK, "360101"), sub(tpsC, siaga.SourceKPPS), false},
		{"kpu prov sirekap", user(siaga.RoleKPUProv, "36"), sub(tpsA, siaga.SourceSirekap), false},
		{"admin sirekap", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourceSirekap), true},
		{"admin kpps", user(siaga.RoleAdmin, ""), sub(tpsA, siaga.SourceKPPS), true},
		{"desk", user(siaga.RoleDesk, "36"), sub(tpsA, siaga.SourceKPPS), false},
		{"unknown source", user(siaga.RoleAdmin, ""), sub(tpsA, "ocr"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanSubmit(tt.u, tt.sub); got != tt.want {
				t.Errorf("CanSubmit = %v, want %v", got, tt.want)
			}
		})
	}
}
