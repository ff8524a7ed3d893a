package siaga

import "testing"

func TestCodes(t *testing.T) {
	tests := []struct {
		code        string
		region, tps bool
	}{
		{"36", true, false},
		{"3601", true, false},
		{"360101", true, false},
		{"3601012001", true, false},
		{"3601012001001", true, true},
		{"", false, false},
		{"360", false, false},
		{"36010120010", false, false},
		{"360101200100a", false, false},
		{"3601012001-01", false, false},
		{"36.01", false, false},
		{"٣٦", false, false}, // Arabic-Indic digits are not ASCII digits
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := IsRegionCode(tt.code); got != tt.region {
				t.Errorf("IsRegionCode(%q) = %v, want %v", tt.code, got, tt.region)
			}
			if got := IsTPSCode(tt.code); got != tt.tps {
				t.Errorf("IsTPSCode(%q) = %v, want %v", tt.code, got, tt.tps)
			}
		})
	}
}
