package month

import (
	"math"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/simulation/des"
)

// arrivals is a non-homogeneous Poisson process with a piecewise-constant
// rate: one segment per hour of the month (hourly shape x weekly shape),
// the first minutes of the busiest hour of the busiest weekday raised by
// the burst factor once a week. Next inverts the cumulative rate: an
// exponential draw of mean 1 is spent across segments until it runs out,
// so an arrival costs O(1) however the rate varies.
type arrivals struct {
	ends  []time.Duration // end of each segment
	rates []float64       // arrivals per second in each segment
	seg   int
	// Expected is the expected number of arrivals over the horizon.
	expected float64
}

// newArrivals builds the rate of cfg's workload over [0, horizon) from
// start (UTC), scaled so that the expected count is videos.
func newArrivals(w targets.Workload, start time.Time, horizon time.Duration,
	videos float64) *arrivals {
	peakHour := argmax(w.HourlyShape)
	peakDay := argmax(w.WeeklyShape)
	burst := time.Duration(w.Burst.Minutes * float64(time.Minute))
	a := &arrivals{}
	var weight float64 // integral of the unscaled rate, seconds
	add := func(end time.Duration, rate float64, from time.Duration) {
		if end <= from {
			return
		}
		a.ends = append(a.ends, end)
		a.rates = append(a.rates, rate)
		weight += rate * (end - from).Seconds()
	}
	for t := time.Duration(0); t < horizon; t += time.Hour {
		wall := start.Add(t).UTC()
		day := (int(wall.Weekday()) + 6) % 7 // Monday first
		r := w.HourlyShape[wall.Hour()] * w.WeeklyShape[day]
		end := min(t+time.Hour, horizon)
		if day == peakDay && wall.Hour() == peakHour && burst > 0 &&
			w.Burst.Factor > 1 {
			add(min(t+burst, end), r*w.Burst.Factor, t)
			add(end, r, min(t+burst, end))
			continue
		}
		add(end, r, t)
	}
	scale := 0.0
	if weight > 0 {
		scale = videos / weight
	}
	for i := range a.rates {
		a.rates[i] *= scale
	}
	a.expected = videos
	return a
}

func argmax(s []float64) int {
	if len(s) == 0 {
		return 0
	}
	return slices.Index(s, slices.Max(s))
}

// next returns the first arrival after now, or false when none comes
// before the horizon.
func (a *arrivals) next(now time.Duration, r *des.Stream) (time.Duration,
	bool) {
	e := r.ExpFloat64()
	t := now
	for a.seg < len(a.ends) {
		end, rate := a.ends[a.seg], a.rates[a.seg]
		if t < end && rate > 0 {
			room := rate * (end - t).Seconds()
			if e < room {
				return t + des.Seconds(e/rate), true
			}
			e -= room
		}
		t = max(t, end)
		a.seg++
	}
	return 0, false
}

// rate returns the arrival rate at t, per second.
func (a *arrivals) rate(t time.Duration) float64 {
	i, _ := slices.BinarySearch(a.ends, t+1)
	if i >= len(a.rates) {
		return 0
	}
	return a.rates[i]
}

// lengths draws video lengths in seconds from workload.video_length.
type lengths struct {
	mu, sigma, max float64
	fixed          bool
}

func newLengths(d targets.LengthDistribution) lengths {
	return lengths{mu: math.Log(d.Median.Seconds()), sigma: d.Sigma,
		max: d.Max.Seconds(), fixed: d.Distribution != "lognormal"}
}

func (l lengths) draw(r *des.Stream) float64 {
	if l.fixed {
		return min(math.Exp(l.mu), l.max)
	}
	return min(r.LogNormal(l.mu, l.sigma), l.max)
}
