package reliability

import (
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/fault"
)

// SteadyWindow is how long, in due time, service must be as good as
// before the faults for a recovery to count as steady; SteadyMinJobs is
// the fewest jobs such a window may hold.
const (
	SteadyWindow  = time.Second
	SteadyMinJobs = 3
)

// Recovery is how one fault ended, seen from the jobs.
type Recovery struct {
	Fault fault.Applied
	// Jobs is the number of jobs due from the fault's start to its end;
	// Failed the number of those that were not available.
	Jobs   int
	Failed int
	// FirstSuccess is the time from the fault's end to the next success
	// (a submit acknowledged or a result stored); -1 if none came.
	FirstSuccess time.Duration
	// Steady is the time from the fault's end to the due time of the
	// first job from which every job due within SteadyWindow (or until
	// the next fault began) was available with a latency within Bound;
	// -1 if not reached before the load ended or the next fault began.
	Steady time.Duration
	// Bound is the latency bound of a steady job: twice the worst latency
	// before the first fault, and at least 100 ms above it.
	Bound time.Duration
}

// Availability is the share of the jobs due during the fault that were
// available, 0 to 1; 1 when none was due.
func (r Recovery) Availability() float64 {
	if r.Jobs == 0 {
		return 1
	}
	return 1 - float64(r.Failed)/float64(r.Jobs)
}

// available reports whether op was submitted within the submit deadline
// and done within the completion deadline, both from its due time.
func (o *Outcome) available(op *Op) bool {
	e := o.Experiment
	return !op.Submitted.IsZero() && !op.Done.IsZero() &&
		!op.Submitted.After(op.Due.Add(e.SubmitDeadline)) &&
		!op.Done.After(op.Due.Add(e.CompletionDeadline))
}

// measure computes availability and recovery from the audited ops.
func (o *Outcome) measure() {
	n, ok, submitted := len(o.Ops), 0, 0
	for i := range o.Ops {
		op := &o.Ops[i]
		if o.available(op) {
			ok++
		}
		if !op.Submitted.IsZero() {
			submitted++
		}
	}
	if n > 0 {
		o.Availability = float64(ok) / float64(n)
		o.SubmitAvailability = float64(submitted) / float64(n)
	}
	if o.Faults == nil {
		return
	}

	bound := o.baselineBound()
	successes := o.successTimes()
	for _, a := range o.Faults.Faults {
		if a.Start.IsZero() || a.End.IsZero() {
			continue
		}
		r := Recovery{Fault: a, FirstSuccess: -1, Steady: -1, Bound: bound}
		for i := range o.Ops {
			op := &o.Ops[i]
			if op.Due.Before(a.Began) || op.Due.After(a.End) {
				continue
			}
			r.Jobs++
			if !o.available(op) {
				r.Failed++
			}
		}
		k, _ := slices.BinarySearchFunc(successes, a.End, time.Time.Compare)
		if k < len(successes) {
			r.FirstSuccess = successes[k].Sub(a.End)
		}
		r.Steady = o.steadyAfter(a.End, o.nextFault(a.End), bound)
		o.Recovery = append(o.Recovery, r)
	}
}

// baselineBound is the latency bound of a steady job (see Recovery.Bound).
// Without jobs before the first fault it is the completion deadline.
func (o *Outcome) baselineBound() time.Duration {
	first := time.Time{}
	for _, a := range o.Faults.Faults {
		if !a.Began.IsZero() && (first.IsZero() || a.Began.Before(first)) {
			first = a.Began
		}
	}
	worst := time.Duration(-1)
	for i := range o.Ops {
		op := &o.Ops[i]
		if (first.IsZero() || op.Due.Before(first)) && o.available(op) {
			worst = max(worst, op.Latency())
		}
	}
	if worst < 0 {
		return o.Experiment.CompletionDeadline
	}
	return max(2*worst, worst+100*time.Millisecond)
}

// successTimes returns the times of every success, sorted.
func (o *Outcome) successTimes() []time.Time {
	var ts []time.Time
	for i := range o.Ops {
		op := &o.Ops[i]
		if !op.Submitted.IsZero() {
			ts = append(ts, op.Submitted)
		}
		if !op.Done.IsZero() {
			ts = append(ts, op.Done)
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

// nextFault returns when the first fault that began after t began, or the
// zero time.
func (o *Outcome) nextFault(t time.Time) time.Time {
	var next time.Time
	for _, a := range o.Faults.Faults {
		if a.Began.After(t) && (next.IsZero() || a.Began.Before(next)) {
			next = a.Began
		}
	}
	return next
}

// steadyAfter returns the time from end to the due time of the first job
// that opens a steady window, or -1. A window stops where the next fault
// begins (when next is not zero), so that one fault's recovery is not
// judged by another's damage.
func (o *Outcome) steadyAfter(end, next time.Time,
	bound time.Duration) time.Duration {
	good := func(op *Op) bool {
		return o.available(op) && op.Latency() <= bound
	}
	ops := o.Ops
	for k := range ops {
		if ops[k].Due.Before(end) {
			continue
		}
		stop := ops[k].Due.Add(SteadyWindow)
		if !next.IsZero() && next.Before(stop) {
			stop = next
		}
		jobs, steady := 0, true
		for m := k; m < len(ops) && ops[m].Due.Before(stop); m++ {
			jobs++
			steady = steady && good(&ops[m])
		}
		if jobs < SteadyMinJobs {
			return -1
		}
		if steady {
			return ops[k].Due.Sub(end)
		}
	}
	return -1
}
