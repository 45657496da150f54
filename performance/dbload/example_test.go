package dbload_test

import (
	"fmt"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/dbload"
)

// The rate each PostgreSQL operation must hold at the platform's peak,
// from scale.yaml's defaults.
func ExampleMix_Rates() {
	cfg := targets.Default()
	mix, err := dbload.DefaultMix()
	if err != nil {
		fmt.Println(err)
		return
	}
	peak := cfg.Derive().PeakVideosPerSecond
	fmt.Printf("peak %.2f videos/s, %.2f PostgreSQL operations per video\n", peak,
		mix.OpsPerVideo(cfg, dbload.Postgres))
	for _, r := range mix.Rates(cfg, dbload.Postgres, peak) {
		fmt.Printf("%-16s %6.2f/s\n", r.Op.Name, r.PerSecond)
	}
	// Output:
	// peak 7.31 videos/s, 21.02 PostgreSQL operations per video
	// create_video       7.31/s
	// claim_job         21.94/s
	// complete_job      21.94/s
	// record_rendition  21.94/s
	// record_upload      7.31/s
	// dashboard         73.15/s
	// analytics          0.15/s
}
