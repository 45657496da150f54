package dbload

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallPGSeed keeps unit tests quick.
var smallPGSeed = PGSeed{Projects: 5, Videos: 200, QueuedJobs: 300, RunningJobs: 50}

func TestPostgresOperations(t *testing.T) {
	cfg, mix, _ := setup(t)
	p := openPG(t, cfg, smallPGSeed, 4)
	ops := p.Ops()
	for _, spec := range mix.Store(Postgres) {
		op, ok := ops[spec.Name]
		require.True(t, ok, "no code for %s", spec.Name)
		for i := range int64(3) {
			require.NoError(t, op(t.Context(), 0, i), "%s #%d", spec.Name, i)
		}
	}
	assert.Len(t, ops, len(mix.Store(Postgres)), "operations beyond the mix")
	require.NoError(t, p.Check(t.Context()))

	// The video made by create_video has its render job queued.
	var jobs int
	require.NoError(t, p.Pool().QueryRow(t.Context(), `SELECT count(*) FROM jobs j
		JOIN videos v ON v.id = j.video_id
		WHERE v.title LIKE 'new video %' AND j.stage = 'render'`).Scan(&jobs))
	assert.Equal(t, 3, jobs, "render jobs of created videos")
}

func TestPostgresJobLifecycle(t *testing.T) {
	cfg, _, _ := setup(t)
	p := openPG(t, cfg, PGSeed{Projects: 1, Videos: 1}, 2)
	ctx := t.Context()
	require.NoError(t, p.createVideo(ctx, 0, 0))

	// render -> encode -> publish, the video's status following.
	for _, c := range []struct{ stage, running, after string }{
		{"render", "rendering", "encoding"},
		{"encode", "encoding", "publishing"},
		{"publish", "publishing", "published"},
	} {
		j, err := p.ClaimJob(ctx, "w")
		require.NoError(t, err)
		assert.Equal(t, c.stage, j.Stage)
		assert.Equal(t, c.running, videoStatus(t, p, j.VideoID), "after claiming %s", c.stage)
		done, err := p.CompleteJob(ctx)
		require.NoError(t, err)
		assert.Equal(t, j.ID, done.ID, "the completed job")
		assert.Equal(t, c.after, videoStatus(t, p, j.VideoID), "after completing %s", c.stage)
	}
	_, err := p.ClaimJob(ctx, "w")
	assert.ErrorIs(t, err, ErrEmpty, "claim with the queue empty")
	_, err = p.CompleteJob(ctx)
	assert.ErrorIs(t, err, ErrEmpty, "complete with nothing running")
	require.NoError(t, p.Check(ctx))
}

func videoStatus(t *testing.T, p *PGStore, id int64) string {
	t.Helper()
	var s string
	require.NoError(t, p.Pool().QueryRow(t.Context(),
		`SELECT status FROM videos WHERE id = $1`, id).Scan(&s))
	return s
}

// Claims racing on one queue each take a different job, and together
// take every job exactly once.
func TestPostgresClaimsAreExclusive(t *testing.T) {
	cfg, _, _ := setup(t)
	const jobs, workers = 400, 16
	p := openPG(t, cfg, PGSeed{Projects: 2, Videos: 50, QueuedJobs: jobs}, workers)

	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for {
				j, err := p.ClaimJob(context.WithoutCancel(t.Context()), "w")
				if errors.Is(err, ErrEmpty) {
					return
				}
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				claimed[j.ID]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, claimed, jobs, "distinct jobs claimed")
	for id, n := range claimed {
		assert.Equal(t, 1, n, "times job %d was claimed", id)
	}
	require.NoError(t, p.Check(t.Context()))
}

func pgWorkload(t *testing.T, pool int) (*Workload, *PGStore, Plan) {
	return pgWorkloadSeeded(t, pool, DefaultPGSeed)
}

func pgWorkloadSeeded(t *testing.T, pool int, seed PGSeed) (*Workload, *PGStore, Plan) {
	cfg, mix, plan := setup(t)
	p := openPG(t, cfg, seed, pool)
	return &Workload{Store: Postgres, Mix: mix, Config: cfg, Ops: p.Ops()}, p, plan
}

// The workload at the platform's peak times the headroom, for the
// scale's duration.
func TestPostgresHoldsPeak(t *testing.T) {
	_, _, plan := setup(t)
	w, p, _ := pgWorkload(t, plan.PoolSize)
	steady(t, w, plan, p)
}

func TestPostgresCompressedDay(t *testing.T) {
	_, _, plan := setup(t)
	w, p, _ := pgWorkload(t, plan.PoolSize)
	day(t, w, plan, p)
}

func TestPostgresKnee(t *testing.T) {
	_, _, plan := setup(t)
	w, p, _ := pgWorkload(t, plan.PoolSize)
	knee(t, w, plan, p)
}

// sweepClaimsPerSecond bounds the closed-loop claim rate the sweep's seed
// is sized for: each claim takes a queued job, and an empty queue would
// turn the sweep's last levels into errors instead of throughput.
const sweepClaimsPerSecond = 5000

func TestPostgresConcurrencySweep(t *testing.T) {
	_, _, plan := setup(t)
	seed := DefaultPGSeed
	need := int(sweepClaimsPerSecond * plan.SweepStep.Seconds() * float64(len(plan.SweepLevels)))
	seed.QueuedJobs = max(seed.QueuedJobs, need)
	w, p, _ := pgWorkloadSeeded(t, plan.PoolSize, seed)
	for _, name := range []string{"claim_job", "dashboard"} {
		sweep(t, Postgres, name, w.Ops[name], plan)
	}
	require.NoError(t, p.Check(t.Context()))
}
