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

func TestInsertQuery(t *testing.T) {
	tests := []struct {
		numbered bool
		rows     int
		want     string
	}{
		{false, 2, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"},
		{false, 1, "INSERT INTO t (a, b) VALUES (?, ?)"},
		{true, 2, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"},
		{true, 1, "INSERT INTO t (a, b) VALUES ($1, $2)"},
	}
	dbs := map[bool]*DB{false: {}, true: {dialect: Dialect{Numbered: true}}}
	for _, tt := range tests {
		db := dbs[tt.numbered] // one DB per dialect: its cache must tell the sizes apart
		for range 2 {
			if got := db.insert("t", []string{"a", "b"}, tt.rows).query; got != tt.want {
				t.Errorf("numbered=%v rows=%d: got %q, want %q", tt.numbered, tt.rows, got, tt.want)
			}
		}
	}
}

// The writer asks for the same few INSERTs on every batch; building their
// text each time was a third of its allocations.
func TestInsertQueryAllocatesOnce(t *testing.T) {
	db := &DB{dialect: Dialect{Numbered: true}}
	cols := []string{"a", "b", "c"}
	db.insert("t", cols, 64)
	if n := testing.AllocsPerRun(100, func() { db.insert("t", cols, 64) }); n != 0 {
		t.Errorf("insert of a size asked before allocates %v times, want 0", n)
	}
}
