package load

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serverOp is a system of k servers that each take 1ms per operation, so
// it serves k x 1000 operations per second; beyond that a queue grows.
func serverOp(k int) Op {
	slots := make(chan struct{}, k)
	return func(ctx context.Context, _ int, _ int64) error {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		time.Sleep(time.Millisecond)
		<-slots
		return nil
	}
}

func TestFindKnee(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		op := serverOp(4) // 4000/s
		ks := KneeSearch{
			Start: 500, Factor: 2, Max: 64000, Refine: 2, Step: time.Second,
			Thresholds: MustParseThresholds("p99 < 20ms", "rate >= 95%"),
		}
		k, err := FindKnee(t.Context(), ks, func(ctx context.Context, rate float64,
			d time.Duration) (*Result, error) {
			return Run(ctx, Constant{PerSecond: rate, For: d}, op, Options{MaxLate: 1})
		})
		require.NoError(t, err)
		var rates []float64
		for _, s := range k.Steps {
			rates = append(rates, s.Rate)
		}
		// Climb 500..8000, fail at 8000, bisect 6000 (fail), 5000 (fail).
		assert.Equal(t, []float64{500, 1000, 2000, 4000, 8000, 6000, 5000}, rates)
		assert.True(t, k.Bounded)
		assert.Equal(t, 4000.0, k.Rate, "knee")
		assert.False(t, k.Steps[4].Pass)
	})
}

func TestFindKneeFromAbove(t *testing.T) {
	run := func(ctx context.Context, rate float64, d time.Duration) (*Result, error) {
		return Run(ctx, Constant{PerSecond: rate, For: d}, serverOp(4), Options{MaxLate: 1})
	}
	ths := MustParseThresholds("p99 < 20ms", "rate >= 95%")
	synctest.Test(t, func(t *testing.T) {
		k, err := FindKnee(t.Context(), KneeSearch{Start: 16000, Step: time.Second,
			Thresholds: ths}, run)
		require.NoError(t, err)
		var rates []float64
		for _, s := range k.Steps {
			rates = append(rates, s.Rate)
		}
		// Descend 16000, 8000, 4000 (pass), bisect 6000, 5000.
		assert.Equal(t, []float64{16000, 8000, 4000, 6000, 5000}, rates)
		assert.True(t, k.Bounded)
		assert.Equal(t, 4000.0, k.Rate)
	})
	synctest.Test(t, func(t *testing.T) {
		k, err := FindKnee(t.Context(), KneeSearch{Start: 64000, Min: 16000,
			Step: time.Second, Thresholds: ths}, run)
		require.NoError(t, err)
		assert.Len(t, k.Steps, 3, "64000, 32000, 16000")
		assert.True(t, k.Bounded)
		assert.Zero(t, k.Rate, "knee when every rate fails")
	})
}

func TestFindKneeUnbounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		k, err := FindKnee(t.Context(), KneeSearch{Start: 100, Max: 300, Step: time.Second,
			Thresholds: MustParseThresholds("p99 < 20ms")},
			func(ctx context.Context, rate float64, d time.Duration) (*Result, error) {
				return Run(ctx, Constant{PerSecond: rate, For: d}, serverOp(4), Options{})
			})
		require.NoError(t, err)
		assert.False(t, k.Bounded)
		assert.Equal(t, 300.0, k.Rate)
		assert.Len(t, k.Steps, 3, "100, 200, 300")
	})
}

func TestSweep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pts, err := Sweep(t.Context(), []int{1, 2, 4, 8}, time.Second, serverOp(4))
		require.NoError(t, err)
		require.Len(t, pts, 4)
		for i, want := range []float64{1000, 2000, 4000, 4000} {
			assert.Equal(t, []int{1, 2, 4, 8}[i], pts[i].Concurrency)
			assert.InEpsilon(t, want, pts[i].Throughput, 0.01,
				"throughput at concurrency %d", pts[i].Concurrency)
		}
	})
}
