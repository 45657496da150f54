package load

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Closed configures a closed-loop run: Workers goroutines each run one
// operation, wait for it to finish, and run the next.
type Closed struct {
	// Workers is the concurrency, >= 1.
	Workers int
	// For is how long the run keeps starting operations.
	For time.Duration
	// Interval, when positive, paces each worker: an operation starts
	// Interval after the previous one started, or at once when that one
	// took longer (the missed starts are skipped, as closed-loop tools
	// do). Zero runs back to back, for the highest throughput.
	Interval time.Duration
	// Classify and HistogramMax are as in Options.
	Classify     func(error) string
	HistogramMax time.Duration
}

// RunClosed runs op in a closed loop and times each operation from its
// actual start, so Latency and Service hold the same figures and Late is
// always 0. This is how pgbench and redis-benchmark measure: use it for
// throughput at a given concurrency and for comparisons with them, and
// Run for latency under a rate, because a closed loop stops sending while
// the system stalls and so never records most of the stall (coordinated
// omission).
func RunClosed(ctx context.Context, c Closed, op Op) (*Result, error) {
	if c.Workers < 1 || c.For <= 0 || c.Interval < 0 {
		return nil, fmt.Errorf("closed loop: workers = %d, for = %v, interval = %v: "+
			"want workers >= 1, for > 0, interval >= 0", c.Workers, c.For, c.Interval)
	}
	if c.Classify == nil {
		c.Classify = ClassifyError
	}
	if c.HistogramMax <= 0 {
		c.HistogramMax = DefaultHistogramMax
	}

	start := time.Now()
	deadline := start.Add(c.For)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	sh := newShards(c.Workers, c.HistogramMax)
	ws := make([]*worker, c.Workers)
	for id := range ws {
		w := &worker{id: id, sh: sh.get(id)}
		ws[id] = w
		// Paced workers start staggered over one interval.
		first := start.Add(c.Interval * time.Duration(id) / time.Duration(c.Workers))
		wg.Go(func() { w.loop(ctx, c, op, &next, first, deadline) })
	}
	wg.Wait()

	res := newResult(c.HistogramMax)
	res.Duration = c.For
	res.Workers = c.Workers
	res.Elapsed = gather(res, ws, start).Sub(start)
	res.Scheduled = res.Completed
	if c.Interval > 0 {
		res.Target = float64(c.Workers) / c.Interval.Seconds()
		res.Scheduled = int64(res.Target * c.For.Seconds())
	}
	if err := sh.merge(res); err != nil {
		return res, fmt.Errorf("closed loop: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("closed loop: %w", err)
	}
	return res, nil
}

func (w *worker) loop(ctx context.Context, c Closed, op Op, next *atomic.Int64,
	at, deadline time.Time) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	done := ctx.Done()
	for {
		if wait := time.Until(at); c.Interval > 0 && wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-done:
				return
			}
		}
		begin := time.Now()
		if !begin.Before(deadline) {
			return
		}
		select {
		case <-done:
			return
		default:
		}
		err := op(ctx, w.id, next.Add(1)-1)
		end := time.Now()
		w.record(end.Sub(begin), end.Sub(begin), end, err, c.Classify)
		at = begin.Add(c.Interval)
	}
}
