package fault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTarget records the calls a Runner makes, as "call@offset" from the
// start of the synctest bubble, and takes restartTook for each restart.
type fakeTarget struct {
	origin      time.Time
	restartTook time.Duration
	failPause   bool
	controlled  bool

	mu    sync.Mutex
	calls []string
}

func newFake() *fakeTarget {
	return &fakeTarget{origin: time.Now(), controlled: true}
}

func (f *fakeTarget) log(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s@%v", call, time.Since(f.origin)))
}

func (f *fakeTarget) Kill(context.Context) error { f.log("kill"); return nil }

func (f *fakeTarget) Pause(context.Context) error {
	f.log("pause")
	if f.failPause {
		return errors.New("no SIGSTOP here")
	}
	return nil
}

func (f *fakeTarget) Resume(context.Context) error { f.log("resume"); return nil }

func (f *fakeTarget) Restart(ctx context.Context) error {
	select {
	case <-time.After(f.restartTook):
	case <-ctx.Done():
		f.log("restart-timeout")
		return ctx.Err()
	}
	f.log("restart")
	return nil
}

func (f *fakeTarget) Controllable() bool { return f.controlled }

func (f *fakeTarget) Crash(_ context.Context, n int) error {
	f.log(fmt.Sprintf("crash-%d", n))
	return nil
}

func (f *fakeTarget) Respawn(_ context.Context, n int) error {
	f.log(fmt.Sprintf("respawn-%d", n))
	return nil
}

func (f *fakeTarget) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func TestRunnerTimeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc, workers := newFake(), newFake()
		svc.restartTook = 500 * time.Millisecond
		r := &Runner{Targets: Targets{
			Services: map[string]Service{"pg": svc},
			Workers:  map[string]Crasher{"w": workers},
		}}
		s := &Schedule{Name: "timeline", Faults: []Fault{
			{What: Kill, Target: "pg", At: time.Second, Duration: 2 * time.Second},
			{What: Pause, Target: "pg", At: 4 * time.Second, Duration: time.Second},
			{What: Restart, Target: "pg", At: 6 * time.Second},
			{What: Crash, Target: "w", At: 2 * time.Second,
				Duration: time.Second, Params: Params{Count: 3}},
		}}
		rep, err := r.Run(t.Context(), s)
		require.NoError(t, err)

		// The kill lasts 2 s from when it took effect; the restart that
		// ends it takes 0.5 s, and so does the standalone restart.
		assert.Equal(t, []string{"kill@1s", "restart@3.5s", "pause@4s",
			"resume@5s", "restart@6.5s"}, svc.Calls())
		assert.Equal(t, []string{"crash-3@2s", "respawn-3@3s"}, workers.Calls())

		at := func(tm time.Time) time.Duration { return tm.Sub(rep.Started) }
		assert.Equal(t, time.Second, at(rep.Faults[0].Start))
		assert.Equal(t, 3500*time.Millisecond, at(rep.Faults[0].End))
		assert.Equal(t, 6*time.Second, at(rep.Faults[2].Began))
		assert.Equal(t, 6500*time.Millisecond, at(rep.Faults[2].Start))
		assert.Equal(t, rep.Faults[2].Start, rep.Faults[2].End)
		assert.Equal(t, map[Kind]int{Kill: 1, Pause: 1, Restart: 1, Crash: 1},
			rep.Injected())
		assert.Equal(t, 6500*time.Millisecond, at(rep.Finished))
	})
}

func TestRunnerCancelRemovesFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		r := &Runner{Targets: Targets{Services: map[string]Service{"pg": svc}}}
		s := &Schedule{Faults: []Fault{
			{What: Pause, Target: "pg", At: time.Second, Duration: time.Minute},
			{What: Kill, Target: "pg", At: 2 * time.Minute, Duration: time.Second},
		}}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		rep, err := r.Run(ctx, s)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, []string{"pause@1s", "resume@5s"}, svc.Calls())
		assert.False(t, rep.Faults[0].End.IsZero(), "the pause was removed")
		assert.True(t, rep.Faults[1].Start.IsZero(), "the kill never happened")
		assert.Equal(t, map[Kind]int{Pause: 1}, rep.Injected())
	})
}

func TestRunnerStepTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.restartTook = time.Hour
		r := &Runner{StepTimeout: 10 * time.Second,
			Targets: Targets{Services: map[string]Service{"pg": svc}}}
		s := &Schedule{Faults: []Fault{{What: Restart, Target: "pg"}}}
		rep, err := r.Run(t.Context(), s)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "apply restart pg at 0s")
		assert.Equal(t, []string{"restart-timeout@10s"}, svc.Calls())
		assert.Empty(t, rep.Injected())
	})
}

func TestRunnerCheck(t *testing.T) {
	stuck := newFake()
	stuck.controlled = false
	failing := newFake()
	failing.failPause = true
	r := &Runner{Targets: Targets{
		Proxies:  map[string]*Proxy{"redis": {}},
		Services: map[string]Service{"fixed": stuck, "flaky": failing},
	}}
	tests := []struct {
		name  string
		fault Fault
		want  string
	}{
		{"unknown proxy", Fault{What: Latency, Target: "pg",
			Duration: time.Second, Params: Params{Latency: time.Millisecond}},
			`faults[0] latency: no network target "pg"`},
		{"proxy used as a service", Fault{What: Kill, Target: "redis",
			Duration: time.Second}, `faults[0] kill: no service target "redis"`},
		{"uncontrollable service", Fault{What: Restart, Target: "fixed"},
			`service "fixed" cannot be killed`},
		{"failing step", Fault{What: Pause, Target: "flaky",
			Duration: time.Second}, "apply pause flaky at 0s for 1s: no SIGSTOP here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Run(t.Context(), &Schedule{Faults: []Fault{tt.fault}})
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// TestRunnerNetwork runs a real schedule against a proxy: a refusing
// partition and then latency, each checked while it is in effect.
func TestRunnerNetwork(t *testing.T) {
	p := newProxy(t)
	r := &Runner{Targets: Targets{Proxies: map[string]*Proxy{"echo": p}}}
	s, err := Parse("net.yaml", []byte(`
faults:
  - {what: partition, target: echo, at: 0s, duration: 300ms}
  - {what: latency, target: echo, at: 400ms, duration: 400ms,
     params: {latency: 150ms, stream: downstream}}
`))
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	var rep *Report
	var runErr error
	go func() {
		defer close(done)
		rep, runErr = r.Run(ctx, s)
	}()

	// Poll until each fault is visible, with a deadline on every wait.
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		require.Eventually(t, cond, 5*time.Second, 10*time.Millisecond, what)
	}
	waitFor("partition refuses connections", func() bool {
		c, err := net.DialTimeout("tcp", p.Addr(), time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	waitFor("latency delays replies", func() bool {
		_, took, err := roundTrip(t, p, []byte("ping"))
		return err == nil && took >= 150*time.Millisecond
	})
	<-done
	require.NoError(t, runErr)
	assert.Equal(t, map[Kind]int{Partition: 1, Latency: 1}, rep.Injected())
	got, took, err := roundTrip(t, p, []byte("after"))
	require.NoError(t, err)
	assert.Equal(t, "after", string(got))
	assert.Less(t, took, 150*time.Millisecond, "latency removed")
}
