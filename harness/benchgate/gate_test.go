package benchgate

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// The testdata files are real: two -count 10 runs of the performance
// benchmarks at -short scale on one machine (see testdata/README.md).
const (
	baseFile = "testdata/base.txt"
	newFile  = "testdata/new.txt"
	// profileBench is a benchmark the tests drop from one side.
	profileBench = "Profile/profile=standard/input=talking-head-1080p30-2"
)

// rewrite copies src to a file in a temporary directory, passing every
// result through edit (which may change it, or return false to drop it)
// and every Unit line through keepUnits.
func rewrite(t *testing.T, src string, edit func(*benchfmt.Result) bool,
	keepUnits bool) string {
	t.Helper()
	in, err := os.Open(src)
	require.NoError(t, err)
	t.Cleanup(func() { in.Close() })
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	out, err := os.Create(dst)
	require.NoError(t, err)
	t.Cleanup(func() { out.Close() })

	r := benchfmt.NewReader(in, src)
	w := benchfmt.NewWriter(out)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			if edit != nil && !edit(rec) {
				continue
			}
			require.NoError(t, w.Write(rec))
		case *benchfmt.UnitMetadata:
			if keepUnits {
				require.NoError(t, w.Write(rec))
			}
		}
	}
	require.NoError(t, r.Err())
	return dst
}

// scale multiplies unit's values in results named name by f.
func scale(name, unit string, f float64) func(*benchfmt.Result) bool {
	return func(r *benchfmt.Result) bool {
		if string(r.Name.Full()) != name {
			return true
		}
		for i := range r.Values {
			v := &r.Values[i]
			if v.Unit == unit {
				v.Value *= f
				if v.OrigUnit != "" {
					v.OrigValue *= f
				}
			}
		}
		return true
	}
}

func compare(t *testing.T, base, new string, opts Options) *Result {
	t.Helper()
	res, err := Compare(base, new, opts)
	require.NoError(t, err)
	require.NotEmpty(t, res.Comparisons, "Compare(%s, %s) compared nothing",
		base, new)
	return res
}

// spreads returns, per benchmark of file reporting unit, the ratio of its
// largest value to its smallest.
func spreads(t *testing.T, file, unit string) map[string]float64 {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	lo, hi := map[string]float64{}, map[string]float64{}
	r := benchfmt.NewReader(f, file)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		if v, ok := res.Value(unit); ok && v > 0 {
			name := string(res.Name.Full())
			if _, seen := lo[name]; !seen {
				lo[name], hi[name] = v, v
			}
			lo[name], hi[name] = min(lo[name], v), max(hi[name], v)
		}
	}
	require.NoError(t, r.Err())
	out := map[string]float64{}
	for name := range lo {
		out[name] = hi[name] / lo[name]
	}
	return out
}

// steadiest is the benchmark of file whose unit values spread least:
// where an injected 20% shift must show.
func steadiest(t *testing.T, file, unit string) string {
	t.Helper()
	best, spread := "", 0.0
	for name, s := range spreads(t, file, unit) {
		if best == "" || s < spread || s == spread && name < best {
			best, spread = name, s
		}
	}
	require.NotEmptyf(t, best, "no benchmark reports %s in %s", unit, file)
	return best
}

func TestCompareCatchesInjectedRegressions(t *testing.T) {
	tests := []struct {
		name   string
		unit   string
		factor float64
		better int
	}{
		{"higher is better: speed-x down 20%", "speed-x", 0.8, +1},
		{"higher is better: videos/h/core down 20%", "videos/h/core", 0.8, +1},
		{"lower is better: rtf up 20%", "rtf", 1.2, -1},
		{"lower is better: cpu-sec/media-sec up 20%", "cpu-sec/media-sec", 1.2, -1},
		{"lower is better, exact: B/media-sec up 20%", "B/media-sec", 1.2, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt := struct {
				bench, unit string
				factor      float64
				better      int
			}{steadiest(t, baseFile, tt.unit), tt.unit, tt.factor, tt.better}
			regressed := rewrite(t, baseFile, scale(tt.bench, tt.unit, tt.factor), true)
			res := compare(t, baseFile, regressed, DefaultOptions)
			assert.Equal(t, VerdictRegression, res.Verdict())
			regs := res.Regressions()
			require.Len(t, regs, 1, "regressions: %+v", regs)
			got := regs[0]
			assert.Equal(t, tt.bench, got.Benchmark)
			assert.Equal(t, tt.unit, got.Unit)
			assert.Equal(t, tt.better, got.Better)
			assert.InDelta(t, tt.factor-1, got.Change, 1e-9)
			assert.Less(t, got.P, DefaultOptions.Alpha)
		})
	}
}

