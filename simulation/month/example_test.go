package month_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/simulation/des"
	"github.com/scaletest/scaletest/simulation/month"
)

// A week of the default workload at a thousandth of its volume on one
// hand-made pool: 50 nodes of 8 slots, half a second of work per media
// second. The YouTube quota of scale.yaml decides how many videos are
// published.
func ExampleRun() {
	cfg := targets.Default()
	plan := month.Plan{
		Pools: []month.PoolSpec{{Name: "encoders", Unit: "nodes",
			Units: 50_000, SlotsPerUnit: 8, Hourly: 1.5}},
		Routes: []month.Route{{Share: 1, Stages: []month.Stage{
			{Name: "encode", Pool: 0, SecondsPerMediaSecond: 0.5}}}},
		UploadBytesPerMediaSecond: 3e5,
		Source:                    record.Config,
	}
	p := month.DefaultParams()
	p.Fraction = 0.001
	p.Days = 7
	r, err := month.Run(context.Background(), cfg, plan, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("processed %d of %d videos, published %d\n",
		r.Videos.Processed, r.Videos.Arrived, r.Videos.Published)
	fmt.Printf("processing p99 under an hour: %v\n",
		r.Processing.P99 < time.Hour)
	fmt.Printf("publish p99 within %v: %v\n", r.TargetP99,
		r.Publish.P99 <= r.TargetP99)
	// Output:
	// processed 2382 of 2382 videos, published 8
	// processing p99 under an hour: true
	// publish p99 within 4h0m0s: false
}

// ProgressBar draws a run's progress on a terminal; here on standard
// output, at the end of a short run.
func ExampleProgressBar() {
	cfg := targets.Default()
	plan := month.Plan{
		Pools: []month.PoolSpec{{Name: "encoders", Unit: "nodes",
			Units: 1000, SlotsPerUnit: 8}},
		Routes: []month.Route{{Share: 1, Stages: []month.Stage{
			{Name: "encode", Pool: 0, SecondsPerMediaSecond: 0.5}}}},
		Source: record.Config,
	}
	p := month.DefaultParams()
	p.Fraction, p.Days = 0.0001, 1
	bar := month.ProgressBar(os.Stdout, 20)
	p.Progress = func(pr des.Progress) {
		if pr.Fraction == 1 {
			pr.Wall = 0 // keep the output stable
			bar(pr)
		}
	}
	if _, err := month.Run(context.Background(), cfg, plan, p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// [####################] 100.0%  day 2.0  0.0M events  0s
}
