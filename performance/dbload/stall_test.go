package dbload

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/services"
)

// A Redis server frozen for one second (SIGSTOP) under a fixed rate of
// cache reads: the open loop keeps sending and the stall fills the top of
// its latency distribution; a closed loop on one connection, timed from
// each send, records it once and its percentiles stay healthy.
// Tolerances are wide: the machine may be busy, and the stall is 1s
// against round trips of milliseconds.
func TestRedisPauseShowsInOpenLoopOnly(t *testing.T) {
	svc := services.NewRedis(t)
	if !svc.Controllable() {
		t.Skipf("services: the %s provider cannot pause Redis; unset %s to use a "+
			"local process or Docker", svc.Provider(), services.EnvRedisURL)
	}
	r, err := OpenRedis(t.Context(), svc.URL(), "stall:", 64)
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	require.NoError(t, r.Setup(t.Context(), RedisSeed{Videos: 1000, CachedVideos: 1000}))
	op := r.Ops()["cache_get"]

	// pauseAfter freezes the server for 1s, 1s after it is called.
	pauseAfter := func(t *testing.T) {
		t.Helper()
		var wg sync.WaitGroup
		t.Cleanup(wg.Wait)
		wg.Go(func() {
			time.Sleep(time.Second)
			ctx := context.WithoutCancel(t.Context())
			if !assert.NoError(t, svc.Pause(ctx)) {
				return
			}
			time.Sleep(time.Second)
			assert.NoError(t, svc.Resume(ctx))
		})
	}

	pauseAfter(t)
	open, err := load.Run(t.Context(), load.Constant{PerSecond: 200, For: 3 * time.Second},
		op, load.Options{Workers: 300, MaxLate: 1})
	require.NoError(t, err)
	require.Zero(t, open.Errors, "errors: %v", open.ErrorClasses)
	t.Logf("open loop:\n%v", open.Summary())
	p99, _ := open.Latency.Quantile(0.99)
	p999, _ := open.Latency.Quantile(0.999)
	assert.Greater(t, p99, 800*time.Millisecond, "open-loop p99")
	assert.Greater(t, p999, 900*time.Millisecond, "open-loop p99.9")

	pauseAfter(t)
	closed, err := load.RunClosed(t.Context(), load.Closed{Workers: 1, For: 3 * time.Second},
		op)
	require.NoError(t, err)
	require.Zero(t, closed.Errors, "errors: %v", closed.ErrorClasses)
	t.Logf("closed loop:\n%v", closed.Summary())
	p99, _ = closed.Latency.Quantile(0.99)
	assert.Less(t, p99, 200*time.Millisecond, "closed-loop p99")
	assert.Greater(t, closed.Latency.Max(), 900*time.Millisecond,
		"the closed loop's one sample of the pause")
}
