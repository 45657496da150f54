package fault

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Service is a service a fault can kill, pause and restart; the handles of
// harness/services satisfy it. Kill stops the service with SIGKILL and
// Restart brings it back, whether it was killed or running; both return
// once the service is down or accepting connections again.
type Service interface {
	Kill(ctx context.Context) error
	Pause(ctx context.Context) error
	Resume(ctx context.Context) error
	Restart(ctx context.Context) error
	// Controllable reports whether the calls above are available.
	Controllable() bool
}

// Crasher is a pool of workers that a crash fault can kill mid-job.
type Crasher interface {
	// Crash makes n workers die between claiming a job and acknowledging
	// it, leaving no result and no acknowledgement, and returns once they
	// have died.
	Crash(ctx context.Context, n int) error
	// Respawn starts n new workers.
	Respawn(ctx context.Context, n int) error
}

// Targets are what a Runner's faults act on, by name.
type Targets struct {
	Proxies  map[string]*Proxy
	Services map[string]Service
	Workers  map[string]Crasher
}

// DefaultStepTimeout bounds each apply and each removal of a fault when a
// Runner sets no StepTimeout.
const DefaultStepTimeout = 30 * time.Second

// Runner applies schedules to its targets. A Runner may run several
// schedules at once only if they share no target.
type Runner struct {
	Targets Targets
	// StepTimeout bounds each apply and each removal of a fault;
	// DefaultStepTimeout when zero.
	StepTimeout time.Duration
}

// Applied is what happened to one fault of a run. Times are zero for the
// steps that did not happen.
type Applied struct {
	Fault Fault
	// Began is when the runner started to apply the fault.
	Began time.Time
	// Start is when the fault took effect: its apply step returned.
	Start time.Time
	// End is when the fault was over: the service was back, the toxic
	// removed, the workers replaced. For a restart, End equals Start.
	End time.Time
	// Err says why a step failed, or is nil.
	Err error
}

// Report is what a run applied when.
type Report struct {
	Schedule string
	// Started is the origin of the timeline: a fault's At counts from it.
	Started  time.Time
	Finished time.Time
	// Faults are in the order of the schedule.
	Faults []Applied
}

// Injected counts the faults that took effect, by kind.
func (r *Report) Injected() map[Kind]int {
	n := map[Kind]int{}
	for _, a := range r.Faults {
		if !a.Start.IsZero() {
			n[a.Fault.What]++
		}
	}
	return n
}

// Check reports every fault of s whose target is unknown or of the wrong
// kind, or a service that is not controllable.
func (r *Runner) Check(s *Schedule) error {
	var errs []error
	for i, f := range s.Faults {
		var ok bool
		switch f.What.Category() {
		case NetworkFault:
			ok = r.Targets.Proxies[f.Target] != nil
		case ServiceFault:
			svc := r.Targets.Services[f.Target]
			ok = svc != nil
			if ok && !svc.Controllable() {
				errs = append(errs, fmt.Errorf("faults[%d] %s: service %q "+
					"cannot be killed, paused or restarted", i, f.What, f.Target))
			}
		case WorkerFault:
			ok = r.Targets.Workers[f.Target] != nil
		}
		if !ok {
			errs = append(errs, fmt.Errorf("faults[%d] %s: no %s target %q",
				i, f.What, f.What.Category(), f.Target))
		}
	}
	return errors.Join(errs...)
}

// Run validates and checks s, then applies each fault at its time and
// removes it when its duration, counted from when it took effect, ends. It
// returns when every fault is over. When ctx ends first, faults not yet
// applied are skipped and applied ones are removed at once. The error
// joins every failed step; the report is complete either way.
func (r *Runner) Run(ctx context.Context, s *Schedule) (*Report, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", s.Name, err)
	}
	if err := r.Check(s); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", s.Name, err)
	}
	rep := &Report{Schedule: s.Name, Started: time.Now(),
		Faults: make([]Applied, len(s.Faults))}
	var wg sync.WaitGroup
	for i, f := range s.Faults {
		wg.Go(func() { rep.Faults[i] = r.play(ctx, rep.Started, i, f) })
	}
	wg.Wait()
	rep.Finished = time.Now()

	var errs []error
	for _, a := range rep.Faults {
		if a.Err != nil {
			errs = append(errs, a.Err)
		}
	}
	return rep, errors.Join(errs...)
}

// play runs one fault on the timeline that starts at origin.
func (r *Runner) play(ctx context.Context, origin time.Time, i int,
	f Fault) Applied {
	a := Applied{Fault: f}
	if err := sleepUntil(ctx, origin.Add(f.At)); err != nil {
		a.Err = fmt.Errorf("%s: not applied: %w", f, err)
		return a
	}
	a.Began = time.Now()
	undo, err := r.step(ctx, func(ctx context.Context) (undoFunc, error) {
		return r.apply(ctx, i, f)
	})
	if err != nil {
		a.Err = fmt.Errorf("apply %s: %w", f, err)
		return a
	}
	a.Start = time.Now()

	// Removal runs even when ctx has ended, under its own deadline.
	_ = sleepUntil(ctx, a.Start.Add(f.Duration))
	if undo != nil {
		rm := context.WithoutCancel(ctx)
		if _, err := r.step(rm, func(ctx context.Context) (undoFunc, error) {
			return nil, undo(ctx)
		}); err != nil {
			a.Err = fmt.Errorf("remove %s: %w", f, err)
			return a
		}
	}
	a.End = time.Now()
	return a
}

type undoFunc func(ctx context.Context) error

// step runs fn under the step deadline.
func (r *Runner) step(ctx context.Context,
	fn func(ctx context.Context) (undoFunc, error)) (undoFunc, error) {
	d := r.StepTimeout
	if d <= 0 {
		d = DefaultStepTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return fn(ctx)
}

// apply puts f into effect and returns how to remove it.
func (r *Runner) apply(ctx context.Context, i int, f Fault) (undoFunc, error) {
	switch f.What.Category() {
	case NetworkFault:
		p := r.Targets.Proxies[f.Target]
		if f.What == Partition && f.Params.Mode != Blackhole {
			p.Disable()
			return func(context.Context) error { return p.Enable() }, nil
		}
		t := f.toxic(fmt.Sprintf("f%d-%s", i, f.What))
		if err := p.AddToxic(t); err != nil {
			return nil, err
		}
		return func(context.Context) error { return p.RemoveToxic(t) }, nil
	case ServiceFault:
		svc := r.Targets.Services[f.Target]
		switch f.What {
		case Kill:
			return svc.Restart, svc.Kill(ctx)
		case Pause:
			return svc.Resume, svc.Pause(ctx)
		default:
			return nil, svc.Restart(ctx)
		}
	case WorkerFault:
		w, n := r.Targets.Workers[f.Target], max(f.Params.Count, 1)
		if err := w.Crash(ctx, n); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return w.Respawn(ctx, n) }, nil
	}
	return nil, fmt.Errorf("unknown kind %q", f.What)
}

// sleepUntil waits until t or until ctx ends, whichever is first.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
