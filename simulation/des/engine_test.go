package des_test

import (
	"cmp"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/simulation/des"
)

func TestRunOrdersByTimeThenSchedule(t *testing.T) {
	sim := des.New(0)
	rng := des.NewStream(7, 0)
	type ev struct {
		at  time.Duration
		arg int32
	}
	var want []ev
	for i := range 5000 {
		// Few distinct times, so that many events tie.
		at := time.Duration(rng.IntN(50)) * time.Second
		sim.At(at, 0, int32(i), 0)
		want = append(want, ev{at, int32(i)})
	}
	slices.SortStableFunc(want, func(a, b ev) int {
		return cmp.Compare(a.at, b.at)
	})
	var got []ev
	sim.Run(math.MaxInt64, func(s *des.Sim, e des.Event) {
		require.Equal(t, e.At, s.Now())
		got = append(got, ev{e.At, e.Arg})
	}, des.RunOptions{})
	require.Equal(t, want, got)
}

func TestRunStopsAtHorizon(t *testing.T) {
	sim := des.New(0)
	for i := range 10 {
		sim.At(time.Duration(i)*time.Minute, 0, int32(i), 0)
	}
	n := sim.Run(4*time.Minute+time.Second, func(*des.Sim, des.Event) {},
		des.RunOptions{})
	assert.Equal(t, uint64(5), n, "events up to and including 4m")
	assert.Equal(t, 4*time.Minute+time.Second, sim.Now())
	assert.Equal(t, 5, sim.Pending())
}

func TestAtInThePastPanics(t *testing.T) {
	sim := des.New(0)
	sim.At(time.Minute, 0, 0, 0)
	sim.Run(time.Hour, func(*des.Sim, des.Event) {}, des.RunOptions{})
	assert.Panics(t, func() { sim.At(time.Second, 0, 0, 0) })
}

func TestProgress(t *testing.T) {
	sim := des.New(0)
	for i := range 100 {
		sim.At(time.Duration(i+1)*time.Second, 0, 0, 0)
	}
	var got []des.Progress
	sim.Run(100*time.Second, func(*des.Sim, des.Event) {},
		des.RunOptions{ProgressEvery: 25, Progress: func(p des.Progress) {
			got = append(got, p)
		}})
	require.Len(t, got, 5, "every 25 events and once at the end")
	assert.InDelta(t, 0.25, got[0].Fraction, 1e-9)
	assert.Equal(t, uint64(25), got[0].Events)
	assert.Equal(t, 1.0, got[4].Fraction)
	assert.Equal(t, uint64(100), got[4].Events)
}

// TestSameSeedSameRun runs an M/M/c queue twice with one seed and once
// with another: the first two agree bit for bit, the third differs.
func TestSameSeedSameRun(t *testing.T) {
	run := func(seed uint64) [4]float64 {
		res, end := mmc(seed, 4, 3.2/60, 1.0/60, 20_000)
		return [4]float64{res.Waits.Sum(), res.Waits.Quantile(0.99),
			res.QueueTW.Integral(end), end.Seconds()}
	}
	a, b, c := run(1), run(1), run(2)
	assert.Equal(t, a, b, "same seed")
	assert.NotEqual(t, a, c, "different seeds")
}

func TestStreamsAreIndependentAndRepeatable(t *testing.T) {
	draw := func(seed, id uint64) []float64 {
		s := des.NewStream(seed, id)
		out := make([]float64, 8)
		for i := range out {
			out[i] = s.Float64()
		}
		return out
	}
	assert.Equal(t, draw(1, 3), draw(1, 3))
	assert.NotEqual(t, draw(1, 3), draw(1, 4))
	assert.NotEqual(t, draw(1, 3), draw(2, 3))
}

func TestRing(t *testing.T) {
	var r des.Ring[int]
	for i := range 40 {
		r.PushBack(i)
	}
	r.PushFront(-1)
	for want := -1; want < 40; want++ {
		got, ok := r.PopFront()
		require.True(t, ok)
		require.Equal(t, want, got)
	}
	_, ok := r.PopFront()
	assert.False(t, ok)
	assert.Equal(t, 0, r.Len())
}
