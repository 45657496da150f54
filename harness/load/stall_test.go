package load

import (
	"bufio"
	"context"
	"net"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stallingOp serves in 100µs, except that whatever arrives in
// [from, to) waits until to: a server that stops answering for a while.
func stallingOp(from, to time.Time) Op {
	return func(ctx context.Context, _ int, _ int64) error {
		if now := time.Now(); !now.Before(from) && now.Before(to) {
			time.Sleep(to.Sub(now))
		}
		time.Sleep(100 * time.Microsecond)
		return nil
	}
}

// The system stalls for 1s in the middle of a 5s run at 1000/s. Open
// loop, the 1000 operations due during the stall wait 1000ms down to 1ms:
// the j-th smallest of them has latency j ms + 0.1ms, and they are the top
// 20% of the run, so p99 (rank 4950 of 5000) is j = 950 and p99.9 (rank
// 4995) is j = 995.
func TestOpenLoopShowsStall(t *testing.T) {
	for _, c := range []struct {
		name    string
		workers int
	}{
		{"a worker for every operation in flight", 2000},
		{"few workers, operations queue", 16},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				from := time.Now().Add(2 * time.Second)
				op := stallingOp(from, from.Add(time.Second))
				res, err := Run(t.Context(), Constant{PerSecond: 1000, For: 5 * time.Second},
					op, Options{Workers: c.workers})
				p99 := quantile(t, res.Latency, 0.99)
				p999 := quantile(t, res.Latency, 0.999)
				if c.workers >= 1000 {
					require.NoError(t, err)
					near(t, 950100*time.Microsecond, p99, "latency p99")
					near(t, 995100*time.Microsecond, p999, "latency p99.9")
					assert.Zero(t, res.Late)
					// Service time shows it too: requests kept arriving.
					near(t, 950100*time.Microsecond, quantile(t, res.Service, 0.99),
						"service p99")
					return
				}
				// Operations wait for a worker instead of being sent: they
				// start late, are counted, and are still timed from their
				// due time.
				require.ErrorIs(t, err, ErrLate)
				assert.Greater(t, res.Late, int64(900))
				assert.GreaterOrEqual(t, p99, 950*time.Millisecond)
				assert.GreaterOrEqual(t, p999, 995*time.Millisecond)
			})
		})
	}
}

// The same stall measured in a closed loop, timed from the actual send:
// the loop stops sending while it waits, so a single sample holds the
// stall and the percentiles look healthy.
func TestClosedLoopHidesStall(t *testing.T) {
	for _, c := range []struct {
		name     string
		interval time.Duration
	}{
		{"back to back, as pgbench", 0},
		{"paced at the open loop's 1000/s", time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				from := time.Now().Add(2 * time.Second)
				op := stallingOp(from, from.Add(time.Second))
				res, err := RunClosed(t.Context(), Closed{
					Workers: 1, For: 5 * time.Second, Interval: c.interval}, op)
				require.NoError(t, err)
				near(t, 100*time.Microsecond, quantile(t, res.Latency, 0.99), "p99")
				near(t, 100*time.Microsecond, quantile(t, res.Latency, 0.999), "p99.9")
				assert.Greater(t, res.Latency.Max(), 900*time.Millisecond,
					"the one sample that saw the stall")
			})
		})
	}
}

// stallServer answers each line with the same line, except that it holds
// every answer while a stall is on.
type stallServer struct {
	ln    net.Listener
	until atomic.Int64 // unix nanoseconds; answers wait until then
}

func startStallServer(t *testing.T) *stallServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	s := &stallServer{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *stallServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		if wait := time.Until(time.Unix(0, s.until.Load())); wait > 0 {
			time.Sleep(wait)
		}
		if _, err := c.Write(line); err != nil {
			return
		}
	}
}

// stall makes the server hold answers for d from now.
func (s *stallServer) stall(d time.Duration) {
	s.until.Store(time.Now().Add(d).UnixNano())
}

// pingOp sends a line on the worker's own connection and waits for it
// back. At 1s into the run it starts a 1s stall of the server.
func pingOp(t *testing.T, s *stallServer, workers int) Op {
	conns := make([]*bufio.ReadWriter, workers)
	var (
		started  = time.Now()
		stalling atomic.Bool
	)
	return func(ctx context.Context, w int, _ int64) error {
		if time.Since(started) >= time.Second && stalling.CompareAndSwap(false, true) {
			s.stall(time.Second)
		}
		if conns[w] == nil {
			var d net.Dialer
			c, err := d.DialContext(ctx, "tcp", s.ln.Addr().String())
			if err != nil {
				return err
			}
			t.Cleanup(func() { c.Close() })
			conns[w] = bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c))
		}
		rw := conns[w]
		if _, err := rw.WriteString("ping\n"); err != nil {
			return err
		}
		if err := rw.Flush(); err != nil {
			return err
		}
		_, err := rw.ReadString('\n')
		return err
	}
}

// The real-time version against a TCP server. Tolerances are wide: this
// runs on a busy machine, and the stall is 1s against a healthy round
// trip well under 10ms.
func TestStallOverTCP(t *testing.T) {
	const workers = 300
	srv := startStallServer(t)

	// Open loop, 200/s for 3s: the ~200 operations due during the stall
	// are the top third of the run.
	open, err := Run(t.Context(), Constant{PerSecond: 200, For: 3 * time.Second},
		pingOp(t, srv, workers), Options{Workers: workers, MaxLate: 1})
	require.NoError(t, err)
	require.Zero(t, open.Errors, "errors: %v", open.ErrorClasses)
	t.Logf("open loop:\n%v", open.Summary())
	assert.Greater(t, quantile(t, open.Latency, 0.99), 800*time.Millisecond, "open p99")
	assert.Greater(t, quantile(t, open.Latency, 0.999), 900*time.Millisecond, "open p99.9")

	// Closed loop, one connection back to back for 3s, like pgbench.
	closed, err := RunClosed(t.Context(), Closed{Workers: 1, For: 3 * time.Second},
		pingOp(t, srv, 1))
	require.NoError(t, err)
	require.Zero(t, closed.Errors, "errors: %v", closed.ErrorClasses)
	t.Logf("closed loop:\n%v", closed.Summary())
	assert.Less(t, quantile(t, closed.Latency, 0.99), 200*time.Millisecond, "closed p99")
	assert.Less(t, quantile(t, closed.Latency, 0.999), 200*time.Millisecond,
		"closed p99.9")
	assert.Greater(t, closed.Latency.Max(), 900*time.Millisecond,
		"the closed loop's one sample of the stall")
}
