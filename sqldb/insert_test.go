package sqldb

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChunks(t *testing.T) {
	tests := []struct {
		n, size int
		want    []int
	}{
		{1, 512, []int{1}},
		{500, 512, []int{256, 128, 64, 32, 16, 4}},
		{1030, 512, []int{512, 512, 4, 2}},
		{7, 4, []int{4, 2, 1}},
	}
	for _, tt := range tests {
		var got []int
		for left := tt.n; left > 0; {
			k := chunk(left, tt.size)
			got = append(got, k)
			left -= k
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("chunks of %d by %d (-want +got):\n%s", tt.n, tt.size, diff)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		numbered bool
		want     string
	}{
		{false, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"},
		{true, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"},
	}
	for _, tt := range tests {
		db := &DB{dialect: Dialect{Numbered: tt.numbered}}
		if got := db.q(insertSQL("t", []string{"a", "b"}, 2)); got != tt.want {
			t.Errorf("numbered=%v: got %q, want %q", tt.numbered, got, tt.want)
		}
	}
}
