package bench

import "testing"

// TestGeoPlanning runs `siaga bench geo` on fewer candidate sites: the
// report has SPEC section 10's fields, plans for Banten's 452 blank-spot
// TPS, and its numbers hold together.
func TestGeoPlanning(t *testing.T) {
	got := runJSON(t, "geo", "-n", "800")
	wantFields(t, got, "go_version", "cpus", "date", "hazard_s", "hazard_national_s",
		"planning_s", "planning_covered", "planning_upper_bound", "planning_plain_s", "planning_plain_ratio")
	num := func(f string) float64 { v, _ := got[f].(float64); return v }
	switch {
	case num("planning_tps") != 452 || num("planning_sites") != 800:
		t.Errorf("planned for %v TPS and %v sites, want 452 and 800", got["planning_tps"], got["planning_sites"])
	case num("planning_s") <= 0 || num("planning_covered") <= 0 || num("planning_chosen") > num("planning_k"):
		t.Errorf("no plan measured: %v", got)
	case num("planning_covered") > num("planning_upper_bound") || num("planning_upper_bound") > 452:
		t.Errorf("covered %v, bound %v: the bound must lie between the plan and every TPS", got["planning_covered"], got["planning_upper_bound"])
	case num("planning_budget_covered") > num("planning_budget_upper_bound") || num("planning_budget_sites") == 0:
		t.Errorf("budgeted plan: %v", got)
	case got["planning_same_picks"] != true:
		t.Errorf("the lazy and the plain greedy picked differently: %v", got)
	}
}
