package rules

import (
	"testing"

	"github.com/deskpemilu/siaga"
)

func benchForms() []struct {
	name    string
	contest siaga.Contest
	form    siaga.Form
} {
	return []struct {
		name    string
		contest siaga.Contest
		form    siaga.Form
	}{
		{"ppwp", siaga.PPWP, ppwpForm()},
		{"dpr", siaga.DPR, dprForm()},
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, bf := range benchForms() {
		for _, indexed := range []bool{true, false} {
			name := bf.name + "/scan"
			if indexed {
				name = bf.name + "/indexed"
			}
			b.Run(name, func(b *testing.B) {
				c := testContext(b, bf.contest, indexed)
				sub := submission(bf.contest, bf.form)
				b.ReportAllocs()
				for b.Loop() {
					if err := Validate(sub, c); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	for _, bf := range benchForms() {
		b.Run(bf.name, func(b *testing.B) {
			c := testContext(b, bf.contest, true)
			f := bf.form
			b.ReportAllocs()
			for b.Loop() {
				if got := Check(&f, c); got != nil {
					b.Fatal(got)
				}
			}
		})
	}
}
