package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/report"
	"github.com/scaletest/scaletest/harness/scorecard"
	"github.com/scaletest/scaletest/harness/targets"
)

// fixtureResult is what a scaletest run over the fixture module left.
type fixtureResult struct {
	code           int
	stdout, stderr string
	run            *report.Run // the run directory read back
	dir            string      // the run directory
}

// runFixture runs scaletest run over the fixture module with args.
func runFixture(t *testing.T, args ...string) fixtureResult {
	t.Helper()
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	all := append([]string{"run", "-dir", "testdata/fixture", "-out", out,
		"-config", "testdata/fixture/scale.yaml", "-scale", "short", "-timeout", "3m"}, args...)
	code := dispatch(t.Context(), all, &stdout, &stderr)
	ids, err := report.ListRuns(os.DirFS(out))
	require.NoError(t, err)
	require.Len(t, ids, 1, "one run directory; stderr:\n%s", stderr.String())
	run := report.LoadRun(os.DirFS(out), ids[0], targets.Default())
	t.Logf("stderr of scaletest run:\n%s", stderr.String())
	return fixtureResult{code, stdout.String(), stderr.String(), run,
		filepath.Join(out, ids[0])}
}

// TestRunFixture runs every stage, with benchmarks, over a module whose
// packages pass, skip, fail, fail to build, have no tests or are absent.
func TestRunFixture(t *testing.T) {
	res := runFixture(t, "-bench", "-benchtime", "20x", "-count", "2")
	code, stdout, stderr, run := res.code, res.stdout, res.stderr, res.run
	require.Equal(t, exitTargetFailed, code, "cluster fails")
	require.Empty(t, run.Problems)
	m := run.Manifest
	require.NotNil(t, m)
	assert.Equal(t, "short", m.Scale)
	assert.Equal(t, record.Fail, m.Verdict)
	assert.Equal(t, exitTargetFailed, m.ExitCode)
	assert.True(t, m.Bench)

	// Every package and absent category, in stage order.
	status := make(map[string]scorecard.Package)
	var paths []string
	for _, p := range m.Packages {
		status[p.Path] = p
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{"performance/encode", "performance/helpers", "scalability",
		"costanalysis", "reliability", "youtubeapi", "simulation"}, paths)
	tests := []struct {
		path   string
		status scorecard.Status
	}{
		{"performance/encode", scorecard.Passed},
		{"performance/helpers", scorecard.NoTests},
		{"scalability", scorecard.Passed},
		{"costanalysis", scorecard.Failed},
		{"reliability", scorecard.Skipped},
		{"youtubeapi", scorecard.Failed},
		{"simulation", scorecard.NotPresent},
	}
	for _, tt := range tests {
		if got := status[tt.path].Status; got != tt.status {
			t.Errorf("status of %s = %s; want %s", tt.path, got, tt.status)
		}
	}
	enc := status["performance/encode"]
	assert.Equal(t, 5, enc.Tests, "TestRTF, its two subtests, TestScaleSeen, TestGPU")
	assert.Equal(t, []scorecard.Skip{{Test: "TestGPU",
		Reason: "no NVIDIA driver: run with -gpu on a GPU machine"}}, enc.Skips)
	assert.Equal(t, scorecard.Passed, enc.Bench)
	assert.Equal(t, []string{"TestOptimizer"}, status["costanalysis"].Failures)
	assert.Contains(t, status["youtubeapi"].Detail, "build failed")
	assert.Contains(t, status["youtubeapi"].Detail, "cannot use \"not a number\"")
	// go test -bench fails every package of a pass when one does not build.
	assert.Equal(t, scorecard.Failed, status["scalability"].Bench)
	assert.Contains(t, status["scalability"].Detail, "build of youtubeapi failed")

	// The records the tests wrote, stamped with the scale.
	require.Len(t, run.Records, 3)
	for _, r := range run.Records {
		assert.Equal(t, "short", r.Scale, r.Name)
	}
	rows := make(map[string]scorecard.Row)
	for _, r := range run.Scorecard.Rows {
		rows[r.ID] = r
	}
	assert.Equal(t, record.Pass, rows["speed"].Verdict)
	assert.Equal(t, record.Fail, rows["cluster"].Verdict)
	assert.Contains(t, rows["cost"].Reason, "costanalysis failed: TestOptimizer")
	assert.Contains(t, rows["reliability"].Reason,
		"reliability skipped: TestPeakFaults: no PostgreSQL")
	assert.Contains(t, rows["youtube"].Reason, "youtubeapi failed: build failed")
	assert.Contains(t, rows["volume"].Reason, "simulation is not present in this tree")

	// Benchmarks: benchstat-readable, unit metadata kept, twice (-count 2).
	require.NotEmpty(t, run.Bench)
	var videos *report.BenchSeries
	for i := range run.Bench {
		if run.Bench[i].Unit == "videos/s" {
			videos = &run.Bench[i]
		}
	}
	require.NotNil(t, videos, "videos/s series in bench.txt")
	assert.Equal(t, []float64{9.5, 9.5}, videos.Values)
	assert.Equal(t, 1, videos.Better)

	// Stages: measure and model, each with its benchmark pass.
	var names []string
	for _, s := range m.Stages {
		names = append(names, s.Name)
		assert.Empty(t, s.Error, s.Name)
	}
	assert.Equal(t, []string{"measure", "measure-bench", "model", "model-bench"}, names)

	// The files of the run directory.
	for _, f := range []string{report.ManifestFile, report.ConfigFile, report.RecordsFile,
		report.BenchFile, report.TestLogFile, report.SummaryFile, report.ReportFile} {
		assert.Contains(t, run.Files, f)
	}

	// test.log is the raw go test -json stream of every pass.
	log, err := os.Open(filepath.Join(res.dir, report.TestLogFile))
	require.NoError(t, err)
	t.Cleanup(func() { log.Close() })
	lines := 0
	for sc := bufio.NewScanner(log); sc.Scan(); lines++ {
		var ev event
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev), "test.log line %d", lines+1)
	}
	assert.Greater(t, lines, 50)

	// What a person saw.
	assert.Contains(t, stdout, "| cluster |")
	assert.Contains(t, stdout, "gpus-needed = 1240 GPUs")
	for _, want := range []string{
		"== stage 1/3 measure: go test -json -count=1 -timeout=3m0s -short ./performance/...",
		"ok    performance/encode", "none  performance/helpers",
		"FAIL  costanalysis", "skip  reliability", "FAIL  youtubeapi",
		"simulation                   not present in this tree",
		"exit 1 (a target fails)",
	} {
		assert.Contains(t, stderr, want)
	}
}

