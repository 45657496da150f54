package dbload

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/distrib"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/services"
)

// distributedShards is the number of local processes the test splits the
// PostgreSQL workload into.
const distributedShards = 2

// TestDistributedLoad is the entry point of a distributed run: in a pod of
// the Indexed Job that scaletest k8s emits (JOB_COMPLETION_INDEX and
// SCALETEST_SHARDS set, SCALETEST_POSTGRES_URL naming the server under
// test) it runs its shard of the steady PostgreSQL workload in a database
// of its own on that server and writes its load results for scaletest
// merge. Run plainly, it plays the pods itself: child processes run the
// shards against this test's server, and the merged result must hold
// every operation of the whole schedule once.
func TestDistributedLoad(t *testing.T) {
	sh, err := distrib.ShardFromEnv()
	require.NoError(t, err)
	if sh.Count > 1 {
		runPGShard(t, sh)
		return
	}

	svc := services.Postgres(t)
	server, err := svc.Direct(svc.URL())
	require.NoError(t, err)
	root := t.TempDir()
	var cmds []*exec.Cmd
	for i := range distributedShards {
		args := []string{"-test.run=^TestDistributedLoad$"}
		if testing.Short() {
			args = append(args, "-test.short")
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(),
			services.EnvPostgresURL+"="+server,
			fmt.Sprintf("%s=%d", distrib.EnvIndex, i),
			fmt.Sprintf("%s=%d", distrib.EnvShards, distributedShards),
			record.EnvResults+"="+filepath.Join(root, fmt.Sprintf("shard-%d", i)))
		out, err := os.Create(filepath.Join(root, fmt.Sprintf("shard-%d.log", i)))
		require.NoError(t, err)
		t.Cleanup(func() { out.Close() })
		cmd.Stdout, cmd.Stderr = out, out
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		cmds = append(cmds, cmd)
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			log, _ := os.ReadFile(filepath.Join(root, fmt.Sprintf("shard-%d.log", i)))
			t.Fatalf("shard %d: %v\n%s", i, err, log)
		}
	}

	dirs, err := distrib.ShardDirs(root)
	require.NoError(t, err)
	m := distrib.Merge(dirs)
	require.Empty(t, m.Problems)

	// Every operation of the whole schedule ran once, in one shard or
	// the other.
	cfg, mix, plan := setup(t)
	for _, r := range mix.Rates(cfg, Postgres, plan.SteadyVideosPerSecond()) {
		whole := load.Constant{PerSecond: r.PerSecond, For: plan.Duration}
		got, ok := m.Results["postgres."+r.Op.Name]
		require.True(t, ok, "no merged result for %s", r.Op.Name)
		require.Equal(t, whole.Count(), got.Scheduled, "%s scheduled over the shards",
			r.Op.Name)
		require.Equal(t, got.Scheduled, got.Completed+got.Dropped, r.Op.Name)
	}
	total := m.Results["postgres"]
	require.NotNil(t, total)
	slo, err := load.ParseThresholds(mix.RunSLO...)
	require.NoError(t, err)
	outs, pass, err := m.Check("postgres", slo)
	require.NoError(t, err)
	t.Logf("merged over %d shards: %v; run thresholds pass=%v %v",
		len(dirs), total.Summary(), pass, outs)
}

// runPGShard runs shard sh of the steady PostgreSQL workload and writes
// its results to the records directory.
func runPGShard(t *testing.T, sh distrib.Shard) {
	cfg, mix, plan := setup(t)
	// The shards share one server: each takes its share of the
	// connections a single process would open, so N shards stay within
	// the server's max_connections as one process does.
	pool := max(4, plan.PoolSize/sh.Count)
	p := openPG(t, cfg, smallPGSeed, pool)
	w := &Workload{Store: Postgres, Mix: mix, Config: cfg, Ops: p.Ops(), Shard: sh}
	rep, err := w.Run(t.Context(), plan.SteadyVideosPerSecond(), plan.Duration)
	require.NoError(t, err)
	requireSound(t, rep)
	require.NoError(t, p.Check(t.Context()))

	dir := record.Dir()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, distrib.WriteResult(dir, "postgres", rep.Total))
	for _, or := range rep.Ops {
		require.NoError(t, distrib.WriteResult(dir, "postgres."+or.Spec.Name, or.Result))
	}
	t.Logf("%s: %v", sh, rep)
}
