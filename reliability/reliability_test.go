package reliability

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/harness/services"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/reliability/pipeline"
)

func TestMain(m *testing.M) {
	pipeline.SilenceRedisLog()
	os.Exit(services.Main(m))
}

// experimentTimeout bounds one experiment end to end: set-up, a load of
// the scale's duration, the faults, the drain and the audit.
const experimentTimeout = 3 * time.Minute

// scenario is one fault schedule run against the pipeline.
type scenario struct {
	// schedule is a file in testdata/schedules, or an absolute path.
	schedule string
	variant  pipeline.Variant
	// ownPostgres and ownRedis ask for servers of the test's own, for
	// schedules that kill, pause or restart them.
	ownPostgres, ownRedis bool
	// redisConf are configuration directives of the test's own Redis.
	redisConf []string
	// label names the run in records; the schedule's name by default.
	label string
}

// runScenario runs sc at the current scale's peak load, logs and records
// its figures and returns its outcome. It fails t if the experiment could
// not run or a fault could not be applied; lost jobs are for the caller
// to judge.
func runScenario(t *testing.T, sc scenario) *Outcome {
	t.Helper()
	cfg, err := targets.LoadDefault()
	require.NoError(t, err)
	scale, err := targets.CurrentScale()
	require.NoError(t, err)
	path := sc.schedule
	if !filepath.IsAbs(path) {
		path = filepath.Join("testdata", "schedules", path)
	}
	sched, err := fault.Load(path)
	require.NoError(t, err)

	env := Env{Services: map[string]fault.Service{}}
	pg := services.Postgres
	if sc.ownPostgres {
		pg = services.NewPostgres
	}
	pgs := pg(t)
	if sc.ownPostgres {
		env.Services[ServerPostgres] = pgs
	}
	var rs *services.Service
	switch {
	case sc.redisConf != nil:
		rs = services.NewRedisConfig(t, sc.redisConf...)
	case sc.ownRedis:
		rs = services.NewRedis(t)
	default:
		rs = services.Redis(t)
	}
	if sc.ownRedis || sc.redisConf != nil {
		env.Services[ServerRedis] = rs
	}
	env.PostgresURL = pgs.Database(t)
	env.RedisURL = rs.URL()
	env.StreamKey = rs.KeyPrefix(t) + "jobs"

	label := sc.label
	if label == "" {
		label = sched.Name
	}
	if sc.variant != "" && sc.variant != pipeline.Reference {
		label += " (variant " + string(sc.variant) + ")"
	}
	ctx, cancel := context.WithTimeout(t.Context(), experimentTimeout)
	defer cancel()
	e := Experiment{Name: label, Load: PeakLoad(cfg, scale), Schedule: sched,
		Pipeline: pipeline.Config{Variant: sc.variant},
		Log:      services.Logger(t)}
	if !testing.Verbose() {
		e.Log = nil
	}
	out, err := e.Run(ctx, env)
	require.NoError(t, err)
	logOutcome(t, out)
	Emit(t, cfg.Targets.Reliability, out)

	require.NoError(t, out.FaultErr, "every fault applied and removed")
	assert.Equal(t, len(sched.Faults), total(out.Faults.Injected()),
		"faults injected")
	return out
}

func total(m map[fault.Kind]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// logOutcome writes the figures of o to the test log.
func logOutcome(t *testing.T, o *Outcome) {
	t.Helper()
	a := o.Audit
	t.Logf("%s: %d jobs scheduled, %d acknowledged, %d created, %d done, "+
		"%d lost %v, %d duplicates absorbed; availability %.4f (submit "+
		"%.4f); drained in %v", o.Name, a.Scheduled, a.Acknowledged,
		a.Created, a.Done, a.Lost, a.LostIDs, a.Duplicates, o.Availability,
		o.SubmitAvailability, o.DrainTook.Round(time.Millisecond))
	for _, r := range o.Recovery {
		t.Logf("  %s: took effect %v after its time, lasted %v; %d of %d "+
			"jobs failed during it; first success %v and steady %v after "+
			"its end", r.Fault.Fault, r.Fault.Start.Sub(o.Faults.Started.Add(
			r.Fault.Fault.At)).Round(time.Millisecond),
			r.Fault.End.Sub(r.Fault.Began).Round(time.Millisecond), r.Failed,
			r.Jobs,
			r.FirstSuccess.Round(time.Millisecond),
			r.Steady.Round(time.Millisecond))
	}
	for _, l := range o.StreamLoss {
		t.Logf("  stream: %s with %s lost %d of %d acknowledged entries "+
			"(the last %v)", l.Fault.Fault, l.Persistence, l.Lost, l.Acked,
			l.Window.Round(time.Millisecond))
	}
	t.Logf("  pipeline: %+v", o.Stats)
}

// requireNoLoss fails t when the audit found lost jobs.
func requireNoLoss(t *testing.T, o *Outcome) {
	t.Helper()
	require.Zero(t, o.Audit.Lost, "lost jobs (first: %v); every job "+
		"created must be done", o.Audit.LostIDs)
	require.True(t, o.Drained, "every job done within %v",
		o.Experiment.DrainTimeout)
	require.Equal(t, o.Audit.Created, o.Audit.Done)
}

// TestNetworkFaults runs each network fault against both services' links.
func TestNetworkFaults(t *testing.T) {
	for _, file := range []string{"latency.yaml", "bandwidth.yaml",
		"timeout.yaml", "reset-peer.yaml", "slicer.yaml", "limit-data.yaml",
		"partition-redis.yaml", "partition-postgres.yaml"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			requireNoLoss(t, runScenario(t, scenario{schedule: file}))
		})
	}
}

