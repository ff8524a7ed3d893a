package demo

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/node/nodetest"
)

// TestSitrepDemo stores Banten's mornings of 11–14 February 2024, twice
// (a kept demo folder): four reports, each once, newest first.
func TestSitrepDemo(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Open(t, nil)
	for range 2 {
		if err := sitrepDemo(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	page, err := n.Sitrep.Reports(ctx, siaga.SitrepFilter{Region: "36", Before: "2024-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, r := range page.Items {
		dates = append(dates, r.Date)
	}
	if diff := cmp.Diff([]string{"2024-02-14", "2024-02-13", "2024-02-12", "2024-02-11"}, dates); diff != "" {
		t.Errorf("stored mornings (-want +got):\n%s", diff)
	}
}
