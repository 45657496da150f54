package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"time"
)

// Op is one operation of a run. worker is the index of the worker that
// runs it (0 <= worker < Options.Workers; one worker runs one operation at
// a time), so an Op can keep per-worker state without locks. i is the
// operation's index in the schedule. An Op must return promptly once ctx
// is done.
type Op func(ctx context.Context, worker int, i int64) error

// Options tune Run. The zero value of a field means its default.
type Options struct {
	// Workers caps the operations in flight. Workers start as needed, so
	// a run uses about rate x latency of them. Their durations go to at
	// most 2 x GOMAXPROCS (at least 4) pairs of histograms of about
	// 180 KB each, whatever the number of workers. Default 128.
	Workers int
	// LateAfter is how far behind its due time an operation may start and
	// still be on time. Default 10ms.
	LateAfter time.Duration
	// Spin, when positive, wakes the dispatcher this long before each
	// operation is due to busy-wait for the due time. An idle Go process
	// on Linux wakes from timers up to about 1ms late (the runtime sleeps
	// in epoll at millisecond resolution), and that delay counts in the
	// latency from the due time; spinning removes it at the cost of CPU,
	// up to Spin per operation at low rates. Default 0 (no spinning).
	// Fake time does not pass while spinning: not under testing/synctest.
	Spin time.Duration
	// MaxLate is the share of scheduled operations (0 to 1) that may be
	// late or dropped before Run reports ErrLate. Default 0.01.
	MaxLate float64
	// MaxBehind stops a run that has fallen this far behind its schedule
	// (no worker free, or the machine too slow to dispatch): the rest of
	// its operations are dropped and Run reports ErrBehind. Default 5s.
	MaxBehind time.Duration
	// Drain is how long operations still in flight at the end of the
	// schedule may run before their context is cancelled. Default 10s.
	Drain time.Duration
	// Classify names the class of an operation's error for
	// Result.ErrorClasses. Default ClassifyError.
	Classify func(error) string
	// Progress, when set, is called every ProgressEvery (default 1s) and
	// once at the end, from one goroutine; it must not block for long.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// HistogramMax is the longest latency tracked exactly; longer ones
	// are recorded as HistogramMax. Default DefaultHistogramMax.
	HistogramMax time.Duration
}

// DefaultOptions are the defaults Run fills in.
var DefaultOptions = Options{
	Workers:       128,
	LateAfter:     10 * time.Millisecond,
	MaxLate:       0.01,
	MaxBehind:     5 * time.Second,
	Drain:         10 * time.Second,
	Classify:      ClassifyError,
	ProgressEvery: time.Second,
	HistogramMax:  DefaultHistogramMax,
}

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions
	var errs []error
	pick := func(v *time.Duration, def time.Duration, name string) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			errs = append(errs, fmt.Errorf("%s = %v: want >= 0", name, *v))
		}
	}
	switch {
	case o.Workers == 0:
		o.Workers = d.Workers
	case o.Workers < 0:
		errs = append(errs, fmt.Errorf("workers = %d: want >= 0", o.Workers))
	}
	switch {
	case o.MaxLate == 0:
		o.MaxLate = d.MaxLate
	case !(o.MaxLate > 0 && o.MaxLate <= 1):
		errs = append(errs, fmt.Errorf("max late = %v: want 0 to 1", o.MaxLate))
	}
	pick(&o.LateAfter, d.LateAfter, "late after")
	if o.Spin < 0 {
		errs = append(errs, fmt.Errorf("spin = %v: want >= 0", o.Spin))
	}
	pick(&o.MaxBehind, d.MaxBehind, "max behind")
	pick(&o.Drain, d.Drain, "drain")
	pick(&o.ProgressEvery, d.ProgressEvery, "progress every")
	pick(&o.HistogramMax, d.HistogramMax, "histogram max")
	if o.Classify == nil {
		o.Classify = d.Classify
	}
	if err := errors.Join(errs...); err != nil {
		return o, fmt.Errorf("load options: %w", err)
	}
	return o, nil
}

// Progress is a snapshot of a run in progress. Counts are operations.
type Progress struct {
	Elapsed time.Duration
	// Due is the number of operations due by now; Started have begun.
	Due, Started int64
	Completed    int64
	Errors       int64
	Late         int64
	// Workers is the number of workers started so far.
	Workers int
	// Done is true on the final call.
	Done bool
}

// Errors Run returns beside a full result.
var (
	// ErrLate: more operations than Options.MaxLate allows started late.
	ErrLate = errors.New("operations started late")
	// ErrBehind: the run fell more than Options.MaxBehind behind its
	// schedule and stopped.
	ErrBehind = errors.New("run fell behind its schedule")
)

// ClassifyError is the default error classifier: "timeout" for deadlines
// (context or network), "canceled" for cancellation, else the Go type of
// the innermost wrapped error, such as "*pgconn.PgError".
func ClassifyError(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return reflect.TypeOf(err).String()
		}
		err = next
	}
}
