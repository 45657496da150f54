package load

import (
	"context"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memoryOfRun runs ops no-op operations at 100k/s in fake time and
// returns the heap in use at the end (after a GC, with the result still
// alive), the highest heap seen during the run, and the bytes allocated
// per operation.
func memoryOfRun(t testing.TB, ops int64) (after, peak uint64, perOp float64) {
	const rate = 100_000
	var (
		before, end runtime.MemStats
		res         *Result
	)
	runtime.GC()
	runtime.ReadMemStats(&before)
	synctest.Test(t.(*testing.T), func(t *testing.T) {
		var ms runtime.MemStats
		sample := func(Progress) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		var err error
		res, err = Run(t.Context(), Constant{PerSecond: rate, For: time.Duration(ops) *
			time.Second / rate}, func(context.Context, int, int64) error { return nil },
			Options{Progress: sample, ProgressEvery: time.Duration(ops) * time.Second / rate / 5})
		require.NoError(t, err)
	})
	runtime.GC()
	runtime.ReadMemStats(&end)
	require.Equal(t, ops, res.Completed)
	perOp = float64(end.TotalAlloc-before.TotalAlloc) / float64(ops)
	runtime.KeepAlive(res)
	return end.HeapAlloc, peak, perOp
}

// Ten times the operations must not take more memory: the histograms are
// fixed-size and nothing is kept per operation.
func TestMemoryFlatOverLongRuns(t *testing.T) {
	n := int64(50_000)
	if testing.Short() {
		n = 10_000
	}
	after1, peak1, per1 := memoryOfRun(t, n)
	after10, peak10, per10 := memoryOfRun(t, 10*n)
	t.Logf("%d ops: heap after %d B, peak %d B, %.1f B/op allocated", n, after1, peak1, per1)
	t.Logf("%d ops: heap after %d B, peak %d B, %.1f B/op allocated", 10*n, after10,
		peak10, per10)

	// Allow 512 KB of noise from the runtime and the test framework.
	const slack = 512 << 10
	assert.Less(t, int64(after10)-int64(after1), int64(slack),
		"heap growth after the run at 10x the operations")
	assert.Less(t, int64(peak10)-int64(peak1), int64(slack),
		"peak heap growth at 10x the operations")
	assert.Less(t, per10, 16.0, "bytes allocated per operation")
}
