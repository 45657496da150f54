package month

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/simulation/des"
)

// TestMonthVolume plays the month of scale.yaml at the current scale's
// sim_fraction, checks its bookkeeping, writes the plots and emits the
// volume target's record.
func TestMonthVolume(t *testing.T) {
	cfg := loadConfig(t)
	sc, err := targets.CurrentScale()
	require.NoError(t, err)
	p := params(cfg.Scales.For(sc).SimFraction)
	var progress []des.Progress
	p.Progress = func(pr des.Progress) { progress = append(progress, pr) }
	p.ProgressEvery = 1 << 18

	r, err := Run(t.Context(), cfg, defaultPlan(t, cfg), p)
	require.NoError(t, err)
	var sum strings.Builder
	require.NoError(t, r.WriteSummary(&sum))
	t.Log("\n" + sum.String())

	// Bookkeeping: every video is somewhere.
	v := r.Videos
	want := cfg.Targets.Volume.VideosPerMonth * p.Fraction
	assert.InDelta(t, want, float64(v.Arrived), 5*math.Sqrt(want),
		"arrivals: Poisson around the month's volume")
	assert.Equal(t, v.Arrived, v.Published+v.Unpublished)
	assert.LessOrEqual(t, v.Published, v.Processed)
	assert.Less(t, r.Little.RelErr, 1e-9, "Little's law, processing")
	assert.Less(t, r.Little.SystemRelErr, 1e-6, "Little's law, whole")
	require.NotEmpty(t, progress)
	assert.Equal(t, 1.0, progress[len(progress)-1].Fraction)
	assert.Equal(t, r.Events, progress[len(progress)-1].Events)

	dir := filepath.Join(record.Dir(), "simulation", string(sc))
	files, err := r.WritePlots(dir)
	require.NoError(t, err)
	for _, f := range files {
		st, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, st.Size(), f)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "summary.txt"),
		[]byte(sum.String()), 0o644))
	for _, rec := range Records(r) {
		record.Emit(t, rec)
	}
}

// TestSameSeedSameMonth runs a small month twice with one seed and once
// with another.
func TestSameSeedSameMonth(t *testing.T) {
	cfg := loadConfig(t)
	plan := defaultPlan(t, cfg)
	p := params(0.002)
	p.Days = 7
	run := func(seed uint64) *Result {
		p.Seed = seed
		r, err := Run(t.Context(), cfg, plan, p)
		require.NoError(t, err)
		r.Wall = 0 // the only figure that depends on the machine
		return r
	}
	a, b, c := run(3), run(3), run(4)
	assert.Equal(t, a, b, "same seed")
	assert.NotEqual(t, a.Publish, c.Publish, "different seeds")
	assert.NotEqual(t, a.Videos, c.Videos, "different seeds")
}
