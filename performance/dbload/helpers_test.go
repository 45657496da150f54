package dbload

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/services"
	"github.com/scaletest/scaletest/harness/targets"
)

// setup returns the configuration, the mix and the plan of this scale.
func setup(t testing.TB) (*targets.Config, *Mix, Plan) {
	t.Helper()
	cfg, err := targets.LoadDefault()
	require.NoError(t, err)
	mix, err := DefaultMix()
	require.NoError(t, err)
	sc, err := targets.CurrentScale()
	require.NoError(t, err)
	return cfg, mix, PlanFor(cfg, sc)
}

// openPG returns a seeded PostgreSQL store in a fresh database. It
// connects straight to the server: the services proxy, which runs in this
// process, is test machinery, not part of the architecture measured.
func openPG(t testing.TB, cfg *targets.Config, seed PGSeed, pool int) *PGStore {
	t.Helper()
	svc := services.Postgres(t)
	url, err := svc.Direct(svc.Database(t))
	require.NoError(t, err)
	p, err := OpenPostgres(t.Context(), url, int32(pool))
	require.NoError(t, err)
	t.Cleanup(p.Close)
	require.NoError(t, p.Setup(t.Context(), cfg, seed))
	return p
}

// openRedis returns a seeded Redis store under the test's key prefix,
// connected straight to the server as openPG is.
func openRedis(t testing.TB, seed RedisSeed, pool int) *RedisStore {
	t.Helper()
	svc := services.Redis(t)
	url, err := svc.Direct(svc.URL())
	require.NoError(t, err)
	r, err := OpenRedis(t.Context(), url, svc.KeyPrefix(t), pool)
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	require.NoError(t, r.Setup(t.Context(), seed))
	return r
}

// emit writes records.
func emit(t testing.TB, rs ...record.Record) {
	t.Helper()
	for _, r := range rs {
		record.Emit(t, r)
	}
}

// checker verifies a store's bookkeeping after a run.
type checker interface{ Check(context.Context) error }

// requireSound fails the test on broken behaviour in a report: errors
// of any class but cancellation at the end of an overloaded step.
func requireSound(t testing.TB, rep *Report) {
	t.Helper()
	for _, or := range rep.Ops {
		for class, n := range or.Result.ErrorClasses {
			if class == "canceled" {
				continue
			}
			t.Errorf("%s: %d errors of class %q", or.Spec.Name, n, class)
		}
		require.Positive(t, or.Result.Completed, "%s completed nothing", or.Spec.Name)
	}
}

// steady runs a store's workload at the plan's steady rate, records it,
// and fails only on broken behaviour.
func steady(t *testing.T, w *Workload, p Plan, c checker) {
	t.Helper()
	rep, err := w.Run(t.Context(), p.SteadyVideosPerSecond(), p.Duration)
	require.NoError(t, err)
	t.Logf("%v", rep)
	requireSound(t, rep)
	require.NoError(t, c.Check(t.Context()))
	emit(t, RateAtSLORecord(rep))
	emit(t, OpRecords(rep)...)
}

// day plays a peak weekday compressed into the scale's duration: the
// hourly shape at the peak weekday's mean rate times the headroom, so its
// busiest hour is the steady run's rate.
func day(t *testing.T, w *Workload, p Plan, c checker) {
	t.Helper()
	w.Shape = w.Config.Workload.HourlyShape
	defer func() { w.Shape = nil }()
	mean := p.SteadyVideosPerSecond() / slices.Max(w.Shape) * mean(w.Shape)
	rep, err := w.Run(t.Context(), mean, p.Duration)
	require.NoError(t, err)
	t.Logf("compressed day: %v", rep)
	requireSound(t, rep)
	require.NoError(t, c.Check(t.Context()))
	r := RateAtSLORecord(rep)
	r.Name = "dbload/" + string(w.Store) + "/day-at-slo"
	emit(t, r)
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// knee searches a store's knee from the steady rate and records it.
func knee(t *testing.T, w *Workload, p Plan, c checker) {
	t.Helper()
	runSLO, err := load.ParseThresholds(w.Mix.RunSLO...)
	require.NoError(t, err)
	w.Options.MaxBehind = p.KneeStep
	k, reps, err := w.Knee(t.Context(), load.KneeSearch{
		Start: p.SteadyVideosPerSecond(), Factor: 2,
		Max: 1000 * p.PeakVideosPerSecond, Refine: 2, Step: p.KneeStep,
		Thresholds: runSLO,
	})
	require.NoError(t, err)
	for _, rep := range reps {
		t.Logf("%v", rep)
		requireSound(t, rep)
	}
	require.NoError(t, c.Check(t.Context()))
	perVideo := w.Mix.OpsPerVideo(w.Config, w.Store)
	t.Logf("%s knee: %.4g videos/s = %.0f ops/s (bounded %v); peak %.3g videos/s",
		w.Store, k.Rate, k.Rate*perVideo, k.Bounded, p.PeakVideosPerSecond)
	emit(t, KneeRecords(w.Store, k, perVideo, p.PeakVideosPerSecond)...)
}

// sweep runs op in a closed loop at the plan's concurrency levels and
// records the points.
func sweep(t *testing.T, s Store, name string, op load.Op, p Plan) {
	t.Helper()
	pts, err := load.Sweep(t.Context(), p.SweepLevels, p.SweepStep, op)
	require.NoError(t, err)
	for _, pt := range pts {
		require.Zero(t, pt.Result.Errors, "%s at concurrency %d: errors %v", name,
			pt.Concurrency, pt.Result.ErrorClasses)
		t.Logf("%s/%s concurrency %d: %.0f ops/s", s, name, pt.Concurrency, pt.Throughput)
	}
	emit(t, USLRecords(s, name, pts)...)
}
