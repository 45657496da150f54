package des_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/simulation/des"
)

func TestHistogramQuantilesWithinBucketError(t *testing.T) {
	rng := des.NewStream(3, 0)
	h := des.NewHistogram()
	vals := make([]float64, 200_000)
	for i := range vals {
		vals[i] = rng.LogNormal(math.Log(180), 1)
		h.Record(vals[i])
	}
	slices.Sort(vals)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.95, 0.99, 0.999} {
		want := vals[int(math.Ceil(q*float64(len(vals))))-1]
		got := h.Quantile(q)
		if rel := math.Abs(got/want - 1); rel > 0.004 {
			t.Errorf("Quantile(%v) = %.5g; want %.5g within 0.4%%", q, got, want)
		}
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	assert.InDelta(t, sum/float64(len(vals)), h.Mean(), 1e-9*sum)
	assert.Equal(t, vals[0], h.Min())
	assert.Equal(t, vals[len(vals)-1], h.Max())
	assert.Equal(t, vals[len(vals)-1], h.Quantile(1))
}

func TestHistogramMergeIsExact(t *testing.T) {
	rng := des.NewStream(4, 0)
	all, a, b := des.NewHistogram(), des.NewHistogram(), des.NewHistogram()
	for i := range 10_000 {
		v := rng.ExpFloat64() * 60
		all.Record(v)
		if i%3 == 0 {
			a.Record(v)
		} else {
			b.Record(v)
		}
	}
	a.Merge(b)
	assert.Equal(t, all.Count(), a.Count())
	assert.Equal(t, all.Min(), a.Min())
	assert.Equal(t, all.Max(), a.Max())
	for _, q := range []float64{0.1, 0.5, 0.99} {
		assert.Equal(t, all.Quantile(q), a.Quantile(q), "q=%v", q)
	}
}

func TestHistogramEdges(t *testing.T) {
	h := des.NewHistogram()
	assert.True(t, math.IsNaN(h.Quantile(0.5)), "empty")
	h.Record(0)
	h.Record(-1)
	h.Record(1e12) // past the top bucket
	assert.Equal(t, uint64(3), h.Count())
	assert.Equal(t, 0.0, h.Quantile(0.5))
	assert.Equal(t, 1e12, h.Quantile(1))
	assert.Equal(t, uint64(1), h.CountAbove(0))
}

func TestTimeWeighted(t *testing.T) {
	w := des.NewTimeWeighted(0, 2)
	w.Set(10*time.Second, 4) // 2 for 10 s
	w.Add(30*time.Second, -4)
	// 2x10 + 4x20 + 0x10 = 100 over 40 s.
	assert.InDelta(t, 100, w.Integral(40*time.Second), 1e-9)
	assert.InDelta(t, 2.5, w.Mean(40*time.Second), 1e-9)
	assert.Equal(t, 4.0, w.Max())
}

func TestSeries(t *testing.T) {
	s := des.NewSeries(100*time.Second, 4, 1) // slices of 25 s
	s.Set(10*time.Second, 3)
	s.Set(60*time.Second, 0)
	s.Set(61*time.Second, 8)
	s.Set(62*time.Second, 0)
	pts := s.Points(100 * time.Second)
	require.Len(t, pts, 4)
	want := []des.SeriesPoint{
		{Start: 0, Mean: (1*10 + 3*15) / 25.0, Max: 3},
		{Start: 25 * time.Second, Mean: 3, Max: 3},
		{Start: 50 * time.Second, Mean: (3*10 + 8*1) / 25.0, Max: 8},
		{Start: 75 * time.Second, Mean: 0, Max: 0},
	}
	for i := range want {
		assert.Equal(t, want[i].Start, pts[i].Start, "point %d", i)
		assert.InDelta(t, want[i].Mean, pts[i].Mean, 1e-9, "point %d", i)
		assert.Equal(t, want[i].Max, pts[i].Max, "point %d", i)
	}
	assert.Len(t, s.Points(30*time.Second), 2, "up to now only")
}

func TestResourceCapacityChanges(t *testing.T) {
	r := des.NewResource(1)
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	require.True(t, r.Request(0, 1))
	require.False(t, r.Request(0, 2))
	require.False(t, r.Request(sec(1), 3))
	assert.Equal(t, 2, r.Queued())

	// A node starts: the head of the queue gets the new server.
	r.SetCapacity(sec(5), 2)
	job, waited, ok := r.Admit(sec(5))
	require.True(t, ok)
	assert.Equal(t, int32(2), job)
	assert.Equal(t, sec(5), waited)
	_, _, ok = r.Admit(sec(5))
	assert.False(t, ok, "no free server")

	// A node fails: its job is interrupted and goes back to the head.
	r.SetCapacity(sec(6), 1)
	r.Interrupt(sec(6))
	r.Requeue(sec(6), 2)
	_, _, ok = r.Admit(sec(6))
	assert.False(t, ok, "one busy server holds the one left")
	r.Release(sec(8))
	job, waited, ok = r.Admit(sec(8))
	require.True(t, ok)
	assert.Equal(t, int32(2), job, "interrupted job runs first")
	assert.Equal(t, sec(2), waited)

	assert.Equal(t, uint64(3), r.Admitted)
	assert.Equal(t, uint64(1), r.Interrupted)
	// Capacity 1 for 5 s, 2 for 1 s, 1 for 2 s: 9 server-seconds.
	assert.InDelta(t, 9, r.CapacityTW.Integral(sec(8)), 1e-9)
}

func TestResourceNeverAdmitsPastCapacity(t *testing.T) {
	r := des.NewResource(3)
	for i := range 10 {
		r.Request(0, int32(i))
	}
	r.SetCapacity(time.Second, 1) // shrink below busy: let jobs drain
	r.Release(2 * time.Second)
	_, _, ok := r.Admit(2 * time.Second)
	assert.False(t, ok, "busy 2 of capacity 1")
	r.Release(3 * time.Second)
	r.Release(4 * time.Second)
	_, _, ok = r.Admit(4 * time.Second)
	assert.True(t, ok)
	assert.Equal(t, 1, r.Busy())
}
