package dbload

import (
	"time"

	"github.com/scaletest/scaletest/harness/targets"
)

// Plan is how hard and how long the tests drive each store at a scale.
type Plan struct {
	Scale targets.Scale
	// PeakVideosPerSecond is the platform's arrival rate in its busiest
	// hour (targets.Derived).
	PeakVideosPerSecond float64
	// Headroom multiplies the peak for the steady run: a database tier
	// that just holds its peak has no room for a burst or a failover.
	Headroom float64
	// Duration is the length of the steady run: the scale's Duration.
	Duration time.Duration
	// KneeStep is how long the knee search holds each rate.
	KneeStep time.Duration
	// SweepStep is how long the concurrency sweep holds each level, and
	// SweepLevels the levels (at least 6, for a USL fit).
	SweepStep   time.Duration
	SweepLevels []int
	// PoolSize is the connections each store's client may open; the
	// sweep never goes past it.
	PoolSize int
}

// DefaultHeadroom is the multiple of the peak the steady run drives.
const DefaultHeadroom = 2.0

// PlanFor sizes the tests of scale sc under cfg.
//
// The steady run drives the whole platform's peak times the headroom at
// every scale; only the durations change. The scale's rate_fraction is
// deliberately not applied: the database tier's peak is a few hundred
// operations per second (about 20 per video on PostgreSQL, 36 on Redis,
// at about 7 videos per second), which one machine drives with ease,
// whereas rate_fraction at the short scale (0.0005) would leave well
// under one operation per second, a run that tests nothing.
func PlanFor(cfg *targets.Config, sc targets.Scale) Plan {
	set := cfg.Scales.For(sc)
	p := Plan{
		Scale:               sc,
		PeakVideosPerSecond: cfg.Derive().PeakVideosPerSecond,
		Headroom:            DefaultHeadroom,
		Duration:            set.Duration,
		KneeStep:            max(2*time.Second, set.Duration/5),
		SweepStep:           max(500*time.Millisecond, set.Duration/10),
		SweepLevels:         []int{1, 2, 4, 8, 16, 32},
		PoolSize:            32,
	}
	if sc == targets.ScaleFull {
		p.SweepLevels = append(p.SweepLevels, 64)
		p.PoolSize = 64
	}
	return p
}

// SteadyVideosPerSecond is the video rate of the steady run.
func (p Plan) SteadyVideosPerSecond() float64 {
	return p.PeakVideosPerSecond * p.Headroom
}
