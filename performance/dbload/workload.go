package dbload

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/scaletest/scaletest/harness/distrib"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/targets"
)

// Workload is one store's share of the mix, ready to run.
type Workload struct {
	Store  Store
	Mix    *Mix
	Config *targets.Config
	// Ops holds the code of each operation of Store in Mix.
	Ops map[string]load.Op
	// Classify names error classes; ClassifyError by default.
	Classify func(error) string
	// Shape, when set, plays each operation's rate through these weights
	// (load.Steps) instead of holding it constant: scale.yaml's hourly
	// shape compresses a day into the run. With weights of mean 1 the
	// run's mean rate is the rate Run is given.
	Shape []float64
	// Shard, when it has more than one part, runs only this shard's
	// operations of each schedule (distrib.ShardSchedule), handing each
	// operation its index in the whole schedule so that ids stay unique
	// across the shards of a distributed run. The zero value runs all.
	Shard distrib.Shard
	// Options tune each operation's run. Classify is set from above, and
	// MaxLate to 1: late starts are judged over the whole run by the mix's
	// run thresholds, not per operation, where a single late start out of
	// a handful would fail a rare operation.
	Options load.Options
}

// OpReport is how one operation of a run fared.
type OpReport struct {
	Spec OpSpec
	// Rate is the operation's target, operations per second.
	Rate     float64
	Result   *load.Result
	Outcomes []load.Outcome
	// Err is the run's ErrLate or ErrBehind, if it reported one.
	Err  error
	Pass bool
}

// Report is a run of a store's workload at one video rate.
type Report struct {
	Store           Store
	VideosPerSecond float64
	Duration        time.Duration
	Ops             []OpReport
	// Total merges every operation's result; Outcomes judge it against
	// the mix's run thresholds.
	Total    *load.Result
	Outcomes []load.Outcome
	// Pass is true when the run and every operation met its thresholds.
	Pass bool
}

// Run drives every operation of the store side by side, each at its
// count per video times videosPerSecond, evenly spaced (or following
// Shape), for d. It
// returns an error only when the run is broken (an operation missing its
// code, bad thresholds, ctx ended); thresholds missed are in the report.
func (w *Workload) Run(ctx context.Context, videosPerSecond float64,
	d time.Duration) (*Report, error) {
	rates := w.Mix.Rates(w.Config, w.Store, videosPerSecond)
	if len(rates) == 0 {
		return nil, fmt.Errorf("run %s: no operations in the mix", w.Store)
	}
	runSLO, err := load.ParseThresholds(w.Mix.RunSLO...)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", w.Store, err)
	}
	opts := w.Options
	opts.Classify, opts.MaxLate = w.Classify, 1
	if opts.Classify == nil {
		opts.Classify = ClassifyError
	}

	rep := &Report{Store: w.Store, VideosPerSecond: videosPerSecond, Duration: d,
		Ops: make([]OpReport, len(rates))}
	var (
		wg   sync.WaitGroup
		errs = make([]error, len(rates))
	)
	for k, r := range rates {
		op, ok := w.Ops[r.Op.Name]
		if !ok {
			return nil, fmt.Errorf("run %s: no code for operation %s", w.Store, r.Op.Name)
		}
		slo, err := load.ParseThresholds(r.Op.SLO...)
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", w.Store, err)
		}
		wg.Go(func() {
			or := &rep.Ops[k]
			or.Spec, or.Rate = r.Op, r.PerSecond
			var s load.Schedule = load.Constant{PerSecond: r.PerSecond, For: d}
			if len(w.Shape) > 0 {
				c, err := load.Steps(r.PerSecond, w.Shape, d)
				if err != nil {
					errs[k] = fmt.Errorf("%s: %w", r.Op.Name, err)
					return
				}
				s = c
			}
			if w.Shard.Count > 1 {
				sh, whole := w.Shard, op
				s = distrib.ShardSchedule(s, sh)
				op = func(ctx context.Context, worker int, j int64) error {
					return whole(ctx, worker, sh.Global(j))
				}
			}
			res, err := load.Run(ctx, s, op, opts)
			if err != nil && !errors.Is(err, load.ErrLate) && !errors.Is(err, load.ErrBehind) {
				errs[k] = fmt.Errorf("%s: %w", r.Op.Name, err)
				return
			}
			or.Result, or.Err = res, err
			or.Outcomes, or.Pass = load.Check(res, slo)
			or.Pass = or.Pass && err == nil
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("run %s: %w", w.Store, err)
	}

	rep.Total = load.NewResult(opts.HistogramMax)
	for _, or := range rep.Ops {
		if err := rep.Total.Merge(or.Result); err != nil {
			return nil, fmt.Errorf("run %s: %w", w.Store, err)
		}
	}
	rep.Outcomes, rep.Pass = load.Check(rep.Total, runSLO)
	for _, or := range rep.Ops {
		rep.Pass = rep.Pass && or.Pass
	}
	return rep, nil
}

// Failures lists what missed its thresholds, one line each.
func (r *Report) Failures() []string {
	return r.outcomes(func(o load.Outcome) bool { return o.Judged && !o.Pass }, true)
}

// Unjudged lists the thresholds left unjudged for want of samples (a
// rare operation's p99 in a short run).
func (r *Report) Unjudged() []string {
	return r.outcomes(func(o load.Outcome) bool { return !o.Judged }, false)
}

func (r *Report) outcomes(keep func(load.Outcome) bool, errs bool) []string {
	var out []string
	for _, o := range r.Outcomes {
		if keep(o) {
			out = append(out, "run: "+o.String())
		}
	}
	for _, or := range r.Ops {
		if errs && or.Err != nil {
			out = append(out, or.Spec.Name+": "+or.Err.Error())
		}
		for _, o := range or.Outcomes {
			if keep(o) {
				out = append(out, or.Spec.Name+": "+o.String())
			}
		}
	}
	return out
}

// String summarises the report, one line per operation.
func (r *Report) String() string {
	var b strings.Builder
	verdict := "fail"
	if r.Pass {
		verdict = "pass"
	}
	s := r.Total.Summary()
	fmt.Fprintf(&b, "%s at %.3g videos/s for %v: %s; %.1f/s of %.1f/s, %d errors, "+
		"%d late\n", r.Store, r.VideosPerSecond, r.Duration, verdict, s.Achieved,
		s.Target, s.Errors, s.Late+s.Dropped)
	for _, or := range r.Ops {
		os := or.Result.Summary()
		fmt.Fprintf(&b, "  %-16s %8.1f/s  %v  errors %d\n", or.Spec.Name, or.Rate,
			os.Latency, os.Errors)
	}
	for _, f := range r.Failures() {
		fmt.Fprintf(&b, "  FAIL %s\n", f)
	}
	if n := len(r.Unjudged()); n > 0 {
		fmt.Fprintf(&b, "  %d thresholds not judged for want of samples\n", n)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Knee raises the video rate from start by factor each step of length
// step until a step misses a threshold, then bisects, and returns the
// highest rate in videos per second at which everything held, with the
// report of every step.
func (w *Workload) Knee(ctx context.Context, ks load.KneeSearch) (load.Knee, []*Report,
	error) {
	var reps []*Report
	k, err := load.FindKnee(ctx, ks, func(ctx context.Context, vps float64,
		d time.Duration) (*load.Result, error) {
		rep, err := w.Run(ctx, vps, d)
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
		if !rep.Pass {
			return rep.Total, fmt.Errorf("%s at %.3g videos/s: %s: %w", w.Store, vps,
				strings.Join(rep.Failures(), "; "), load.ErrFailed)
		}
		return rep.Total, nil
	})
	return k, reps, err
}
