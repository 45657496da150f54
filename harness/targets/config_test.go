package targets

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRepositoryConfigMatchesDefault(t *testing.T) {
	path, err := FindConfig(".")
	require.NoError(t, err)
	cfg, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, Default(), cfg, "scale.yaml and Default() disagree")
}

func TestDefaultIsValid(t *testing.T) {
	require.NoError(t, Default().Validate())
}

func TestParseErrorsNameFieldAndLine(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings, one per expected problem
	}{
		{
			name: "unknown key",
			yaml: "version: 1\ntargets:\n  speed:\n    max_rft: 2\n",
			want: []string{"scale.yaml:4: targets.speed.max_rft: unknown field (known: max_rtf)"},
		},
		{
			name: "wrong type",
			yaml: "version: 1\ntargets:\n  cost:\n    max_usd_per_video: cheap\n",
			want: []string{"scale.yaml:4: targets.cost.max_usd_per_video: wrong type"},
		},
		{
			name: "impossible values all reported",
			yaml: "version: 1\ntargets:\n  speed:\n    max_rtf: -1\n" +
				"architecture:\n  gpu_pools:\n    - name: g\n      card: A100\n" +
				"      count: -3\n      role: paint\n",
			want: []string{
				"scale.yaml:4: targets.speed.max_rtf: must be a finite number above 0",
				"scale.yaml:9: architecture.gpu_pools[0].count: must be at least 0, got -3",
				"scale.yaml:10: architecture.gpu_pools[0].role: must be one of",
			},
		},
		{
			name: "bad duration",
			yaml: "targets:\n  volume:\n    publish_p99: soon\n",
			want: []string{"scale.yaml:3: targets.volume.publish_p99: wrong type"},
		},
		{
			name: "syntax",
			yaml: "targets:\n  speed: [\n",
			want: []string{"scale.yaml:", "syntax"},
		},
		{
			name: "shape length",
			yaml: "workload:\n  weekly_shape: [1, 1]\n",
			want: []string{"scale.yaml:2: workload.weekly_shape: must hold 7 weights, got 2"},
		},
		{
			name: "absent field keeps line zero",
			yaml: "version: 2\n",
			want: []string{"scale.yaml:1: version: must be 1, got 2"},
		},
		{
			name: "empty",
			yaml: "\n",
			want: []string{"scale.yaml: file is empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("scale.yaml", []byte(tt.yaml))
			require.Error(t, err)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "error %T is no *FieldError", err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseOverridesOnlyGivenKeys(t *testing.T) {
	cfg, err := Parse("s.yaml", []byte("targets:\n  speed:\n    max_rtf: 1.5\n"))
	require.NoError(t, err)
	want := Default()
	want.Targets.Speed.MaxRTF = 1.5
	require.Equal(t, want, cfg)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestDerive(t *testing.T) {
	d := Default().Derive()
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s = %v; want %v (±%v%%)", name, got, want, tol*100)
		}
	}
	near("VideosPerDay", d.VideosPerDay, 333_333.33, 1e-6)
	near("MeanVideosPerSecond", d.MeanVideosPerSecond, 333_333.33/86400, 1e-6)
	// Busiest hour 1.65 over an hourly mean of 1.0; Monday 1.15 over 1.0.
	hourly := Default().Workload.HourlyShape
	wantPeak := 1.65 / mean(hourly) * 1.15 / mean(Default().Workload.WeeklyShape)
	near("PeakFactor", d.PeakFactor, wantPeak, 1e-9)
	near("BurstVideosPerSecond", d.BurstVideosPerSecond, d.PeakVideosPerSecond*1.5, 1e-9)
	// Lognormal(median 180 s, sigma 1): mean 180 e^0.5 = 296.8 s before
	// the 2 h cap, which removes almost nothing.
	near("MeanVideoLength", d.MeanVideoLength.Seconds(), 180*math.Exp(0.5), 0.005)
	near("SourceBytesPerSecondOfMedia", d.SourceBytesPerSecondOfMedia, 1e6, 1e-9)
}

func mean(s []float64) float64 {
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t / float64(len(s))
}

func TestLengthMeanAgainstSampling(t *testing.T) {
	// The closed form for E[min(X, m)] against a numeric integral of the
	// quantile function, for a cap that bites.
	d := LengthDistribution{Distribution: "lognormal", Median: time.Minute,
		Sigma: 1.5, Max: 5 * time.Minute}
	const n = 200_000
	sum := 0.0
	for i := range n {
		q := (float64(i) + 0.5) / n
		sum += d.Quantile(q).Seconds()
	}
	got, want := d.Mean().Seconds(), sum/n
	if math.Abs(got-want) > 0.002*want {
		t.Errorf("Mean() = %.3fs; numeric integral %.3fs", got, want)
	}
}

func TestCurrentScale(t *testing.T) {
	tests := []struct {
		env  string
		want Scale
		err  bool
	}{
		{"full", ScaleFull, false},
		{"short", ScaleShort, false},
		{"huge", ScaleLocal, true},
	}
	for _, tt := range tests {
		t.Setenv(EnvScale, tt.env)
		got, err := CurrentScale()
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("CurrentScale() with %s=%q = %v, %v; want %v (error %v)",
				EnvScale, tt.env, got, err, tt.want, tt.err)
		}
	}
	t.Setenv(EnvScale, "")
	got, _ := CurrentScale()
	want := ScaleLocal
	if testing.Short() {
		want = ScaleShort
	}
	if got != want {
		t.Errorf("CurrentScale() = %v; want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("../../scale.yaml")
	if err == nil {
		f.Add(seed)
	}
	f.Add([]byte("version: 1\ntargets: {speed: {max_rtf: 3}}\n"))
	f.Add([]byte("architecture:\n  gpu_pools:\n    - {name: a, count: -1}\n"))
	f.Add([]byte("workload: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if verr := cfg.Validate(); verr != nil {
			t.Fatalf("Parse accepted an invalid config: %v", verr)
		}
		_ = cfg.Derive()
	})
}
