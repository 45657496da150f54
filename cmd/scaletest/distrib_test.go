package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/scaletest/scaletest/harness/distrib"
	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
)

func TestK8sEmitsValidJob(t *testing.T) {
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), []string{"k8s", "-name", "load-20",
		"-image", "registry.example/scaletest:1", "-shards", "20", "-claim", "results",
		"-env", "SCALETEST_POSTGRES_URL=postgres://u:p@db:5432/load",
		"--", "-test.run=^TestDistributedLoad$"}, &out, &errb)
	require.Equal(t, exitOK, code, errb.String())
	var job batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict(out.Bytes(), &job))
	require.NoError(t, distrib.Validate(&job))
	require.Equal(t, int32(20), *job.Spec.Parallelism)
	env := job.Spec.Template.Spec.Containers[0].Env
	require.Equal(t, "SCALETEST_POSTGRES_URL", env[len(env)-1].Name)

	errb.Reset()
	code = dispatch(context.Background(), []string{"k8s", "-shards", "2"}, &out, &errb)
	require.Equal(t, exitBroken, code)
	require.Contains(t, errb.String(), "-image is required")
}

func TestMergeJudgesMergedResult(t *testing.T) {
	root := t.TempDir()
	for i, ms := range []int64{10, 30} {
		dir := filepath.Join(root, distrib.Shard{Index: i, Count: 2}.String())
		require.NoError(t, os.MkdirAll(dir, 0o755))
		r := load.NewResult(0)
		r.Scheduled, r.Completed = 100, 100
		for range 100 {
			r.Latency.Record(msDuration(ms))
			r.Service.Record(msDuration(ms))
		}
		require.NoError(t, distrib.WriteResult(dir, "steady", r))
		w, err := record.NewWriter(filepath.Join(dir, record.FileName))
		require.NoError(t, err)
		require.NoError(t, w.Write(record.Record{Name: "ops", Value: 100, Unit: "ops",
			Verdict: record.Info, Source: record.Measured}))
	}
	run := func(check string) (int, string) {
		var out, errb bytes.Buffer
		code := dispatch(context.Background(), []string{"merge", "-out",
			filepath.Join(t.TempDir(), "m"), "-check", check, root}, &out, &errb)
		return code, out.String() + errb.String()
	}
	// Half the operations took 30 ms: the merged p99 is 30 ms, although
	// one shard's p99 is 10 ms.
	code, out := run("p99 < 20ms")
	require.Equal(t, exitTargetFailed, code, out)
	require.Contains(t, out, "merged 2 shards")
	code, out = run("p99 < 40ms, errors < 0.1%")
	require.Equal(t, exitOK, code, out)
	code, out = run("p99 < soon")
	require.Equal(t, exitBroken, code, out)
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
