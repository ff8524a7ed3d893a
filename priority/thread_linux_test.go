package priority

import (
	"context"
	"testing"
)

// TestPoolRunsLowered checks the point of the pool: its threads are
// lowered, the caller's is not.
func TestPoolRunsLowered(t *testing.T) {
	nice := func() int {
		n, err := ThreadNice()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	base := nice()
	var inside int
	if err := NewPool(1).Run(context.Background(), func() { inside = nice() }); err != nil {
		t.Fatal(err)
	}
	want := min(base+Steps, 19)
	if inside != want {
		t.Errorf("a worker runs at nice %d, want %d (the caller's %d + %d)", inside, want, base, Steps)
	}
}