func TestRunOnly(t *testing.T) {
	res := runFixture(t, "-only", "reliability", "-p", "1")
	run := res.run
	require.Equal(t, exitNotMeasured, res.code, "no failure, targets not measured")
	m := run.Manifest
	assert.Equal(t, []string{"reliability"}, m.Categories)
	require.Len(t, m.Stages, 1)
	assert.Contains(t, m.Stages[0].Command, "-p=1")
	var got []string
	for _, p := range m.Packages {
		got = append(got, p.Path+" "+string(p.Status))
	}
	assert.Equal(t, []string{"performance not-selected", "scalability not-selected",
		"costanalysis not-selected", "reliability skipped", "youtubeapi not-selected",
		"simulation not-selected"}, got)
	for _, r := range run.Scorecard.Rows {
		if r.ID == "speed" {
			assert.Contains(t, r.Reason, "performance was not selected for this run (-only)")
		}
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "usage: scaletest <command>"},
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"run", "-scale", "huge"}, `-scale "huge": want short, local or full`},
		{[]string{"run", "-only", "performance,nope"}, `-only "nope": unknown category`},
		{[]string{"run", "-count", "0"}, "-count 0: want at least 1"},
		{[]string{"run", "-p", "-2"}, "-p -2: want 1 or more"},
		{[]string{"run", "extra"}, "run takes no arguments"},
		{[]string{"run", "-dir", "testdata"}, "no go.mod"},
		{[]string{"run", "-dir", "testdata/fixture", "-config", "testdata/missing.yaml"},
			"read config"},
		{[]string{"run", "-bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := dispatch(t.Context(), tt.args, &stdout, &stderr)
		if code != exitBroken {
			t.Errorf("scaletest %q = exit %d; want %d", tt.args, code, exitBroken)
		}
		assert.Contains(t, stderr.String(), tt.want, "scaletest %q", tt.args)
	}
}

