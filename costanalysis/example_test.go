package costanalysis_test

import (
	"fmt"
	"time"

	"github.com/scaletest/scaletest/costanalysis"
	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
)

func ExampleDeclared() {
	plan, err := scalability.Plan(targets.Default(), scalability.Measurements{})
	if err != nil {
		panic(err)
	}
	opts := costanalysis.Options{Catalog: catalog.Default()[catalog.DefaultName],
		Now: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}
	cost, err := costanalysis.Declared(plan, opts)
	if err != nil {
		panic(err)
	}
	fmt.Printf("declared: %v per video, mostly %s (%v)\n", cost.PerVideo, cost.Dominant(),
		cost.Component(cost.Dominant()))

	opt, err := costanalysis.Optimize(plan, costanalysis.OptimizeOptions{Options: opts})
	if err != nil {
		panic(err)
	}
	for _, c := range opt.Chosen {
		fmt.Printf("buy %d x %s %s\n", c.Count, c.Instance.Name, c.Option)
	}
	fmt.Printf("optimized: %v per video, mostly %s (%v)\n", opt.Cost.PerVideo,
		opt.Cost.Dominant(), opt.Cost.Component(opt.Cost.Dominant()))
	// Output:
	// declared: $0.2409 per video, mostly compute-gpu ($0.1976)
	// buy 65 x g6.xlarge spot
	// buy 66 x g6.xlarge committed
	// optimized: $0.0367 per video, mostly storage ($0.0228)
}
