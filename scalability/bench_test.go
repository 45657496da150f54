package scalability

import (
	"testing"

	"github.com/scaletest/scaletest/harness/targets"
)

// BenchmarkPlan plans the default scale.yaml: 168 hours and a burst for
// every resource and every alternative.
func BenchmarkPlan(b *testing.B) {
	cfg := targets.Default()
	for b.Loop() {
		if _, err := Plan(cfg, Measurements{}); err != nil {
			b.Fatal(err)
		}
	}
}
