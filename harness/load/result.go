package load

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Result is what a run measured. Counts are operations.
type Result struct {
	// Target is the intended rate, operations per second: Scheduled over
	// Duration (for a paced closed loop, workers over the interval; 0 for
	// an unpaced one).
	Target float64
	// Duration is the length of the schedule; Elapsed is the time from
	// the start of the run until its last operation finished.
	Duration, Elapsed time.Duration
	// Scheduled is the number of operations the schedule held.
	Scheduled int64
	// Completed is the number that ran to the end, with or without error.
	Completed int64
	// Errors is the number of completed operations that returned an
	// error; ErrorClasses counts them by class.
	Errors       int64
	ErrorClasses map[string]int64
	// Late is the number of operations that started more than
	// Options.LateAfter after their due time.
	Late int64
	// Dropped is the number never started because the run stopped early
	// (cancelled, or behind schedule by more than Options.MaxBehind).
	Dropped int64
	// Workers is the number of workers that ran operations.
	Workers int
	// Latency is measured from each operation's due time to its end;
	// Service from its actual start to its end.
	Latency, Service *Histogram
}

// NewResult returns an empty result whose histograms track durations up
// to highest (DefaultHistogramMax when highest <= 0), for merging the
// results of runs made with the same Options.HistogramMax into.
func NewResult(highest time.Duration) *Result { return newResult(highest) }

func newResult(highest time.Duration) *Result {
	return &Result{
		ErrorClasses: map[string]int64{},
		Latency:      NewHistogram(highest),
		Service:      NewHistogram(highest),
	}
}

// Achieved is the rate of completed operations over Elapsed, per second.
func (r *Result) Achieved() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Completed) / r.Elapsed.Seconds()
}

// ErrorRate is Errors over Completed (0 when nothing completed).
func (r *Result) ErrorRate() float64 { return ratio(r.Errors, r.Completed) }

// LateRate is the share of scheduled operations that could not start on
// time: (Late + Dropped) over Scheduled.
func (r *Result) LateRate() float64 { return ratio(r.Late+r.Dropped, r.Scheduled) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Merge adds o to r as a run that went on side by side with it: another
// shard of the same load, or another operation of a mix. Counts, targets
// and histograms add; Duration and Elapsed take the longer.
func (r *Result) Merge(o *Result) error {
	r.Target += o.Target
	r.Duration = max(r.Duration, o.Duration)
	r.Elapsed = max(r.Elapsed, o.Elapsed)
	r.Scheduled += o.Scheduled
	r.Completed += o.Completed
	r.Errors += o.Errors
	r.Late += o.Late
	r.Dropped += o.Dropped
	r.Workers += o.Workers
	if r.ErrorClasses == nil {
		r.ErrorClasses = map[string]int64{}
	}
	for k, v := range o.ErrorClasses {
		r.ErrorClasses[k] += v
	}
	return errors.Join(r.Latency.Merge(o.Latency), r.Service.Merge(o.Service))
}

// Percentiles are the usual points of a latency distribution.
type Percentiles struct {
	P50, P90, P99, P999, Max time.Duration
}

func percentiles(h *Histogram) Percentiles {
	q := func(p float64) time.Duration { d, _ := h.Quantile(p); return d }
	return Percentiles{q(0.5), q(0.9), q(0.99), q(0.999), h.Max()}
}

// String formats the percentiles on one line.
func (p Percentiles) String() string {
	return fmt.Sprintf("p50 %v p90 %v p99 %v p99.9 %v max %v",
		round(p.P50), round(p.P90), round(p.P99), round(p.P999), round(p.Max))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}

// ClassCount is the number of errors of one class.
type ClassCount struct {
	Class string
	Count int64
}

// Summary is a result reduced to the figures a person reads.
type Summary struct {
	Target, Achieved float64 // operations per second
	Latency, Service Percentiles
	Scheduled        int64
	Completed        int64
	Errors           int64
	Late, Dropped    int64
	// ErrorClasses is sorted by count, largest first.
	ErrorClasses []ClassCount
}

// Summary reduces r to its headline figures.
func (r *Result) Summary() Summary {
	s := Summary{
		Target: r.Target, Achieved: r.Achieved(),
		Latency: percentiles(r.Latency), Service: percentiles(r.Service),
		Scheduled: r.Scheduled, Completed: r.Completed, Errors: r.Errors,
		Late: r.Late, Dropped: r.Dropped,
	}
	for _, k := range slices.Sorted(maps.Keys(r.ErrorClasses)) {
		s.ErrorClasses = append(s.ErrorClasses, ClassCount{k, r.ErrorClasses[k]})
	}
	slices.SortStableFunc(s.ErrorClasses, func(a, b ClassCount) int {
		return cmp.Compare(b.Count, a.Count)
	})
	return s
}

// String formats the summary on a few lines.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rate %.1f/s of %.1f/s target; %d scheduled, %d completed, "+
		"%d errors, %d late, %d dropped\n", s.Achieved, s.Target, s.Scheduled,
		s.Completed, s.Errors, s.Late, s.Dropped)
	fmt.Fprintf(&b, "latency %v\nservice %v", s.Latency, s.Service)
	for _, c := range s.ErrorClasses {
		fmt.Fprintf(&b, "\nerror %s: %d", c.Class, c.Count)
	}
	return b.String()
}
