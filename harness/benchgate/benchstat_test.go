package benchgate

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchstatRow is one comparison as benchstat's CSV output shows it.
type benchstatRow struct {
	delta string  // "~", "+20.00%", "0.00%", "?"
	p     float64 // 0 when benchstat prints none (exact units, p = 0)
}

// buildBenchstat builds golang.org/x/perf/cmd/benchstat from the module
// cache (it is in the module this one requires).
func buildBenchstat(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH: this test builds " +
			"golang.org/x/perf/cmd/benchstat with it; put go on PATH")
	}
	bin := filepath.Join(t.TempDir(), "benchstat")
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-o", bin,
		"golang.org/x/perf/cmd/benchstat")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build benchstat: %s", out)
	return bin
}

var pValue = regexp.MustCompile(`p=([0-9.]+)`)

// runBenchstat returns benchstat's comparisons keyed by "name unit".
func runBenchstat(t *testing.T, bin, base, new string) map[string]benchstatRow {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, "-format", "csv",
		"-alpha", "0.05", LabelBase+"="+base, LabelNew+"="+new)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "benchstat: %s", stderr.String())

	rows := map[string]benchstatRow{}
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = -1
	unit := ""
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch {
		case len(rec) < 7 || rec[0] == "geomean":
			continue
		case rec[0] == "" && rec[5] == "vs base":
			unit = rec[1]
			continue
		case rec[0] == "":
			continue
		}
		row := benchstatRow{delta: rec[5]}
		if m := pValue.FindStringSubmatch(rec[6]); m != nil {
			row.p, err = strconv.ParseFloat(m[1], 64)
			require.NoError(t, err)
		}
		rows[rec[0]+" "+unit] = row
	}
	require.NotEmpty(t, rows, "benchstat printed no comparison:\n%s", out)
	return rows
}

// The gate's significance, p-values and changes agree with benchstat's on
// the same files: the real pair and the injected regressions.
func TestAgreesWithBenchstat(t *testing.T) {
	bin := buildBenchstat(t)
	shift := func(file, unit string, f float64) string {
		return rewrite(t, file, scale(steadiest(t, baseFile, unit), unit, f), true)
	}
	pairs := map[string]string{
		"real runs":         newFile,
		"speed-x down 20%":  shift(baseFile, "speed-x", 0.8),
		"rtf up 20%":        shift(baseFile, "rtf", 1.2),
		"sec/op up 3%":      shift(newFile, "sec/op", 1.03),
		"B/media-sec up 1%": shift(baseFile, "B/media-sec", 1.01),
	}
	for name, nw := range pairs {
		t.Run(name, func(t *testing.T) {
			res := compare(t, baseFile, nw, DefaultOptions)
			bs := runBenchstat(t, bin, baseFile, nw)
			for _, c := range res.Comparisons {
				key := c.Benchmark + " " + c.Unit
				row, ok := bs[key]
				if !assert.Truef(t, ok, "benchstat has no row %q", key) {
					continue
				}
				assert.InDeltaf(t, row.p, c.P, 0.0005, "%s: p", key)
				assert.Equalf(t, row.delta != "~", c.Significant,
					"%s: gate significant = %v, benchstat delta %q (p=%.4f)",
					key, c.Significant, row.delta, c.P)
				if pct, err := strconv.ParseFloat(
					strings.TrimSuffix(row.delta, "%"), 64); err == nil {
					assert.InDeltaf(t, pct, c.Change*100, 0.006,
						"%s: change", key)
				}
			}
		})
	}
}
