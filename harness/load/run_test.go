package load

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sleepOp takes d of (fake) time and succeeds.
func sleepOp(d time.Duration) Op {
	return func(ctx context.Context, _ int, _ int64) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// quantile is h's q-quantile, failing the test when h is empty.
func quantile(t *testing.T, h *Histogram, q float64) time.Duration {
	t.Helper()
	d, ok := h.Quantile(q)
	require.True(t, ok, "empty histogram")
	return d
}

// near asserts that d is within HDR precision (0.1%) of want.
func near(t *testing.T, want, d time.Duration, what string) {
	t.Helper()
	assert.InDelta(t, want.Seconds(), d.Seconds(), want.Seconds()/1000+1e-6,
		"%s = %v; want %v", what, d, want)
}

func TestRunOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res, err := Run(t.Context(), Constant{PerSecond: 100, For: time.Second},
			sleepOp(5*time.Millisecond), Options{})
		require.NoError(t, err)
		assert.Equal(t, int64(100), res.Scheduled)
		assert.Equal(t, int64(100), res.Completed)
		assert.Zero(t, res.Late)
		assert.Zero(t, res.Dropped)
		assert.Equal(t, 1, res.Workers, "workers for ops shorter than their spacing")
		assert.InDelta(t, 100.0, res.Target, 1e-9)
		// The last op is due at 990ms and ends at 995ms.
		assert.Equal(t, 995*time.Millisecond, res.Elapsed)
		near(t, 5*time.Millisecond, quantile(t, res.Latency, 0.999), "latency p99.9")
		near(t, 5*time.Millisecond, quantile(t, res.Service, 0.5), "service p50")
	})
}

func TestRunBacklogIsMeasuredFromDueTime(t *testing.T) {
	// Two workers of 50ms each serve 40/s; 100/s are due at 10ms*i. Ops 0
	// and 1 start on time; after them op i starts when a worker frees up,
	// at 50ms*(i/2) + 10ms*(i%2), so its latency is 30ms*(i/2) + 50ms.
	synctest.Test(t, func(t *testing.T) {
		res, err := Run(t.Context(), Constant{PerSecond: 100, For: time.Second},
			sleepOp(50*time.Millisecond), Options{Workers: 2})
		require.ErrorIs(t, err, ErrLate)
		assert.Equal(t, int64(100), res.Completed)
		assert.Equal(t, int64(98), res.Late, "late starts (all but ops 0 and 1)")
		assert.Equal(t, 2, res.Workers)
		near(t, 49*30*time.Millisecond+50*time.Millisecond, res.Latency.Max(), "max latency")
		// The median is the 50th latency, op 49's.
		near(t, 24*30*time.Millisecond+50*time.Millisecond,
			quantile(t, res.Latency, 0.5), "latency p50")
		near(t, 50*time.Millisecond, quantile(t, res.Service, 1), "service max")
		assert.InDelta(t, 0.98, res.LateRate(), 1e-9)
	})
}

func TestRunStopsWhenFarBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res, err := Run(t.Context(), Constant{PerSecond: 10, For: 10 * time.Second},
			sleepOp(time.Second), Options{Workers: 1, MaxBehind: 2 * time.Second})
		require.ErrorIs(t, err, ErrBehind)
		assert.Positive(t, res.Dropped)
		assert.Equal(t, res.Scheduled, res.Completed+res.Dropped)
		assert.GreaterOrEqual(t, res.Latency.Max(), 2*time.Second)
	})
}

func TestRunCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 505*time.Millisecond)
		defer cancel()
		res, err := Run(ctx, Constant{PerSecond: 100, For: 2 * time.Second},
			sleepOp(time.Millisecond), Options{})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, int64(51), res.Completed, "ops due by 500ms")
		assert.Equal(t, int64(149), res.Dropped)
	})
}

func TestRunDrainCancelsStragglers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hang := func(ctx context.Context, _ int, i int64) error {
			if i == 9 {
				<-ctx.Done()
				return ctx.Err()
			}
			return nil
		}
		res, err := Run(t.Context(), Constant{PerSecond: 10, For: time.Second},
			hang, Options{Drain: 3 * time.Second})
		require.NoError(t, err)
		assert.Equal(t, int64(10), res.Completed)
		assert.Equal(t, map[string]int64{"canceled": 1}, res.ErrorClasses)
		assert.Equal(t, 900*time.Millisecond+3*time.Second, res.Elapsed)
	})
}

type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.code) }

