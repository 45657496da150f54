package distrib

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
)

func TestShardArithmetic(t *testing.T) {
	for n := 1; n <= 9; n++ {
		for _, ops := range []int{0, 1, 7, 100, 1001} {
			owners := make([]int, ops)
			total, rate := 0, 0.0
			for i := range n {
				s := Shard{Index: i, Count: n}
				require.NoError(t, s.Validate())
				for op := range ops {
					if s.Owns(op) {
						owners[op]++
					}
				}
				total += s.Ops(ops)
				rate += s.Rate(1234.5)
			}
			require.Equal(t, ops, total, "Ops over %d shards of %d ops", n, ops)
			for op, c := range owners {
				require.Equal(t, 1, c, "op %d owned %d times over %d shards", op, c, n)
			}
			if math.Abs(rate-1234.5) > 1e-9 {
				t.Errorf("rates over %d shards sum to %v; want 1234.5", n, rate)
			}
		}
	}
}

func TestSweepCellsCoveredOnce(t *testing.T) {
	const cells = 23
	for n := 1; n <= 30; n++ {
		seen := make([]int, cells)
		for i := range n {
			for _, c := range (Shard{i, n}).Cells(cells) {
				seen[c]++
			}
		}
		for c, k := range seen {
			if k != 1 {
				t.Fatalf("%d shards: cell %d run %d times; want 1", n, c, k)
			}
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		idx, n string
		want   Shard
		err    string
	}{
		{"", "", Whole, ""},
		{"3", "20", Shard{3, 20}, ""},
		{"20", "20", Shard{}, "want 0 <= index < count"},
		{"2", "", Shard{}, "must be set together"},
		{"x", "4", Shard{}, EnvIndex},
	}
	for _, tt := range tests {
		t.Setenv(EnvIndex, tt.idx)
		t.Setenv(EnvShards, tt.n)
		got, err := ShardFromEnv()
		if tt.err != "" {
			require.ErrorContains(t, err, tt.err, "index %q count %q", tt.idx, tt.n)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
	}
}

func validSpec() JobSpec {
	return JobSpec{
		Name: "scaletest-load", Namespace: "perf", Image: "registry.example/scaletest:1",
		Shards: 20, Binary: "/scaletest/bin/load.test",
		Args:         []string{"-test.run=^TestDistributedLoad$", "-test.v"},
		ResultsClaim: "scaletest-results", Scale: "full", CPU: "2", Memory: "4Gi",
		BackoffLimitPerIndex: 1,
	}
}

func TestJobManifestDecodesStrictly(t *testing.T) {
	job, err := Job(validSpec())
	require.NoError(t, err)
	out, err := YAML(job)
	require.NoError(t, err)

	var back batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict(out, &back), "manifest:\n%s", out)
	require.NoError(t, Validate(&back))
	require.Equal(t, int32(20), *back.Spec.Completions)
	require.Equal(t, int32(20), *back.Spec.Parallelism)
	require.Equal(t, batchv1.IndexedCompletion, *back.Spec.CompletionMode)
	c := back.Spec.Template.Spec.Containers[0]
	require.Equal(t, "/scaletest/bin/load.test", c.Command[3])
	require.Contains(t, c.Command[2], `shard-"$JOB_COMPLETION_INDEX"`)
	require.Equal(t, "4Gi", c.Resources.Requests.Memory().String())
}

func TestJobRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		name string
		edit func(*JobSpec)
		want string
	}{
		{"upper-case name", func(s *JobSpec) { s.Name = "Load_Test" }, "metadata.name"},
		{"no shards", func(s *JobSpec) { s.Shards = 0 }, "spec.completions"},
		{"no image", func(s *JobSpec) { s.Image = " " }, "image: required"},
		{"bad namespace", func(s *JobSpec) { s.Namespace = "a.b" }, "metadata.namespace"},
		{"relative results", func(s *JobSpec) { s.ResultsPath = "results" }, "mountPath"},
		{"bad quantity", func(s *JobSpec) { s.Memory = "lots" }, "memory request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSpec()
			tt.edit(&s)
			_, err := Job(s)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// The operation of the exactness test takes a fixed time that depends on
// its index in the whole schedule. Under testing/synctest time is virtual,
// so latency from the due time is exactly that time, and any split of the
// schedule must merge to the histogram of one process.
func opTime(global int64) time.Duration {
	return time.Duration(200+(global*7919)%90_000) * time.Microsecond
}

var exactSchedule = load.Constant{PerSecond: 2000, For: 5 * time.Second}

// runShard plays shard s of exactSchedule through the load driver into a
// shard directory under root.
func runShard(t *testing.T, root string, s Shard) {
	dir := filepath.Join(root, s.String())
	require.NoError(t, os.MkdirAll(dir, 0o755))
	var res *load.Result
	synctest.Test(t, func(t *testing.T) {
		op := func(ctx context.Context, _ int, j int64) error {
			time.Sleep(opTime(s.Global(j)))
			return nil
		}
		var err error
		res, err = load.Run(t.Context(), ShardSchedule(exactSchedule, s), op,
			load.Options{Workers: 1000})
		require.NoError(t, err)
	})
	require.NoError(t, WriteResult(dir, "exact", res))
	w, err := record.NewWriter(filepath.Join(dir, record.FileName))
	require.NoError(t, err)
	require.NoError(t, w.Write(record.Record{Name: "ops", Value: float64(res.Completed),
		Unit: "ops", Verdict: record.Info, Source: record.Measured}))
	bench := fmt.Sprintf("BenchmarkShard-2 \t 1\t %d ns/op\n", 1000+s.Index)
	require.NoError(t, os.WriteFile(filepath.Join(dir, BenchFile), []byte(bench), 0o644))
}

// TestShardProcessesMergeExactly runs N child processes, each with its
// own shard from the environment as a pod would have, merges their
// directories, and compares with one process running the whole schedule.
func TestShardProcessesMergeExactly(t *testing.T) {
	if root := os.Getenv("DISTRIB_CHILD_ROOT"); root != "" {
		s, err := ShardFromEnv()
		require.NoError(t, err)
		runShard(t, root, s)
		return
	}
	const n = 4
	root := t.TempDir()
	var cmds []*exec.Cmd
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^TestShardProcessesMergeExactly$")
		cmd.Env = append(os.Environ(), "DISTRIB_CHILD_ROOT="+root,
			fmt.Sprintf("%s=%d", EnvIndex, i), fmt.Sprintf("%s=%d", EnvShards, n))
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		require.NoError(t, c.Wait())
	}
	dirs, err := ShardDirs(root)
	require.NoError(t, err)
	require.Len(t, dirs, n)
	m := Merge(dirs)
	require.Empty(t, m.Problems)

	one := t.TempDir()
	runShard(t, one, Whole)
	whole := Merge([]string{filepath.Join(one, Whole.String())})
	require.Empty(t, whole.Problems)

	total := 0.0
	for _, r := range m.Records {
		total += r.Value
	}
	want, got := whole.Results["exact"], m.Results["exact"]
	require.Equal(t, float64(exactSchedule.Count()), total, "ops over the shards")
	require.Equal(t, want.Scheduled, got.Scheduled)
	require.Equal(t, want.Completed, got.Completed)
	require.InDelta(t, want.Target, got.Target, 1e-9, "shard rates add up")
	requireSameHistogram(t, want.Latency, got.Latency)
	requireSameHistogram(t, want.Service, got.Service)
	require.Equal(t, n, strings.Count(string(m.Bench), "BenchmarkShard"))

	// One verdict for the distributed run, from the merged histogram.
	outs, pass, err := m.Check("exact", load.MustParseThresholds("p99 < 100ms"))
	require.NoError(t, err)
	require.True(t, pass, "%v", outs)

	// The merged run round-trips through its own files.
	out := t.TempDir()
	require.NoError(t, m.Write(out))
	back := Merge([]string{out})
	require.Empty(t, back.Problems)
	requireSameHistogram(t, want.Latency, back.Results["exact"].Latency)
	require.Len(t, back.Records, n)
}

func requireSameHistogram(t *testing.T, want, got *load.Histogram) {
	t.Helper()
	require.Equal(t, want.Count(), got.Count(), "count")
	require.Equal(t, want.Max(), got.Max(), "max")
	require.Equal(t, want.Mean(), got.Mean(), "mean")
	for q := 0.0; q <= 1; q += 0.001 {
		w, _ := want.Quantile(q)
		g, _ := got.Quantile(q)
		require.Equal(t, w, g, "quantile %.3f", q)
	}
	wb, err := want.MarshalBinary()
	require.NoError(t, err)
	gb, err := got.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, wb, gb, "encoded histograms differ")
}

