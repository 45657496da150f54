package load

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Run plays schedule s open loop: operation i is handed to a free worker
// at its due time whatever happened to earlier ones, a new worker starts
// when none is free (up to Options.Workers), and when all are busy the
// operation waits and is measured from its due time all the same.
//
// Run returns the result of every operation that ran. The error is nil,
// or wraps ErrLate (too many late starts), ErrBehind (the run stopped
// behind its schedule) or the context's error, each beside a full result;
// invalid arguments return a nil result.
func Run(ctx context.Context, s Schedule, op Op, o Options) (*Result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if v, ok := s.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("load schedule: %w", err)
		}
	}
	if s.Count() == 0 {
		return nil, errors.New("load schedule: no operations due")
	}
	r := &run{s: s, op: op, o: o, work: make(chan ticket),
		shards: newShards(o.Workers, o.HistogramMax)}
	r.opCtx, r.cancelOps = context.WithCancel(ctx)
	defer r.cancelOps()
	return r.run(ctx)
}

// ticket is an operation handed to a worker.
type ticket struct {
	i   int64
	due time.Time
}

type run struct {
	s  Schedule
	op Op
	o  Options

	opCtx     context.Context
	cancelOps context.CancelFunc
	start     time.Time
	work      chan ticket
	wg        sync.WaitGroup
	workers   []*worker // written by the dispatcher only
	shards    *shards
	dropped   int64

	// Shared counters, read by the progress reporter.
	started, completed, errs, late atomic.Int64
	nworkers                       atomic.Int64
}

func (r *run) run(ctx context.Context) (*Result, error) {
	r.start = time.Now()
	stopReport := r.report()

	derr := r.dispatch(ctx)
	close(r.work)
	r.drain()
	stopReport()

	res, err := r.result()
	if err != nil {
		return res, err
	}
	switch {
	case derr != nil:
		return res, fmt.Errorf("load run: %d of %d operations not started: %w",
			r.dropped, res.Scheduled, derr)
	case res.LateRate() > r.o.MaxLate:
		return res, fmt.Errorf("load run: %d of %d operations late or dropped, "+
			"over the %.3g%% allowed: %w", res.Late+res.Dropped, res.Scheduled,
			100*r.o.MaxLate, ErrLate)
	}
	return res, nil
}

// dispatch hands each operation to a worker at its due time.
func (r *run) dispatch(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	n := r.s.Count()
	for i := int64(0); i < n; i++ {
		off, _ := r.s.Start(i)
		due := r.start.Add(off)
		wait := time.Until(due)
		if wait > 0 {
			if sleep := wait - r.o.Spin; sleep > 0 {
				timer.Reset(sleep)
				select {
				case <-timer.C:
				case <-ctx.Done():
					r.dropped = n - i
					return ctx.Err()
				}
			}
			for r.o.Spin > 0 && time.Now().Before(due) {
				// Busy-wait the last stretch (Options.Spin).
			}
		} else if -wait > r.o.MaxBehind {
			r.dropped = n - i
			return ErrBehind
		}

		// An idle worker takes it at once; else start one; else wait.
		t := ticket{i: i, due: due}
		select {
		case r.work <- t:
			continue
		case <-ctx.Done():
			r.dropped = n - i
			return ctx.Err()
		default:
		}
		if len(r.workers) < r.o.Workers {
			r.spawn(t)
			continue
		}
		timer.Reset(time.Until(due.Add(r.o.MaxBehind)))
		select {
		case r.work <- t:
		case <-timer.C:
			r.dropped = n - i
			return ErrBehind
		case <-ctx.Done():
			r.dropped = n - i
			return ctx.Err()
		}
	}
	return nil
}

func (r *run) spawn(first ticket) {
	w := &worker{id: len(r.workers), sh: r.shards.get(len(r.workers))}
	r.workers = append(r.workers, w)
	r.nworkers.Add(1)
	r.wg.Go(func() {
		w.do(r, first)
		for t := range r.work {
			w.do(r, t)
		}
	})
}

// drain waits for the workers, cancelling what is still in flight after
// Options.Drain.
func (r *run) drain() {
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(r.o.Drain)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		r.cancelOps()
		<-done
	}
}

// result merges the workers' figures.
func (r *run) result() (*Result, error) {
	res := newResult(r.o.HistogramMax)
	res.Duration = r.s.Duration()
	res.Scheduled = r.s.Count()
	res.Target = float64(res.Scheduled) / res.Duration.Seconds()
	res.Dropped = r.dropped
	res.Workers = len(r.workers)
	res.Elapsed = gather(res, r.workers, r.start).Sub(r.start)
	if err := r.shards.merge(res); err != nil {
		return res, fmt.Errorf("load run: %w", err)
	}
	return res, nil
}

// report runs Options.Progress until the returned func is called, which
// makes the final call.
func (r *run) report() (stop func()) {
	if r.o.Progress == nil {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(r.o.ProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				r.o.Progress(r.progress(false))
			case <-quit:
				return
			}
		}
	}()
	return func() {
		close(quit)
		<-done
		r.o.Progress(r.progress(true))
	}
}

func (r *run) progress(final bool) Progress {
	el := time.Since(r.start)
	n := r.s.Count()
	due := int64(sort.Search(int(n), func(i int) bool {
		off, _ := r.s.Start(int64(i))
		return off > el
	}))
	return Progress{
		Elapsed: el, Due: due, Started: r.started.Load(),
		Completed: r.completed.Load(), Errors: r.errs.Load(),
		Late: r.late.Load(), Workers: int(r.nworkers.Load()), Done: final,
	}
}

func (w *worker) do(r *run, t ticket) {
	begin := time.Now()
	r.started.Add(1)
	if begin.Sub(t.due) > r.o.LateAfter {
		w.late++
		r.late.Add(1)
	}
	err := r.op(r.opCtx, w.id, t.i)
	end := time.Now()
	w.record(end.Sub(t.due), end.Sub(begin), end, err, r.o.Classify)
	if err != nil {
		r.errs.Add(1)
	}
	r.completed.Add(1)
}
