package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchFile writes a benchmark file with one result line per value of
// BenchmarkEncode in ns/op and returns its path.
func benchFile(t *testing.T, dir, name string, nsPerOp ...float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/fixture/performance\n" +
		"cpu: Test CPU\n")
	for _, v := range nsPerOp {
		fmt.Fprintf(&b, "BenchmarkEncode-2 \t 10 \t %g ns/op\n", v)
	}
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o644))
	return p
}

func TestGate(t *testing.T) {
	dir := t.TempDir()
	base := []float64{100, 101, 99, 100, 102, 98, 100, 101}
	benchFile(t, dir, "baselines/testclass/performance.txt", base...)
	same := benchFile(t, dir, "same.txt", 100, 99, 101, 100, 100, 102, 98, 101)
	slower := benchFile(t, dir, "slower.txt", 150, 151, 149, 152, 150, 148, 150, 151)
	tests := []struct {
		name string
		args []string
		want int
		out  string
	}{
		{"unchanged", []string{"-class", "testclass", "-new", same}, exitOK, "gate: pass"},
		{"slower", []string{"-class", "testclass", "-new", slower}, exitTargetFailed,
			"gate: regression"},
		{"explicit files", []string{filepath.Join(dir, "baselines/testclass/performance.txt"),
			slower}, exitTargetFailed, "Encode"},
		{"no baselines for the class", []string{"-class", "other", "-new", same},
			exitBroken, "no baselines for machine class other"},
		{"bad threshold", []string{"-threshold", "lots"}, exitBroken, `-threshold "lots"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"gate", "-baselines", filepath.Join(dir, "baselines")},
				tt.args...)
			code := dispatch(t.Context(), args, &stdout, &stderr)
			assert.Equal(t, tt.want, code, "stdout:\n%s\nstderr:\n%s", stdout.String(),
				stderr.String())
			assert.Contains(t, stdout.String()+stderr.String(), tt.out)
		})
	}
}

func TestNewestBench(t *testing.T) {
	runs := t.TempDir()
	for _, id := range []string{"20261201T000000Z", "20261202T000000Z", "20261203T000000Z"} {
		require.NoError(t, os.MkdirAll(filepath.Join(runs, id), 0o755))
	}
	benchFile(t, runs, "20261202T000000Z/bench.txt", 1)
	// The newest run has an empty file: a run without benchmarks.
	require.NoError(t, os.WriteFile(filepath.Join(runs, "20261203T000000Z", "bench.txt"),
		nil, 0o644))
	got, err := newestBench(runs, t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(runs, "20261202T000000Z", "bench.txt"), got)

	_, err = newestBench(t.TempDir(), "")
	assert.ErrorContains(t, err, "no benchmark results")
}

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{{"5%", 0.05, true}, {"0.1", 0.1, true}, {"12.5%", 0.125, true},
		{"x", 0, false}, {"-1%", 0, false}}
	for _, tt := range tests {
		got, err := parseThreshold(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseThreshold(%q) = %v, %v; want %v, ok %v", tt.in, got, err,
				tt.want, tt.ok)
		}
	}
}