// In a benchmark whose runs spread widely, a 20% shift is noise to the U
// test: the gate says so rather than guess, as benchstat prints "~".
func TestNoisyBenchmarkHidesShift(t *testing.T) {
	noisy, spread := "", 0.0
	for name, s := range spreads(t, baseFile, "speed-x") {
		if s > spread || s == spread && name < noisy {
			noisy, spread = name, s
		}
	}
	if spread < 2 {
		t.Skipf("the runs of %s spread %.2fx at most: too steady to hide a "+
			"20%% shift", baseFile, spread)
	}
	shifted := rewrite(t, baseFile, scale(noisy, "speed-x", 0.8), true)
	res := compare(t, baseFile, shifted, DefaultOptions)
	for _, c := range res.Comparisons {
		if c.Benchmark == noisy && c.Unit == "speed-x" {
			assert.False(t, c.Significant, "p = %.3f", c.P)
			assert.False(t, c.Regression)
			return
		}
	}
	t.Fatalf("no comparison of %s speed-x", noisy)
}

// The same scaling the other way is an improvement, never a regression.
func TestCompareImprovementPasses(t *testing.T) {
	bench := steadiest(t, baseFile, "rtf")
	better := rewrite(t, baseFile, scale(bench, "rtf", 0.8), true)
	res := compare(t, baseFile, better, DefaultOptions)
	assert.Equal(t, VerdictPass, res.Verdict())
	var improved []string
	for _, c := range res.Comparisons {
		if c.Improvement {
			improved = append(improved, c.Benchmark+" "+c.Unit)
		}
	}
	assert.Equal(t, []string{bench + " rtf"}, improved)
}

func TestComparePassesIdenticalAndNoise(t *testing.T) {
	// Noise: every value moved by up to ±2%, a seeded draw per value.
	rng := rand.New(rand.NewPCG(1, 2))
	jitter := func(r *benchfmt.Result) bool {
		for i := range r.Values {
			f := 1 + 0.04*(rng.Float64()-0.5)
			r.Values[i].Value *= f
			r.Values[i].OrigValue *= f
		}
		return true
	}
	noisy := rewrite(t, baseFile, jitter, true)
	for name, other := range map[string]string{"identical": baseFile,
		"noise": noisy} {
		t.Run(name, func(t *testing.T) {
			res := compare(t, baseFile, other, Options{Threshold: 0.05,
				Alpha: 0.05, Confidence: 0.95, Strict: true})
			assert.Empty(t, res.Regressions())
			assert.Empty(t, res.Blocking(), "findings: %v", res.Findings)
			assert.Equal(t, VerdictPass, res.Verdict())
		})
	}
}

func TestCompareFindings(t *testing.T) {
	drop := func(name string) func(*benchfmt.Result) bool {
		return func(r *benchfmt.Result) bool { return string(r.Name.Full()) != name }
	}
	firstRuns := func(n int) func(*benchfmt.Result) bool {
		seen := map[string]int{}
		return func(r *benchfmt.Result) bool {
			seen[string(r.Name.Full())]++
			return seen[string(r.Name.Full())] <= n
		}
	}
	setConfig := func(key, value string) func(*benchfmt.Result) bool {
		return func(r *benchfmt.Result) bool {
			r.SetConfig(key, value)
			return true
		}
	}
	procs := func(r *benchfmt.Result) bool {
		r.Name = benchfmt.Name(strings.TrimSuffix(string(r.Name), "-2") + "-4")
		return true
	}
	tests := []struct {
		name      string
		base, new func(t *testing.T) string
		kind      FindingKind
		unit      string
	}{
		{"three runs a side",
			func(t *testing.T) string { return rewrite(t, baseFile, firstRuns(3), true) },
			func(t *testing.T) string { return rewrite(t, newFile, firstRuns(3), true) },
			TooFewSamples, ""},
		{"another cpu",
			func(*testing.T) string { return baseFile },
			func(t *testing.T) string {
				return rewrite(t, newFile, setConfig("cpu", "Intel Xeon"), true)
			}, ConfigMismatch, ""},
		{"another goarch",
			func(*testing.T) string { return baseFile },
			func(t *testing.T) string {
				return rewrite(t, newFile, setConfig("goarch", "arm64"), true)
			}, ConfigMismatch, ""},
		{"another package",
			func(*testing.T) string { return baseFile },
			func(t *testing.T) string {
				return rewrite(t, newFile, setConfig("pkg", "example.com/other"), true)
			}, ConfigMismatch, ""},
		{"another GOMAXPROCS",
			func(*testing.T) string { return baseFile },
			func(t *testing.T) string { return rewrite(t, newFile, procs, true) },
			GOMAXPROCSMismatch, ""},
		{"no Unit lines",
			func(t *testing.T) string { return rewrite(t, baseFile, nil, false) },
			func(t *testing.T) string { return rewrite(t, newFile, nil, false) },
			UnknownDirection, "rtf"},
		{"benchmark dropped from new",
			func(*testing.T) string { return baseFile },
			func(t *testing.T) string { return rewrite(t, newFile, drop(profileBench), true) },
			MissingInNew, ""},
		{"benchmark added in new",
			func(t *testing.T) string { return rewrite(t, baseFile, drop(profileBench), true) },
			func(*testing.T) string { return newFile },
			MissingInBase, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, nw := tt.base(t), tt.new(t)
			res, err := Compare(base, nw, DefaultOptions)
			require.NoError(t, err)
			f, ok := findKind(res.Findings, tt.kind, tt.unit)
			require.Truef(t, ok, "Compare findings = %v; want %s", res.Findings, tt.kind)
			assert.NotEmpty(t, f.Benchmarks)
			assert.True(t, tt.kind.Blocking())
			assert.NotEqual(t, VerdictCannotCompare, res.Verdict(),
				"not strict: findings alone do not fail")

			strict := DefaultOptions
			strict.Strict = true
			res, err = Compare(base, nw, strict)
			require.NoError(t, err)
			if res.Verdict() != VerdictRegression {
				assert.Equal(t, VerdictCannotCompare, res.Verdict())
			}
		})
	}
}

