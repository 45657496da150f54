package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The real benchmark files of harness/benchgate's tests.
var (
	baseFile = filepath.Join("..", "..", "harness", "benchgate", "testdata", "base.txt")
	newFile  = filepath.Join("..", "..", "harness", "benchgate", "testdata", "new.txt")
)

// bigger writes a copy of src with every B/media-sec value of its first
// benchmark scaled by f (an exact unit: any change is significant).
func bigger(t *testing.T, src string, f float64) string {
	t.Helper()
	in, err := os.Open(src)
	require.NoError(t, err)
	defer in.Close()
	var out strings.Builder
	first := ""
	s := bufio.NewScanner(in)
	for s.Scan() {
		line := s.Text()
		fields := strings.Fields(line)
		if strings.HasPrefix(line, "Benchmark") && first == "" {
			first = fields[0]
		}
		if len(fields) > 0 && fields[0] == first {
			for i := 3; i < len(fields); i += 2 {
				if fields[i] == "B/media-sec" {
					v, err := strconv.ParseFloat(fields[i-1], 64)
					require.NoError(t, err)
					fields[i-1] = strconv.FormatFloat(v*f, 'g', -1, 64)
				}
			}
			line = strings.Join(fields, " ")
		}
		out.WriteString(line + "\n")
	}
	require.NoError(t, s.Err())
	require.NotEmpty(t, first, "no benchmark in %s", src)
	path := filepath.Join(t.TempDir(), "bigger.txt")
	require.NoError(t, os.WriteFile(path, []byte(out.String()), 0o644))
	return path
}

// otherCPU writes a copy of src that says it ran on another CPU.
func otherCPU(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	require.Contains(t, string(data), "\ncpu: ")
	other := strings.ReplaceAll(string(data), "\ncpu: ", "\ncpu: Other ")
	path := filepath.Join(t.TempDir(), "other-cpu.txt")
	require.NoError(t, os.WriteFile(path, []byte(other), 0o644))
	return path
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args func(t *testing.T) []string
		code int
		out  string
	}{
		{"identical", func(*testing.T) []string { return []string{baseFile, baseFile} },
			0, "benchgate: pass"},
		{"bytes 30% more", func(t *testing.T) []string {
			return []string{baseFile, bigger(t, baseFile, 1.3)}
		}, 1, "REGRESSION"},
		{"within a 40% threshold", func(t *testing.T) []string {
			return []string{"-threshold", "40%", baseFile, bigger(t, baseFile, 1.3)}
		}, 0, "benchgate: pass"},
		{"another cpu", func(t *testing.T) []string {
			return []string{baseFile, otherCPU(t, baseFile)}
		}, 0, "cannot compare: config-mismatch"},
		{"another cpu, strict", func(t *testing.T) []string {
			return []string{"-strict", baseFile, otherCPU(t, baseFile)}
		}, 2, "benchgate: cannot-compare"},
		{"no baseline", func(t *testing.T) []string {
			return []string{filepath.Join(t.TempDir(), "none.txt"), newFile}
		}, 2, ""},
		{"bad threshold", func(*testing.T) []string {
			return []string{"-threshold", "five", baseFile, newFile}
		}, 2, ""},
		{"one file", func(*testing.T) []string { return []string{baseFile} }, 2, ""},
		{"class", func(*testing.T) []string { return []string{"-class"} }, 0, "-x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(tt.args(t), &stdout, &stderr)
			assert.Equalf(t, tt.code, code, "run = %d; want %d\nstdout:\n%s\nstderr:\n%s",
				code, tt.code, stdout.String(), stderr.String())
			assert.Contains(t, stdout.String(), tt.out)
		})
	}
}

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]float64{"5%": 0.05, "0.05": 0.05,
		"12.5%": 0.125, "0": 0} {
		got, err := parseThreshold(in)
		require.NoError(t, err)
		assert.InDeltaf(t, want, got, 1e-12, "parseThreshold(%q)", in)
	}
	_, err := parseThreshold("x%")
	assert.Error(t, err)
}