func TestRunCountsErrorsByClass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		op := func(_ context.Context, _ int, i int64) error {
			switch {
			case i%10 == 0:
				return fmt.Errorf("insert: %w", &codeError{23505})
			case i%25 == 1:
				return context.DeadlineExceeded
			}
			return nil
		}
		classify := func(err error) string {
			if ce := (*codeError)(nil); errors.As(err, &ce) {
				return fmt.Sprint("pg-", ce.code)
			}
			return ClassifyError(err)
		}
		res, err := Run(t.Context(), Constant{PerSecond: 100, For: time.Second},
			op, Options{Classify: classify})
		require.NoError(t, err)
		assert.Equal(t, int64(14), res.Errors)
		assert.Equal(t, map[string]int64{"pg-23505": 10, "timeout": 4}, res.ErrorClasses)
		s := res.Summary()
		assert.Equal(t, []ClassCount{{"pg-23505", 10}, {"timeout", 4}}, s.ErrorClasses)
		assert.Contains(t, s.String(), "error pg-23505: 10")
	})
}

func TestRunProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got []Progress
		_, err := Run(t.Context(), Constant{PerSecond: 100, For: 3 * time.Second},
			sleepOp(time.Millisecond), Options{
				Progress:      func(p Progress) { got = append(got, p) },
				ProgressEvery: time.Second,
			})
		require.NoError(t, err)
		require.Len(t, got, 3, "2 ticks in 3s of schedule plus the final call")
		assert.Equal(t, int64(101), got[0].Due, "due by 1s")
		assert.Equal(t, int64(100), got[0].Completed, "completed by 1s")
		last := got[len(got)-1]
		assert.True(t, last.Done)
		assert.Equal(t, int64(300), last.Completed)
	})
}

// Spinning is a real-time matter; this checks only that a run with it
// keeps its schedule's count and order.
func TestRunSpin(t *testing.T) {
	res, err := Run(t.Context(), Constant{PerSecond: 200, For: 250 * time.Millisecond},
		sleepOp(0), Options{Spin: 2 * time.Millisecond, MaxLate: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(50), res.Completed)
	assert.Zero(t, res.Errors)
}

func TestRunRejectsBadArguments(t *testing.T) {
	op := sleepOp(0)
	for _, c := range []struct {
		name string
		s    Schedule
		o    Options
	}{
		{"no rate", Constant{For: time.Second}, Options{}},
		{"negative workers", Constant{PerSecond: 1, For: time.Second}, Options{Workers: -1}},
		{"max late over 1", Constant{PerSecond: 1, For: time.Second}, Options{MaxLate: 2}},
		{"negative drain", Constant{PerSecond: 1, For: time.Second},
			Options{Drain: -time.Second}},
		{"negative spin", Constant{PerSecond: 1, For: time.Second},
			Options{Spin: -time.Second}},
	} {
		res, err := Run(t.Context(), c.s, op, c.o)
		assert.Error(t, err, c.name)
		assert.Nil(t, res, c.name)
	}
	_, err := RunClosed(t.Context(), Closed{Workers: 0, For: time.Second}, op)
	assert.Error(t, err)
}

func TestRunClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res, err := RunClosed(t.Context(), Closed{Workers: 4, For: time.Second},
			sleepOp(10*time.Millisecond))
		require.NoError(t, err)
		assert.Equal(t, int64(400), res.Completed)
		assert.InDelta(t, 400.0, res.Achieved(), 1e-9)

		paced, err := RunClosed(t.Context(), Closed{Workers: 2, For: time.Second,
			Interval: 100 * time.Millisecond}, sleepOp(time.Millisecond))
		require.NoError(t, err)
		assert.Equal(t, int64(20), paced.Completed)
		assert.InDelta(t, 20.0, paced.Target, 1e-9)
	})
}

func TestResultMerge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, err := Run(t.Context(), Constant{PerSecond: 100, For: time.Second},
			sleepOp(time.Millisecond), Options{})
		require.NoError(t, err)
		b, err := Run(t.Context(), Constant{PerSecond: 50, For: 2 * time.Second},
			sleepOp(3*time.Millisecond), Options{})
		require.NoError(t, err)
		require.NoError(t, a.Merge(b))
		assert.Equal(t, int64(200), a.Completed)
		assert.InDelta(t, 150.0, a.Target, 1e-9)
		assert.Equal(t, int64(200), a.Latency.Count())
		near(t, time.Millisecond, quantile(t, a.Latency, 0.5), "merged p50")
		near(t, 3*time.Millisecond, quantile(t, a.Latency, 0.51), "merged p51")
	})
}

func TestHistogramRoundTrip(t *testing.T) {
	h := NewHistogram(time.Second)
	for i := range 1000 {
		h.Record(time.Duration(i) * time.Millisecond / 3)
	}
	h.Record(time.Hour)
	assert.Equal(t, int64(1), h.Clamped())
	b, err := h.MarshalBinary()
	require.NoError(t, err)
	var g Histogram
	require.NoError(t, g.UnmarshalBinary(b))
	for _, q := range []float64{0, 0.5, 0.99, 1} {
		want, _ := h.Quantile(q)
		got, _ := g.Quantile(q)
		assert.Equal(t, want, got, "decoded quantile %v", q)
	}
	assert.Error(t, g.Merge(NewHistogram(time.Minute)), "merge of different ranges")
}
