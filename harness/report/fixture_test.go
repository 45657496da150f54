package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
	"github.com/scaletest/scaletest/harness/targets"
)

// fixtureRun describes a run directory for tests to write.
type fixtureRun struct {
	id      string
	records []record.Record
	// tail is appended raw to records.jsonl (a truncated line).
	tail     string
	manifest bool
	bench    string
	pkgs     []scorecard.Package
}

const fixtureMachine = "Test CPU x2 linux/amd64"

// rec is a judged record from the fixture machine at full scale.
func rec(target, name string, value float64, unit string, better record.Better,
	threshold float64, src record.Source, pkg string) record.Record {
	r := record.Judged(target, name, value, unit, better, threshold, src)
	r.Machine, r.Scale, r.Package, r.Test = fixtureMachine, "full", pkg, "Test"+name
	r.Time = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	return r
}

// info is a supporting record without a threshold.
func info(name string, value float64, unit, pkg string) record.Record {
	r := record.Record{Name: name, Value: value, Unit: unit, Verdict: record.Info,
		Source: record.Measured, Machine: fixtureMachine, Scale: "full", Package: pkg,
		Test: "Test" + name, Time: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	return r
}

// withTarget sets r's target.
func withTarget(target string, r record.Record) record.Record {
	r.Target = target
	return r
}

// writeRun writes f under dir and returns the run directory.
func writeRun(t *testing.T, dir string, f fixtureRun) string {
	t.Helper()
	rd := filepath.Join(dir, f.id)
	require.NoError(t, os.MkdirAll(rd, 0o755))
	var buf bytes.Buffer
	for _, r := range f.records {
		line, err := json.Marshal(r)
		require.NoError(t, err)
		buf.Write(append(line, '\n'))
	}
	buf.WriteString(f.tail)
	require.NoError(t, os.WriteFile(filepath.Join(rd, RecordsFile), buf.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(rd, ConfigFile),
		[]byte("version: 1\n"), 0o644))
	if f.bench != "" {
		require.NoError(t, os.WriteFile(filepath.Join(rd, BenchFile), []byte(f.bench), 0o644))
	}
	if f.manifest {
		start, err := time.Parse(IDLayout, f.id)
		require.NoError(t, err)
		m := &Manifest{ID: f.id, Start: start, End: start.Add(754 * time.Second),
			DurationSeconds: 754, Scale: "full", Machine: fixtureMachine,
			GitCommit: "0123456789abcdef0123", Categories: scorecard.Categories,
			Bench: f.bench != "", Packages: f.pkgs}
		m.Verdict = scorecard.Build(targets.Default(), f.records, f.pkgs).Verdict
		var mb bytes.Buffer
		require.NoError(t, WriteManifest(&mb, m))
		require.NoError(t, os.WriteFile(filepath.Join(rd, ManifestFile), mb.Bytes(), 0o644))
	}
	return rd
}

const benchHeader = "Unit videos/s better=higher\ngoos: linux\ngoarch: amd64\n" +
	"pkg: github.com/scaletest/scaletest/performance\ncpu: Test CPU\n"

// fixtureRuns writes three runs: two complete ones and a newer broken
// one (truncated records, malformed benchmark line, no manifest).
func fixtureRuns(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	pkgs := []scorecard.Package{
		{Path: "performance", Status: scorecard.Passed, Tests: 4, TestsPassed: 3,
			TestsSkipped: 1, ElapsedSeconds: 81.2, Skips: []scorecard.Skip{
				{Test: "TestGPUEncode",
					Reason: "no NVIDIA driver: run on a GPU machine with -gpu"}}},
		{Path: "scalability", Status: scorecard.Passed, Tests: 6, TestsPassed: 6,
			ElapsedSeconds: 2.5},
		{Path: "costanalysis", Status: scorecard.Failed, Tests: 3, TestsPassed: 2,
			TestsFailed: 1, Failures: []string{"TestOptimizer"}, ElapsedSeconds: 1.1},
		{Path: "reliability", Status: scorecard.Skipped, Tests: 1, TestsSkipped: 1,
			Skips: []scorecard.Skip{{Test: "TestPeakFaults",
				Reason: "no PostgreSQL: set SCALETEST_POSTGRES_URL or install Docker"}}},
		{Path: "youtubeapi", Status: scorecard.NotPresent},
		{Path: "simulation", Status: scorecard.NotPresent},
	}
	perf, scal, cost := "performance", "scalability", "costanalysis"
	writeRun(t, dir, fixtureRun{id: "20261201T100000Z", manifest: true, pkgs: pkgs,
		records: []record.Record{
			rec("speed", "rtf-standard-1080p", 0.62, "rtf", record.Lower, 2, record.Measured, perf),
			rec("speed", "rtf-standard-720p", 0.35, "rtf", record.Lower, 2, record.Measured, perf),
			rec("cost", "usd-per-video", 0.12, "USD/video", record.Lower, 0.1,
				record.ModeledFromMeasured, cost),
			info("output-bytes-per-media-second", 412000, "B/s", perf),
		},
		bench: benchHeader +
			"BenchmarkEncode/1080p-2 \t 10 \t 120000000 ns/op \t 8.0 videos/s\n" +
			"BenchmarkEncode/1080p-2 \t 10 \t 124000000 ns/op \t 7.9 videos/s\n"})
	writeRun(t, dir, fixtureRun{id: "20261202T100000Z", manifest: true, pkgs: pkgs,
		records: []record.Record{
			rec("speed", "rtf-standard-1080p", 0.55, "rtf", record.Lower, 2, record.Measured, perf),
			rec("speed", "rtf-standard-720p", 0.31, "rtf", record.Lower, 2, record.Measured, perf),
			rec("cluster", "gpus-needed", 1240, "GPUs", record.Lower, 1000,
				record.ModeledFromMeasured, scal),
			rec("storage", "new-storage-per-day", 31.5, "TB/day", record.Lower, 50,
				record.ModeledFromMeasured, scal),
			rec("network", "peak-ingress", 6.1, "Gbit/s", record.Lower, 10,
				record.ModeledFromMeasured, scal),
			rec("cost", "usd-per-video", 0.085, "USD/video", record.Lower, 0.1,
				record.ModeledFromMeasured, cost),
			info("output-bytes-per-media-second", 398000, "B/s", perf),
			info("encode-fps-1080p", 47, "frames/s", perf),
			withTarget("cluster", info("declared-gpus", 1000, "GPUs", scal)),
		},
		bench: benchHeader +
			"BenchmarkEncode/1080p-2 \t 10 \t 100000000 ns/op \t 9.5 videos/s\n" +
			"BenchmarkEncode/1080p-2 \t 10 \t 102000000 ns/op \t 9.4 videos/s\n"})
	writeRun(t, dir, fixtureRun{id: "20261203T100000Z",
		records: []record.Record{
			rec("speed", "rtf-standard-1080p", 0.58, "rtf", record.Lower, 2, record.Measured, perf),
		},
		tail:  `{"target":"speed","name":"rtf-standard-480p","val`,
		bench: benchHeader + "BenchmarkEncode/1080p-2 \t ten \t 1 ns/op\n"})
	return dir
}

// fixtureClass is the baseline class of fixtureMachine.
const fixtureClass = "test-cpu-x2"

// writeBaselines writes the baselines of the fixture machine's class,
// of another class and a README, and returns their directory.
func writeBaselines(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	write(fixtureClass+"/performance.txt", benchHeader+
		"BenchmarkEncode/1080p-2 \t 10 \t 110000000 ns/op \t 9.0 videos/s\n"+
		"BenchmarkEncode/1080p-2 \t 10 \t 111000000 ns/op \t 9.1 videos/s\n")
	write("other-cpu-x64/performance.txt", benchHeader+
		"BenchmarkEncode/1080p-2 \t 10 \t 10000000 ns/op \t 90 videos/s\n")
	write("README.md", "# Baselines\n\nOne directory per machine class.\n")
	return dir
}
