package scalability_test

import (
	"fmt"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
)

func ExamplePlan() {
	// The default scale.yaml with nothing measured: assumptions only.
	plan, err := scalability.Plan(targets.Default(), scalability.Measurements{})
	if err != nil {
		panic(err)
	}
	for _, name := range []string{"gpu-fleet NVENC", "gpu-fleet host CPUs"} {
		r := plan.Resource(name)
		fmt.Printf("%s: need %.0f+%.0f %s, have %.0f: %s (%s)\n", r.Name, r.Required,
			r.Spare, r.Unit, r.Declared, r.Verdict, r.Source)
	}
	fmt.Printf("storage: %.0f TB/day against %g\n", plan.Storage.TBPerDay,
		plan.Config.Targets.Storage.MaxTBPerDay)
	// Output:
	// gpu-fleet NVENC: need 247+13 NVENC engines, have 0: fail (config)
	// gpu-fleet host CPUs: need 100+5 hosts, have 125: pass (config)
	// storage: 160 TB/day against 50
}