func findKind(fs []Finding, kind FindingKind, unit string) (Finding, bool) {
	for _, f := range fs {
		if f.Kind == kind && (unit == "" || f.Unit == unit) {
			return f, true
		}
	}
	return Finding{}, false
}

// A repeated finding is said once, with every benchmark it concerns.
func TestFindingsAreSaidOnce(t *testing.T) {
	nw := rewrite(t, newFile, func(r *benchfmt.Result) bool {
		r.SetConfig("cpu", "Intel Xeon")
		return true
	}, true)
	res, err := Compare(baseFile, nw, DefaultOptions)
	require.NoError(t, err)
	require.Len(t, res.Findings, 1, "findings: %v", res.Findings)
	assert.Greater(t, len(res.Findings[0].Benchmarks), 10)
	assert.Contains(t, res.Findings[0].String(), "more)")
}

// minP must be the smallest p the U test of benchmath can reach.
func TestMinPMatchesBenchmath(t *testing.T) {
	thr := &benchmath.Thresholds{CompareAlpha: 0.05}
	for _, n := range [][2]int{{1, 1}, {2, 2}, {3, 3}, {3, 4}, {4, 4}, {5, 3}, {10, 10}} {
		a := make([]float64, n[0])
		b := make([]float64, n[1])
		for i := range a {
			a[i] = float64(i)
		}
		for i := range b {
			b[i] = float64(100 + i)
		}
		cmp := benchmath.AssumeNothing.Compare(benchmath.NewSample(a, thr),
			benchmath.NewSample(b, thr))
		assert.InDeltaf(t, cmp.P, minP(n[0], n[1]), 1e-12,
			"minP(%d, %d)", n[0], n[1])
	}
}

func TestCompareErrors(t *testing.T) {
	_, err := Compare(baseFile, "testdata/does-not-exist.txt", DefaultOptions)
	assert.True(t, errors.Is(err, os.ErrNotExist), "Compare(missing) = %v", err)

	_, err = Compare(baseFile, newFile, Options{Threshold: 0.05, Alpha: 0})
	assert.ErrorContains(t, err, "alpha")

	empty := filepath.Join(t.TempDir(), "empty.txt")
	require.NoError(t, os.WriteFile(empty, []byte("goos: linux\n"), 0o644))
	res, err := Compare(baseFile, empty, DefaultOptions)
	require.NoError(t, err)
	_, ok := findKind(res.Findings, NoResults, "")
	assert.True(t, ok, "findings: %v", res.Findings)
}

func TestWriteText(t *testing.T) {
	regressed := rewrite(t, baseFile, scale(steadiest(t, baseFile, "rtf"),
		"rtf", 1.2), true)
	res := compare(t, baseFile, regressed, DefaultOptions)
	var b strings.Builder
	require.NoError(t, res.WriteText(&b, false))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "benchgate: regression"), out)
	assert.Contains(t, out, "REGRESSION")
	assert.Contains(t, out, "+20.00%")
	require.NoError(t, res.WriteText(io.Discard, true))
}