// TestServiceFaults kills, pauses and restarts servers of the test's own.
// TestRedisPersistence kills Redis.
func TestServiceFaults(t *testing.T) {
	for _, sc := range []scenario{
		{schedule: "kill-postgres.yaml", ownPostgres: true},
		{schedule: "pause-postgres.yaml", ownPostgres: true},
		{schedule: "restart-postgres.yaml", ownPostgres: true},
		{schedule: "pause-redis.yaml", ownRedis: true},
		{schedule: "restart-redis.yaml", ownRedis: true},
	} {
		t.Run(sc.schedule, func(t *testing.T) {
			t.Parallel()
			requireNoLoss(t, runScenario(t, sc))
		})
	}
}

// TestWorkerCrash crashes workers mid-job.
func TestWorkerCrash(t *testing.T) {
	t.Parallel()
	requireNoLoss(t, runScenario(t, scenario{schedule: "crash-workers.yaml"}))
}

// TestRedisPersistence kills Redis under load with each persistence
// setting, measures what the stream lost, and checks that the pipeline
// lost nothing all the same. A kill -9 loses what Redis had not written
// to its file; the fsync policy matters only for a crash of the machine,
// which this does not simulate.
func TestRedisPersistence(t *testing.T) {
	for _, tt := range []struct {
		name string
		conf []string
		// check judges the stream loss the setting allows.
		check func(t *testing.T, l StreamLoss)
	}{
		{"appendonly no", []string{"appendonly no", `save ""`},
			func(t *testing.T, l StreamLoss) {
				assert.Equal(t, l.Acked, l.Lost, "no persistence keeps nothing")
			}},
		{"appendonly everysec", []string{"appendonly yes",
			"appendfsync everysec", `save ""`}, nil},
		{"appendonly always", []string{"appendonly yes",
			"appendfsync always", `save ""`},
			func(t *testing.T, l StreamLoss) {
				assert.Zero(t, l.Lost, "appendfsync always keeps every "+
					"acknowledged entry")
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := runScenario(t, scenario{schedule: "kill-redis.yaml",
				redisConf: tt.conf, label: "kill redis (" + tt.name + ")"})
			requireNoLoss(t, o)
			require.Len(t, o.StreamLoss, 1)
			l := o.StreamLoss[0]
			require.Positive(t, l.Acked, "entries written before the kill")
			if tt.check != nil {
				tt.check(t, l)
			}
		})
	}
}

// TestVariantsLoseJobs runs the broken variants under the same schedules
// as the reference and checks that the audit finds the jobs they lose.
func TestVariantsLoseJobs(t *testing.T) {
	for _, sc := range []scenario{
		{schedule: "partition-redis.yaml", variant: pipeline.NoOutbox},
		{schedule: "crash-workers.yaml", variant: pipeline.NoReclaim},
	} {
		t.Run(string(sc.variant), func(t *testing.T) {
			t.Parallel()
			o := runScenario(t, sc)
			require.Positive(t, o.Audit.Lost, "variant %s lost no job under "+
				"%s: the audit or the schedule is too weak", sc.variant,
				sc.schedule)
			assert.False(t, o.Drained)
		})
	}
}

// EnvSchedule names a fault schedule of the user's to run with
// TestUserSchedule.
const EnvSchedule = "SCALETEST_FAULT_SCHEDULE"

// TestUserSchedule runs the schedule file named by SCALETEST_FAULT_SCHEDULE
// against the reference pipeline, with servers of its own that the
// schedule may kill, pause and restart.
func TestUserSchedule(t *testing.T) {
	path := os.Getenv(EnvSchedule)
	if path == "" {
		t.Skipf("no user schedule: set %s to a schedule file (see "+
			"reliability/testdata/schedules for examples)", EnvSchedule)
	}
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	requireNoLoss(t, runScenario(t, scenario{schedule: abs,
		ownPostgres: true, ownRedis: true}))
}
