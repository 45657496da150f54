package load_test

import (
	"context"
	"fmt"
	"time"

	"github.com/scaletest/scaletest/harness/load"
)

func ExampleParseThresholds() {
	ths, err := load.ParseThresholds("p99<50ms", "errors < 0.1%", "rate >= 95%")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ths)

	_, err = load.ParseThreshold("p99 < 50xs")
	fmt.Println(err)
	// Output:
	// [p99 < 50ms errors < 0.1% rate >= 95%]
	// threshold "p99 < 50xs": bad duration "50xs" (want one like 50ms)
}

func ExampleRamp() {
	r := load.Ramp{From: 0, To: 100, For: 10 * time.Second}
	for _, i := range []int64{0, 1, 50, 499} {
		at, _ := r.Start(i)
		fmt.Printf("op %d due at %v\n", i, at.Round(time.Millisecond))
	}
	fmt.Println(r.Count(), "operations")
	// Output:
	// op 0 due at 0s
	// op 1 due at 447ms
	// op 50 due at 3.162s
	// op 499 due at 9.99s
	// 500 operations
}

func ExampleRun() {
	op := func(ctx context.Context, worker int, i int64) error {
		return nil // one request to the system under test
	}
	// MaxLate 1: judge late starts by a threshold instead of failing.
	res, err := load.Run(context.Background(),
		load.Constant{PerSecond: 100, For: 200 * time.Millisecond}, op,
		load.Options{MaxLate: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	outs, pass := load.Check(res, load.MustParseThresholds("errors < 0.1%"))
	fmt.Println(res.Completed, "completed;", outs[0], "; all pass:", pass)
	// Output:
	// 20 completed; errors < 0.1%: 0% pass ; all pass: true
}