func TestExitCode(t *testing.T) {
	cfg := targets.Default()
	all := func(v record.Verdict) []record.Record {
		var recs []record.Record
		for _, id := range scorecard.IDs {
			recs = append(recs, record.Record{Target: id, Name: id, Unit: "u",
				Verdict: v, Source: record.Measured})
		}
		return recs
	}
	passed := []scorecard.Package{{Path: "performance", Status: scorecard.Passed}}
	failed := []scorecard.Package{{Path: "performance", Status: scorecard.Failed}}
	unfinished := []scorecard.Package{{Path: "performance", Status: scorecard.NotFinished}}
	benchFailed := []scorecard.Package{{Path: "performance", Status: scorecard.Passed,
		Bench: scorecard.Failed}}
	stageErr := []report.Stage{{Name: "measure", Error: "go test exited 2"}}
	tests := []struct {
		name        string
		recs        []record.Record
		pkgs        []scorecard.Package
		stages      []report.Stage
		interrupted bool
		want        int
	}{
		{"all pass", all(record.Pass), passed, nil, false, exitOK},
		{"a target fails", all(record.Fail), passed, nil, false, exitTargetFailed},
		{"fail beats broken tests", all(record.Fail), failed, stageErr, true, exitTargetFailed},
		{"package failed", all(record.Pass), failed, nil, false, exitBroken},
		{"package unfinished", all(record.Pass), unfinished, nil, false, exitBroken},
		{"benchmarks failed", all(record.Pass), benchFailed, nil, false, exitBroken},
		{"stage error", all(record.Pass), passed, stageErr, false, exitBroken},
		{"interrupted", all(record.Pass), passed, nil, true, exitBroken},
		{"not measured", nil, passed, nil, false, exitNotMeasured},
	}
	for _, tt := range tests {
		sc := scorecard.Build(cfg, tt.recs, tt.pkgs)
		if got := exitCode(sc, tt.pkgs, tt.stages, tt.interrupted, false); got != tt.want {
			t.Errorf("%s: exitCode = %d; want %d", tt.name, got, tt.want)
		}
	}
}

// TestTrackerEvents feeds the events go test writes for packages that
// do not compile, fail, time out, are interrupted or never report.
func TestTrackerEvents(t *testing.T) {
	tr := newTracker("example.com/m", false)
	f, err := os.Open("testdata/events.jsonl")
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev event
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev))
		tr.handle(ev)
	}
	got := tr.finish()
	require.Len(t, got, 5)
	assert.Equal(t, scorecard.Failed, got[0].Status)
	assert.Equal(t, "build failed: # example.com/m/broken [example.com/m/broken.test]\n"+
		"broken/x_test.go:6:14: undefined: nope", got[0].Detail)
	assert.Equal(t, scorecard.Failed, got[1].Status)
	assert.Equal(t, []string{"TestA", "TestA/sub"}, got[1].Failures, "top-level first")
	assert.Equal(t, "", got[1].Detail, "test failures explain themselves")
	assert.Equal(t, scorecard.Failed, got[2].Status, "a panic outside tests")
	assert.Contains(t, got[2].Detail, "panic: test timed out after 1s")
	assert.Equal(t, scorecard.Failed, got[3].Status, "interrupted mid-test")
	assert.Equal(t, []string{"TestUpload"}, got[3].Failures)
	assert.Equal(t, "TestUpload did not finish: signal: interrupt", got[3].Detail)
	assert.Equal(t, scorecard.NotFinished, got[4].Status)
	assert.Equal(t, "still running: TestForever", got[4].Detail)
}

