package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

const gateUsage = `usage: scaletest gate [flags]

Compares benchmark results with the stored baselines (testdata/baselines)
and fails on a statistically significant regression.

Flags:
`

func cmdGate(_ context.Context, args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("config", "", "scale.yaml `file`")
	fs.Usage = func() {
		fmt.Fprint(stderr, gateUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	// TODO: call harness/benchgate once it is committed.
	fmt.Fprintln(stderr, "scaletest gate: the regression gate needs harness/benchgate, "+
		"which is not in this tree yet")
	return exitBroken
}
