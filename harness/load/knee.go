package load

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// KneeSearch configures FindKnee: a stepped ramp that multiplies the rate
// by Factor each step until the thresholds fail, then bisects between the
// last rate that passed and the first that failed.
type KneeSearch struct {
	// Start is the first rate tried, operations per second (> 0).
	Start float64
	// Factor multiplies the rate from one step to the next (> 1).
	// Default 2.
	Factor float64
	// Max is the highest rate tried; a search that passes at Max reports
	// an unbounded knee. Default 1000 x Start.
	Max float64
	// Refine is the number of bisection steps after the first failure.
	// Default 2; negative for none.
	Refine int
	// Step is how long each rate is held.
	Step time.Duration
	// Thresholds decide whether a step passes. A step also fails when its
	// run reports ErrLate or ErrBehind.
	Thresholds []Threshold
}

// Step is one rate of a knee search.
type Step struct {
	Rate     float64 // intended, operations per second
	Result   *Result
	Outcomes []Outcome
	// Err is ErrLate or ErrBehind (wrapped) when the run reported it.
	Err  error
	Pass bool
}

// Knee is the outcome of a knee search.
type Knee struct {
	// Rate is the highest rate that passed (0 when none did), operations
	// per second.
	Rate float64
	// Bounded is true when some rate failed, so the knee lies between
	// Rate and the lowest failing rate; false when every rate up to Max
	// passed.
	Bounded bool
	// Steps holds every step in the order run.
	Steps []Step
}

// StepRunner runs the load at rate operations per second for d.
type StepRunner func(ctx context.Context, rate float64, d time.Duration) (*Result, error)

// FindKnee runs the search. An error from run other than ErrLate or
// ErrBehind stops it and is returned with the steps so far.
func FindKnee(ctx context.Context, ks KneeSearch, run StepRunner) (Knee, error) {
	if ks.Factor == 0 {
		ks.Factor = 2
	}
	if ks.Max == 0 {
		ks.Max = 1000 * ks.Start
	}
	if ks.Refine == 0 {
		ks.Refine = 2
	}
	if !(ks.Start > 0) || !(ks.Factor > 1) || ks.Max < ks.Start || ks.Step <= 0 {
		return Knee{}, fmt.Errorf("knee search: start %v, factor %v, max %v, step %v: "+
			"want start > 0, factor > 1, max >= start, step > 0",
			ks.Start, ks.Factor, ks.Max, ks.Step)
	}
	var k Knee
	try := func(rate float64) (bool, error) {
		res, err := run(ctx, rate, ks.Step)
		st := Step{Rate: rate, Result: res}
		if err != nil && !errors.Is(err, ErrLate) && !errors.Is(err, ErrBehind) {
			return false, fmt.Errorf("knee search at %.4g/s: %w", rate, err)
		}
		st.Err = err
		if res != nil {
			st.Outcomes, st.Pass = Check(res, ks.Thresholds)
		}
		st.Pass = st.Pass && err == nil
		k.Steps = append(k.Steps, st)
		return st.Pass, nil
	}

	// Climb until a step fails.
	failed := 0.0
	for rate := ks.Start; ; rate = min(rate*ks.Factor, ks.Max) {
		pass, err := try(rate)
		if err != nil {
			return k, err
		}
		if !pass {
			failed = rate
			break
		}
		k.Rate = rate
		if rate >= ks.Max {
			return k, nil
		}
	}
	k.Bounded = true

	// Bisect between the last pass (or 0) and the first failure.
	lo, hi := k.Rate, failed
	if lo == 0 {
		lo = hi / ks.Factor
	}
	for range max(ks.Refine, 0) {
		mid := (lo + hi) / 2
		pass, err := try(mid)
		if err != nil {
			return k, err
		}
		if pass {
			lo = mid
			k.Rate = max(k.Rate, mid)
		} else {
			hi = mid
		}
	}
	return k, nil
}
