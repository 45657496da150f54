package costanalysis

import (
	"testing"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
)

// BenchmarkOptimize optimizes the default scale.yaml's workload over the
// embedded AWS catalog, re-planning included.
func BenchmarkOptimize(b *testing.B) {
	p, err := scalability.Plan(targets.Default(), scalability.Measurements{})
	if err != nil {
		b.Fatal(err)
	}
	o := OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay}}
	for b.Loop() {
		if _, err := Optimize(p, o); err != nil {
			b.Fatal(err)
		}
	}
}
