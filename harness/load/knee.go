package load

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// KneeSearch configures FindKnee: a stepped ramp that multiplies the rate
// by Factor each step until the thresholds fail (or divides it until they
// hold, when the first step fails), then bisects between the highest rate
// that passed and the lowest that failed.
type KneeSearch struct {
	// Start is the first rate tried (> 0), in the StepRunner's unit.
	Start float64
	// Factor multiplies the rate from one step to the next (> 1).
	// Default 2.
	Factor float64
	// Max is the highest rate tried; a search that passes at Max reports
	// an unbounded knee. Default 1000 x Start.
	Max float64
	// Min is the lowest rate tried when Start already fails: the search
	// divides by Factor down to it. Default Start / Factor^3.
	Min float64
	// Refine is the number of bisection steps after the first failure.
	// Default 2; negative for none.
	Refine int
	// Step is how long each rate is held.
	Step time.Duration
	// Thresholds decide whether a step passes. A step also fails when its
	// run reports ErrLate, ErrBehind or ErrFailed.
	Thresholds []Threshold
}

// ErrFailed is what a StepRunner wraps when it judged a step failed by
// checks of its own (thresholds of the parts of a mix, say).
var ErrFailed = errors.New("step failed its checks")

// Step is one rate of a knee search.
type Step struct {
	Rate     float64 // intended, in the StepRunner's unit
	Result   *Result
	Outcomes []Outcome
	// Err is ErrLate, ErrBehind or ErrFailed (wrapped) when the run
	// reported it.
	Err  error
	Pass bool
}

// Knee is the outcome of a knee search.
type Knee struct {
	// Rate is the highest rate that passed (0 when none did), in the
	// StepRunner's unit.
	Rate float64
	// Bounded is true when some rate failed, so the knee lies between
	// Rate and the lowest failing rate; false when every rate up to Max
	// passed.
	Bounded bool
	// Steps holds every step in the order run.
	Steps []Step
}

// StepRunner runs the load at rate for d. The rate is in the unit the
// runner takes: operations per second for one Op, or videos per second
// for a mix of operations per video.
type StepRunner func(ctx context.Context, rate float64, d time.Duration) (*Result, error)

// FindKnee runs the search. An error from run other than ErrLate,
// ErrBehind or ErrFailed stops it and is returned with the steps so far.
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
	if ks.Min == 0 {
		ks.Min = ks.Start / (ks.Factor * ks.Factor * ks.Factor)
	}
	if !(ks.Start > 0) || !(ks.Factor > 1) || ks.Max < ks.Start ||
		!(ks.Min > 0 && ks.Min <= ks.Start) || ks.Step <= 0 {
		return Knee{}, fmt.Errorf("knee search: start %v, factor %v, min %v, max %v, "+
			"step %v: want start > 0, factor > 1, 0 < min <= start <= max, step > 0",
			ks.Start, ks.Factor, ks.Min, ks.Max, ks.Step)
	}
	var k Knee
	try := func(rate float64) (bool, error) {
		res, err := run(ctx, rate, ks.Step)
		st := Step{Rate: rate, Result: res}
		if err != nil && !errors.Is(err, ErrLate) && !errors.Is(err, ErrBehind) &&
			!errors.Is(err, ErrFailed) {
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

	// Bracket the knee: climb from Start until a step fails, or, when
	// Start fails, descend until one passes.
	lo, hi := 0.0, 0.0
	pass, err := try(ks.Start)
	if err != nil {
		return k, err
	}
	if pass {
		for lo = ks.Start; hi == 0 && lo < ks.Max; {
			rate := min(lo*ks.Factor, ks.Max)
			if pass, err = try(rate); err != nil {
				return k, err
			}
			if pass {
				lo = rate
			} else {
				hi = rate
			}
		}
		k.Rate = lo
		if hi == 0 {
			return k, nil // every rate up to Max passed
		}
	} else {
		for hi = ks.Start; lo == 0 && hi/ks.Factor >= ks.Min*(1-1e-9); {
			rate := hi / ks.Factor
			if pass, err = try(rate); err != nil {
				return k, err
			}
			if pass {
				lo = rate
			} else {
				hi = rate
			}
		}
		k.Rate = lo
	}
	k.Bounded = true
	if lo == 0 {
		return k, nil // even Min failed
	}

	// Bisect between the highest pass and the lowest failure.
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
