package fieldapp_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
)

// TestAdminFieldsInJS: the field app checks the rules offline, so it
// carries its own copy of the administrative fields; it must be
// siaga.AdminFields, in the same order.
func TestAdminFieldsInJS(t *testing.T) {
	src, err := os.ReadFile("static/rules.js")
	if err != nil {
		t.Fatal(err)
	}
	list := regexp.MustCompile(`(?s)export const ADMIN_FIELDS = \[(.*?)\];`).FindSubmatch(src)
	if list == nil {
		t.Fatal("no ADMIN_FIELDS in rules.js")
	}
	var got []string
	for _, m := range regexp.MustCompile(`"([a-z_]+)"`).FindAllSubmatch(list[1], -1) {
		got = append(got, string(m[1]))
	}
	if diff := cmp.Diff(siaga.AdminFields, got); diff != "" {
		t.Errorf("rules.js ADMIN_FIELDS differ from siaga.AdminFields (-Go +JS):\n%s", diff)
	}
}
