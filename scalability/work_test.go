package scalability

import (
	"math"
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/stretchr/testify/require"
)

func TestPeriods(t *testing.T) {
	cfg := targets.Default()
	d := cfg.Derive()
	ps := Periods(cfg)
	require.Len(t, ps, 7*24+1)
	sum, peak := 0.0, 0.0
	for _, p := range ps[:168] {
		sum += p.VideosPerSecond
		peak = math.Max(peak, p.VideosPerSecond)
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("%s = %.9g; want %.9g", name, got, want)
		}
	}
	near("mean of the week", sum/168, d.MeanVideosPerSecond)
	near("busiest hour", peak, d.PeakVideosPerSecond)
	b := ps[168]
	require.True(t, b.Burst)
	require.Equal(t, 30*time.Minute, b.Duration)
	near("burst", b.VideosPerSecond, d.BurstVideosPerSecond)
	require.Equal(t, "burst on Mon 12:00", b.Label)

	cfg.Workload.Burst.Factor = 1
	require.Len(t, Periods(cfg), 168, "no burst period without a burst")
}

func TestLengthMoments(t *testing.T) {
	for _, d := range []targets.LengthDistribution{
		targets.Default().Workload.VideoLength,
		{Distribution: "lognormal", Median: time.Minute, Sigma: 1.5, Max: 5 * time.Minute},
	} {
		const n = 200_000
		m1, m2 := 0.0, 0.0
		for i := range n {
			x := d.Quantile((float64(i) + 0.5) / n).Seconds()
			m1 += x / n
			m2 += x * x / n
		}
		mean, scv := lengthMoments(d)
		if math.Abs(mean-m1) > 0.002*m1 || math.Abs(scv-(m2/(m1*m1)-1)) > 0.01 {
			t.Errorf("lengthMoments(%+v) = %.3f s, scv %.4f; numeric %.3f s, scv %.4f",
				d, mean, scv, m1, m2/(m1*m1)-1)
		}
	}
	mean, scv := lengthMoments(targets.LengthDistribution{Distribution: "fixed",
		Median: time.Minute, Max: time.Hour})
	require.Equal(t, 60.0, mean)
	require.Zero(t, scv)
}

// oneRung is the default config with a single 1080p veryfast rung.
func oneRung() *targets.Config {
	cfg := targets.Default()
	cfg.Processing.Profiles[0].Ladder = []targets.Rung{
		{Height: 1080, Codec: "h264", Preset: "veryfast", CRF: 23}}
	return cfg
}

func TestWorkHandComputed(t *testing.T) {
	a := DefaultAssumptions().Scaled("content/hard-share", 0) // easy content only
	w, err := NewWork(oneRung(), Measurements{}, a)
	require.NoError(t, err)
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %.15g; want %.15g", name, got, want)
		}
	}
	// 30 frames per media second at 47 frames/s on 2 vCPUs, plus decode
	// 0.08, audio 0.02, thumbnail 0.005 and package 0.01.
	near("CPUPath", w.CPUPath.Value, 30.0*2/47+0.08+0.02+0.005+0.01)
	require.Equal(t, record.Config, w.CPUPath.Source)
	near("EncodeFrames", w.EncodeFrames, 30)
	near("NVENCEngineFPS", w.NVENCEngineFPS.Value, 650)
	near("DecodeFrames", w.DecodeFrames, 30)
	near("OutputBytes", w.OutputBytes.Value, (2.5+0.128)*1e6/8)
	near("TopRungBytes", w.TopRungBytes.Value, (2.5+0.128)*1e6/8)
	near("SourceBytes", w.SourceBytes.Value, 8e6/8)

	// The default ladder: 1080p, 720p (1280x720) and 480p (852x480).
	w, err = NewWork(targets.Default(), Measurements{}, a)
	require.NoError(t, err)
	r720, r480 := 1280.0*720/(1920*1080), 852.0*480/(1920*1080)
	near("EncodeFrames 3 rungs", w.EncodeFrames, 30*(1+r720+r480))
	near("OutputBytes 3 rungs", w.OutputBytes.Value, (2.5*(1+math.Pow(r720, 0.75)+
		math.Pow(r480, 0.75))+3*0.128)*1e6/8)

	// A fifth of hard content at 17 frames/s.
	w, err = NewWork(oneRung(), Measurements{}, DefaultAssumptions())
	require.NoError(t, err)
	near("CPUPath mixed content", w.CPUPath.Value, 30*2*(0.8/47+0.2/17)+0.115)
}

func TestWorkPresetFallback(t *testing.T) {
	tests := []struct {
		preset, costedAs, nvenc string
	}{
		{"superfast", "veryfast", "P1"},
		{"fast", "medium", "P3"},
		{"slow", "medium", "P5"},
		{"medium", "medium", "P5"},
	}
	a := DefaultAssumptions().Scaled("content/hard-share", 0)
	for _, tt := range tests {
		cfg := oneRung()
		cfg.Processing.Profiles[0].Ladder[0].Preset = tt.preset
		w, err := NewWork(cfg, Measurements{}, a)
		require.NoError(t, err)
		want := 30*2/a.value("x264/"+tt.costedAs+"/easy-fps") + 0.115
		if math.Abs(w.CPUPath.Value-want) > 1e-12 {
			t.Errorf("preset %s: CPUPath = %v; want %v (costed as %s)", tt.preset,
				w.CPUPath.Value, want, tt.costedAs)
		}
		got, want := w.NVENCEngineFPS.Value, a.value("nvenc/"+tt.nvenc+"-fps")
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("preset %s: NVENC fps = %v; want %v (%s)", tt.preset, got, want, tt.nvenc)
		}
		if tt.preset != tt.costedAs {
			require.NotEmpty(t, w.Notes, "preset %s: the fallback must be noted", tt.preset)
		}
	}
}

func TestWorkUsesMeasurements(t *testing.T) {
	recs := []record.Record{
		rec("cpu-sec-per-media-sec/standard/code-1080p30", 1.9, "s/s"),
		rec("cpu-sec-per-media-sec/standard/talking-head-1080p30", 3.1, "s/s"),
		rec("cpu-sec-per-media-sec/standard/code-720p30", 9, "s/s"), // other height
		rec("output-bytes-per-media-sec/standard/code-1080p30", 400_000, "B/s"),
		rec("output-bytes-per-media-sec/standard/code-1080p30/1080p-h264", 250_000, "B/s"),
	}
	w, err := NewWork(targets.Default(), MeasurementsFromRecords(recs), DefaultAssumptions())
	require.NoError(t, err)
	require.Equal(t, 3.1, w.CPUPath.Value, "the costliest 1080p input")
	require.Equal(t, record.Measured, w.CPUPath.Source)
	require.Contains(t, w.CPUPath.From, "lowest 1.9 on code-1080p30")
	require.Equal(t, 400_000.0, w.OutputBytes.Value)
	require.Equal(t, 250_000.0, w.TopRungBytes.Value)
}
