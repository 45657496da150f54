package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/scaletest/scaletest/harness/distrib"
)

const k8sUsage = `usage: scaletest k8s [flags] [-- test-binary-args...]

Prints a Kubernetes Indexed Job (batch/v1) that runs a compiled test
binary on -shards pods. Each pod takes its shard from JOB_COMPLETION_INDEX
(its share of the arrival rate, or its cells of a sweep) and writes its
results to <results>/shard-<index>; scaletest merge turns those
directories into one verdict. Build the image with
deploy/runner.Dockerfile. Apply the output with kubectl apply -f -.

Flags:
`

func cmdK8s(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest k8s", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var spec distrib.JobSpec
	fs.StringVar(&spec.Name, "name", "scaletest", "Job `name` (a DNS-1123 subdomain)")
	fs.StringVar(&spec.Namespace, "namespace", "", "`namespace` (default: kubectl's)")
	fs.StringVar(&spec.Image, "image", "", "runner `image` (required)")
	fs.IntVar(&spec.Shards, "shards", 1, "`pods`, one shard each")
	fs.StringVar(&spec.Binary, "binary", "/scaletest/bin/performance-dbload.test",
		"test binary `path` inside the image")
	fs.StringVar(&spec.ResultsClaim, "claim", "",
		"PersistentVolumeClaim `name` for the results (default: an emptyDir)")
	fs.StringVar(&spec.ResultsPath, "results", "/results", "results `path` in the pod")
	fs.StringVar(&spec.Scale, "scale", "full", "`scale` of each shard: short, local or full")
	fs.StringVar(&spec.CPU, "cpu", "", "CPU request per pod (a Kubernetes `quantity`)")
	fs.StringVar(&spec.Memory, "memory", "", "memory request per pod (a Kubernetes `quantity`)")
	backoff := fs.Int("retries", 0, "`times` a failed shard is retried")
	fs.Func("env", "`NAME=VALUE` for every pod (repeatable), such as "+
		"SCALETEST_POSTGRES_URL=postgres://...", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return fmt.Errorf("want NAME=VALUE, got %q", v)
		}
		spec.Env = append(spec.Env, corev1.EnvVar{Name: name, Value: value})
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, k8sUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	spec.Args = fs.Args()
	spec.BackoffLimitPerIndex = int32(*backoff)
	if spec.Image == "" {
		fmt.Fprintln(stderr, "scaletest k8s: -image is required")
		return exitBroken
	}
	job, err := distrib.Job(spec)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest k8s: %v\n", err)
		return exitBroken
	}
	out, err := distrib.YAML(job)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest k8s: %v\n", err)
		return exitBroken
	}
	if _, err := stdout.Write(out); err != nil {
		return exitBroken
	}
	return exitOK
}
