package pipeline

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/services"
)

func TestMain(m *testing.M) {
	SilenceRedisLog()
	os.Exit(services.Main(m))
}

// start runs a pipeline with cfg on the shared services, in a database and
// under a key prefix of t's own; it stops with t.
func start(t *testing.T, cfg Config) (*Pipeline, *pgxpool.Pool) {
	t.Helper()
	pg, rs := services.Postgres(t), services.Redis(t)
	db, err := OpenPostgres(t.Context(), pg.Database(t), time.Second)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	require.NoError(t, Migrate(t.Context(), db))
	rdb, err := OpenRedis(rs.URL(), time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { rdb.Close() })

	cfg.Stream = rs.KeyPrefix(t) + "jobs"
	p, err := New(db, rdb, cfg, services.Logger(t))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); p.Stop() })
	require.NoError(t, p.Start(ctx))
	return p, db
}

// count returns the number of rows of a query such as "SELECT count(*)".
func count(t *testing.T, db *pgxpool.Pool, q string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(t.Context(), q).Scan(&n))
	return n
}

// waitDone waits, at most 10 s, until every job has a result.
func waitDone(t *testing.T, db *pgxpool.Pool, jobs int) {
	t.Helper()
	require.Eventually(t, func() bool {
		return count(t, db, "SELECT count(*) FROM results") == jobs
	}, 10*time.Second, 20*time.Millisecond, "all %d jobs done", jobs)
}

func TestEveryJobDoneOnce(t *testing.T) {
	t.Parallel()
	p, db := start(t, Config{})
	const jobs = 40
	for i := range jobs {
		require.NoError(t, p.Submit(t.Context(), fmt.Sprintf("job-%03d", i)))
	}
	// Submitting again is harmless.
	require.NoError(t, p.Submit(t.Context(), "job-000"))
	waitDone(t, db, jobs)

	assert.Equal(t, jobs, count(t, db, "SELECT count(*) FROM jobs"))
	assert.Equal(t, 0, count(t, db,
		"SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
	assert.Equal(t, 0, count(t, db,
		"SELECT count(*) FROM jobs WHERE done_at IS NULL"))
	st := p.Stats()
	assert.Equal(t, int64(jobs), st.Results)
	assert.Equal(t, int64(0), st.Duplicates)
	assert.Equal(t, int64(jobs+1), st.SubmitCalls)
	assert.GreaterOrEqual(t, len(p.Published()), jobs)
}

// TestCrashedWorkersJobIsTakenOver crashes a worker mid-job and checks that
// its job is still done, by another worker, once its lease expires.
func TestCrashedWorkersJobIsTakenOver(t *testing.T) {
	t.Parallel()
	p, db := start(t, Config{Workers: 2})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	crashed := make(chan error, 1)
	go func() { crashed <- p.Crash(ctx, 1) }()

	// Feed jobs until a worker has died on one.
	jobs := 0
	for done := false; !done; {
		require.NoError(t, p.Submit(ctx, fmt.Sprintf("job-%03d", jobs)))
		jobs++
		select {
		case err := <-crashed:
			require.NoError(t, err)
			done = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	assert.Equal(t, 1, p.Alive())
	waitDone(t, db, jobs)
	st := p.Stats()
	assert.Equal(t, int64(1), st.Crashes)
	assert.Positive(t, st.Reclaimed+st.Reannounced,
		"the crashed job came back by reclaim or sweep")

	require.NoError(t, p.Respawn(ctx, 1))
	assert.Equal(t, 2, p.Alive())
}

func TestConfigErrors(t *testing.T) {
	_, err := New(nil, nil, Config{Variant: "fast", Workers: -1,
		Lease: 2 * time.Second, ReclaimIdle: time.Second}, nil)
	require.Error(t, err)
	for _, want := range []string{`variant "fast"`, "workers = -1",
		"reclaim idle 1s is below the lease 2s"} {
		assert.ErrorContains(t, err, want)
	}
}

// TestLateResultIsAbsorbed lets the first execution of a job outlive its
// lease, so that another worker takes the job over and does it again: the
// second result must be absorbed by the idempotency key and counted.
func TestLateResultIsAbsorbed(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	p, db := start(t, Config{Workers: 2, Lease: 200 * time.Millisecond,
		ReclaimIdle:  300 * time.Millisecond,
		ReclaimEvery: 50 * time.Millisecond,
		Work: func(ctx context.Context, id string) (string, error) {
			d := 10 * time.Millisecond
			if calls.Add(1) == 1 {
				d = time.Second // outlives the lease
			}
			select {
			case <-time.After(d):
				return "out " + id, nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}})
	require.NoError(t, p.Submit(t.Context(), "slow"))
	waitDone(t, db, 1)
	require.Eventually(t, func() bool { return p.Stats().Duplicates == 1 },
		5*time.Second, 20*time.Millisecond, "the late result was counted")

	st := p.Stats()
	assert.Equal(t, int64(1), st.Results)
	assert.Equal(t, int64(2), st.Executions)
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM results"))
}
