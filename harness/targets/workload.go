package targets

import (
	"fmt"
	"time"
)

// Workload describes the videos and when they arrive.
type Workload struct {
	VideoLength LengthDistribution `yaml:"video_length"`
	// SourceMbps is the bitrate of an uploaded source recording, in
	// megabits per second (10^6 bit/s).
	SourceMbps float64 `yaml:"source_mbps"`
	// RetentionDays is how long sources and renditions are kept.
	RetentionDays float64 `yaml:"retention_days"`
	// HourlyShape holds 24 weights, one per hour of the day (UTC), for the
	// share of a day's arrivals in that hour; their mean is 1.
	HourlyShape []float64 `yaml:"hourly_shape"`
	// WeeklyShape holds 7 weights, Monday first; their mean is 1.
	WeeklyShape []float64 `yaml:"weekly_shape"`
	Burst       Burst     `yaml:"burst"`
}

// LengthDistribution is the distribution of video durations.
type LengthDistribution struct {
	// Distribution is "lognormal" (median, sigma) or "fixed" (median).
	Distribution string        `yaml:"distribution"`
	Median       time.Duration `yaml:"median"`
	Sigma        float64       `yaml:"sigma"`
	// Max caps a video's length; longer draws are clamped to it.
	Max time.Duration `yaml:"max"`
}

// Burst is a short surge on top of the busiest hour, such as a launch.
type Burst struct {
	// Factor multiplies the peak-hour rate during the burst (1 = none).
	Factor  float64 `yaml:"factor"`
	Minutes float64 `yaml:"minutes"`
}

// shapeTolerance is how far a shape's mean may stray from 1.
const shapeTolerance = 0.02

func (w *Workload) validate(p *problems) {
	d := w.VideoLength
	p.oneOf("workload.video_length.distribution", d.Distribution, "lognormal", "fixed")
	if d.Median <= 0 {
		p.add("workload.video_length.median", "must be a positive duration, got %v", d.Median)
	}
	if d.Distribution == "lognormal" {
		p.positive("workload.video_length.sigma", d.Sigma)
	}
	if d.Max < d.Median {
		p.add("workload.video_length.max", "must be at least median (%v), got %v",
			d.Median, d.Max)
	}
	p.positive("workload.source_mbps", w.SourceMbps)
	p.positive("workload.retention_days", w.RetentionDays)
	checkShape(p, "workload.hourly_shape", w.HourlyShape, 24)
	checkShape(p, "workload.weekly_shape", w.WeeklyShape, 7)
	if w.Burst.Factor < 1 {
		p.add("workload.burst.factor", "must be at least 1, got %v", w.Burst.Factor)
	}
	p.nonNegative("workload.burst.minutes", w.Burst.Minutes)
	if w.Burst.Minutes > 60 {
		p.add("workload.burst.minutes", "must be at most 60, got %v", w.Burst.Minutes)
	}
}

func checkShape(p *problems, path string, s []float64, n int) {
	if len(s) != n {
		p.add(path, "must hold %d weights, got %d", n, len(s))
		return
	}
	sum := 0.0
	for i, v := range s {
		p.nonNegative(fmt.Sprintf("%s[%d]", path, i), v)
		sum += v
	}
	if mean := sum / float64(n); mean < 1-shapeTolerance || mean > 1+shapeTolerance {
		p.add(path, "weights must average 1 (within %v), got mean %.3f",
			shapeTolerance, mean)
	}
}
