package main

import (
	"context"
	"errors"

	"github.com/deskpemilu/siaga/bench"
)

func runBench(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		return errors.New("usage: siaga bench ingest|night|read|field|restart|search [flags]")
	}
	switch args[0] { // the children the benchmarks start
	case bench.ReferenceServer:
		return bench.ServeReference(ctx, args[1:], e.stdout)
	case bench.ReadersChild:
		return bench.RunReaders(ctx, args[1:], e.stdout)
	}
	return bench.Run(ctx, args[0], args[1:], e.stdout)
}
