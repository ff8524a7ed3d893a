package bench

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestFullRun(t *testing.T) {
	args := strings.Fields(os.Getenv("BENCH_ARGS"))
	if len(args) == 0 {
		t.Skip()
	}
	if err := Run(context.Background(), args[0], args[1:], os.Stdout); err != nil {
		t.Fatal(err)
	}
}
