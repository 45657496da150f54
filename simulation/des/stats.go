package des

import (
	"math"
	"time"
)

// TimeWeighted is the time average of a piecewise-constant signal, such
// as a queue length or the number of busy servers. The zero value starts
// at time zero with value zero.
type TimeWeighted struct {
	start, last time.Duration
	v           float64
	area        float64 // value x seconds
	max         float64
}

// NewTimeWeighted returns a signal that starts at time start with value v.
func NewTimeWeighted(start time.Duration, v float64) TimeWeighted {
	return TimeWeighted{start: start, last: start, v: v, max: v}
}

// Set changes the value at time now; now must not go backwards.
func (w *TimeWeighted) Set(now time.Duration, v float64) {
	w.area += w.v * sec(now-w.last)
	w.last, w.v = now, v
	if v > w.max {
		w.max = v
	}
}

// Add changes the value by d at time now.
func (w *TimeWeighted) Add(now time.Duration, d float64) { w.Set(now, w.v+d) }

// Value returns the current value.
func (w *TimeWeighted) Value() float64 { return w.v }

// Max returns the highest value seen.
func (w *TimeWeighted) Max() float64 { return w.max }

// Integral returns the area under the signal from its start to now, in
// value-seconds.
func (w *TimeWeighted) Integral(now time.Duration) float64 {
	return w.area + w.v*sec(now-w.last)
}

// Mean returns the time average from the start to now; NaN for an empty
// interval.
func (w *TimeWeighted) Mean(now time.Duration) float64 {
	span := (now - w.start).Seconds()
	if span <= 0 {
		return math.NaN()
	}
	return w.Integral(now) / span
}

// sec converts d to seconds with one multiplication; exact to the
// nanosecond for spans up to 104 days (2^53 ns), unlike the two integer
// divisions of time.Duration.Seconds, which this hot path cannot afford.
func sec(d time.Duration) float64 { return float64(d) * 1e-9 }
