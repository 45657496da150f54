package services

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Deadlines of the live clients: a paused server shows as timeouts of
// opDeadline; outage and recovery must show within observeWithin.
const (
	opDeadline    = 300 * time.Millisecond
	opInterval    = 10 * time.Millisecond
	observeWithin = 30 * time.Second
)

// live is a client that keeps calling an operation on a server, each call
// under opDeadline, and counts outcomes, as traffic would during a fault.
type live struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	lastErr    error
}

// startLive runs op until t ends.
func startLive(t *testing.T, op func(ctx context.Context) error) *live {
	t.Helper()
	l := &live{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(opInterval)
		defer tick.Stop()
		for ctx.Err() == nil {
			octx, ocancel := context.WithTimeout(ctx, opDeadline)
			err := op(octx)
			ocancel()
			if err != nil {
				l.mu.Lock()
				l.lastErr = err
				l.mu.Unlock()
				l.failed.Add(1)
			} else {
				l.ok.Add(1)
			}
			select {
			case <-ctx.Done():
			case <-tick.C:
			}
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return l
}

// waitFailure waits for a failed call after the ones counted so far and
// returns the error of the latest failure.
func (l *live) waitFailure(t *testing.T) error {
	t.Helper()
	since := l.failed.Load()
	require.Eventually(t, func() bool { return l.failed.Load() > since },
		observeWithin, opInterval, "no failed call after the fault")
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastErr
}

// waitSuccess waits for a successful call after the ones counted so far.
func (l *live) waitSuccess(t *testing.T) {
	t.Helper()
	since := l.ok.Load()
	require.Eventually(t, func() bool { return l.ok.Load() > since },
		observeWithin, opInterval, "no successful call after recovery")
}

// isTimeout reports whether err is a deadline, not a refusal.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) ||
		errors.As(err, &ne) && ne.Timeout()
}

// TestPostgresFaults kills, pauses and restarts a dedicated PostgreSQL
// under a live client; then nothing of the server may be left.
func TestPostgresFaults(t *testing.T) {
	leaks := newLeakCheck(t)
	t.Run("server", func(t *testing.T) { postgresFaults(t, leaks) })
	leaks.verify(t)
}

func postgresFaults(t *testing.T, leaks *leakCheck) {
	s := NewPostgres(t)
	leaks.track(t, s)
	expectProvider(t, s)
	require.True(t, s.Controllable())
	ctx := t.Context()
	addr := s.Addr()

	// Data committed before any fault.
	setup := pgConnect(t, s.URL())
	_, err := setup.Exec(ctx, "CREATE TABLE kept (id int PRIMARY KEY)")
	require.NoError(t, err)
	_, err = setup.Exec(ctx,
		"INSERT INTO kept SELECT generate_series(1, 100)")
	require.NoError(t, err)
	setup.Close(ctx)

	cfg, err := pgxpool.ParseConfig(s.URL())
	require.NoError(t, err)
	cfg.MaxConns = 2
	cfg.ConnConfig.ConnectTimeout = opDeadline
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	client := startLive(t, func(ctx context.Context) error {
		var n int
		return pool.QueryRow(ctx, "SELECT count(*) FROM kept").Scan(&n)
	})
	client.waitSuccess(t)

	t.Run("pause", func(t *testing.T) {
		require.NoError(t, s.Pause(ctx))
		err := client.waitFailure(t)
		assert.True(t, isTimeout(err), "error while paused = %v; "+
			"want a timeout", err)
		require.NoError(t, s.Resume(ctx))
		client.waitSuccess(t)
	})

	t.Run("kill and restart", func(t *testing.T) {
		held, err := pgx.Connect(ctx, s.URL())
		require.NoError(t, err)
		defer held.Close(context.Background())

		require.NoError(t, s.Kill(ctx))
		err = client.waitFailure(t)
		assert.False(t, isTimeout(err), "error after kill = %v; "+
			"want a refusal", err)
		assert.Error(t, held.Ping(ctx), "a connection of the killed server")
		assert.ErrorIs(t, s.Kill(ctx), ErrState, "Kill() twice")

		require.NoError(t, s.Restart(ctx))
		assert.Equal(t, addr, s.Addr(), "Addr() after restart")
		client.waitSuccess(t)

		var n int
		err = pool.QueryRow(ctx, "SELECT count(*) FROM kept").Scan(&n)
		require.NoError(t, err)
		assert.Equal(t, 100, n, "committed rows after kill and restart")
	})

	t.Run("restart while running", func(t *testing.T) {
		require.NoError(t, s.Restart(ctx))
		client.waitSuccess(t)
	})
}

// TestRedisFaults kills, pauses and restarts a dedicated Redis under a
// live client; then nothing of the server may be left.
func TestRedisFaults(t *testing.T) {
	leaks := newLeakCheck(t)
	t.Run("server", func(t *testing.T) { redisFaults(t, leaks) })
	leaks.verify(t)
}

func redisFaults(t *testing.T, leaks *leakCheck) {
	s := NewRedis(t)
	leaks.track(t, s)
	expectProvider(t, s)
	require.True(t, s.Controllable())
	ctx := t.Context()
	addr := s.Addr()

	opts, err := redis.ParseURL(s.URL())
	require.NoError(t, err)
	opts.MaxRetries = -1
	opts.DialTimeout = opDeadline
	opts.ReadTimeout = opDeadline
	opts.WriteTimeout = opDeadline
	opts.PoolSize = 2
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	key := s.KeyPrefix(t) + "counter"
	client := startLive(t, func(ctx context.Context) error {
		return c.Incr(ctx, key).Err()
	})
	client.waitSuccess(t)

	t.Run("pause", func(t *testing.T) {
		require.NoError(t, s.Pause(ctx))
		err := client.waitFailure(t)
		assert.True(t, isTimeout(err), "error while paused = %v; "+
			"want a timeout", err)
		assert.ErrorIs(t, s.Pause(ctx), ErrState, "Pause() twice")
		require.NoError(t, s.Resume(ctx))
		client.waitSuccess(t)
	})

	t.Run("kill and restart", func(t *testing.T) {
		require.NoError(t, s.Kill(ctx))
		err := client.waitFailure(t)
		assert.False(t, isTimeout(err), "error after kill = %v; "+
			"want a refusal", err)
		assert.ErrorIs(t, s.Resume(ctx), ErrState, "Resume() when killed")

		require.NoError(t, s.Restart(ctx))
		assert.Equal(t, addr, s.Addr(), "Addr() after restart")
		client.waitSuccess(t)
	})
}