// TestTrackerBenchmarks feeds a benchmark pass: test2json reports when a
// benchmark starts, never when it passes.
func TestTrackerBenchmarks(t *testing.T) {
	tr := newTracker("example.com/bx", true)
	const pkg = "example.com/bx"
	at := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)
	for i, ev := range []event{
		{Action: "start", Package: pkg},
		{Action: "output", Package: pkg, Output: "goos: linux\n"},
		{Action: "run", Package: pkg, Test: "BenchmarkX"},
		{Action: "output", Package: pkg, Test: "BenchmarkX",
			Output: "BenchmarkX-2 \t 100 \t 9.8 ns/op\n"},
		{Action: "run", Package: pkg, Test: "BenchmarkY"},
		{Action: "run", Package: pkg, Test: "BenchmarkY/sub"},
	} {
		ev.Time = at.Add(time.Duration(i) * time.Second)
		tr.handle(ev)
	}
	_, test, since := tr.runningNow()
	assert.Equal(t, "BenchmarkY", test, "BenchmarkX is over once BenchmarkY starts")
	assert.Equal(t, at.Add(4*time.Second), since)
	assert.Equal(t, 1, tr.testsDone)

	tr.handle(event{Action: "pass", Package: pkg, Elapsed: 1})
	got := tr.finish()
	require.Len(t, got, 1)
	assert.Equal(t, scorecard.Passed, got[0].Bench)
	assert.Empty(t, got[0].Failures)
	assert.Equal(t, 3, tr.testsDone)
	assert.Contains(t, benchText(tr.pkgs[pkg].bench.String()), "BenchmarkX-2 \t 100")
}

func TestSkipReason(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"=== RUN   TestX", "    x_test.go:12: no ffmpeg: apt-get install ffmpeg",
			"--- SKIP: TestX (0.00s)"}, "no ffmpeg: apt-get install ffmpeg"},
		{[]string{"=== RUN   TestX", "    x_test.go:3: probing", "    x_test.go:9: no GPU",
			"--- SKIP: TestX (0.00s)"}, "no GPU"},
		{[]string{"=== RUN   TestX", "--- SKIP: TestX (0.00s)"}, "no reason given"},
	}
	for _, tt := range tests {
		if got := skipReason(tt.lines); got != tt.want {
			t.Errorf("skipReason(%q) = %q; want %q", tt.lines, got, tt.want)
		}
	}
}

func TestBenchText(t *testing.T) {
	out := strings.Join([]string{
		"Unit videos/s better=higher",
		"goos: linux",
		"pkg: example.com/m",
		"cpu: Test CPU @ 2GHz",
		"=== RUN   BenchmarkX",
		"BenchmarkX",
		"BenchmarkX-2   \t     100\t         9.820 ns/op\t         3.000 videos/s",
		"    x_test.go:7: a log line: with a colon",
		"record speed: rtf = 0.5",
		"panic: oops",
		"BenchmarkY/sub-2 \t 100 \t 4.0 ns/op \t 0 B/op \t 0 allocs/op",
		"BenchmarkBroken-2 \t many \t 4.0 ns/op",
		"PASS",
		"ok  \texample.com/m\t0.013s",
	}, "\n")
	want := "Unit videos/s better=higher\ngoos: linux\npkg: example.com/m\n" +
		"cpu: Test CPU @ 2GHz\n" +
		"BenchmarkX-2   \t     100\t         9.820 ns/op\t         3.000 videos/s\n" +
		"BenchmarkY/sub-2 \t 100 \t 4.0 ns/op \t 0 B/op \t 0 allocs/op\n"
	if got := benchText(out); got != want {
		t.Errorf("benchText() =\n%s\nwant\n%s", got, want)
	}
}