func TestMergeReportsBrokenShard(t *testing.T) {
	root := t.TempDir()
	runShard(t, root, Shard{0, 2})
	bad := filepath.Join(root, "shard-1")
	require.NoError(t, os.MkdirAll(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, record.FileName),
		[]byte(`{"name":"ops","value":`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "load-exact.json"),
		[]byte(`{"scheduled":`), 0o644))
	dirs, err := ShardDirs(root)
	require.NoError(t, err)
	m := Merge(dirs)
	require.Len(t, m.Problems, 2)
	require.ErrorContains(t, m.Problems[0], "shard-1")
	require.Len(t, m.Records, 1, "the good shard's records survive")
	require.Equal(t, exactSchedule.Count()/2, m.Results["exact"].Completed)
}

func TestShardScheduleKeepsDueTimes(t *testing.T) {
	whole := load.Constant{PerSecond: 100, For: time.Second}
	for n := 1; n <= 5; n++ {
		seen := map[time.Duration]int{}
		for i := range n {
			sh := Shard{i, n}
			s := ShardSchedule(whole, sh)
			for j := int64(0); j < s.Count(); j++ {
				at, ok := s.Start(j)
				require.True(t, ok)
				wantAt, _ := whole.Start(sh.Global(j))
				require.Equal(t, wantAt, at)
				seen[at]++
			}
			_, ok := s.Start(s.Count())
			require.False(t, ok, "past the end")
		}
		require.Len(t, seen, int(whole.Count()), "%d shards cover every due time", n)
	}
}
