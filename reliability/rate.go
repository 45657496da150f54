package reliability

import (
	"fmt"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
)

// Load is the rate and length of an experiment's load.
type Load struct {
	// JobsPerSecond is the submission rate.
	JobsPerSecond float64
	// Duration is how long jobs are submitted.
	Duration time.Duration
	// Note says where the figures came from.
	Note string
}

// PeakLoad returns the load of the reliability tests at scale sc: the
// platform's peak-hour rate, over the scale's duration.
//
// The rate is the whole platform's, not the scale's RateFraction of it.
// Every video of the platform passes through this one coordination path
// (one PostgreSQL, one Redis stream), so it must take the full peak rate:
// 7.3 jobs/s with the default scale.yaml. RateFraction sizes per-machine
// work such as encoding; applied here it would give 0.0037 jobs/s at the
// short scale, not one job in a 5 s run.
func PeakLoad(cfg *targets.Config, sc targets.Scale) Load {
	d := cfg.Derive()
	s := cfg.Scales.For(sc)
	return Load{
		JobsPerSecond: d.PeakVideosPerSecond,
		Duration:      s.Duration,
		Note: fmt.Sprintf("peak-hour rate of the platform, %.2f videos/s "+
			"(%.0f videos/day x peak factor %.2f), for the %s scale's %v",
			d.PeakVideosPerSecond, d.VideosPerDay, d.PeakFactor, sc,
			s.Duration),
	}
}
