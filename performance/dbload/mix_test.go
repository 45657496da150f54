package dbload

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
)

func TestDefaultMix(t *testing.T) {
	mix, err := DefaultMix()
	require.NoError(t, err)
	cfg := targets.Default()
	for _, c := range []struct {
		store Store
		want  float64 // operations per video with the default 3-rung ladder
	}{
		{Postgres, 1 + 3 + 3 + 3 + 1 + 10 + 0.02},
		{Redis, 3 + 3 + 0.1 + 6 + 20 + 4},
		{Neo4j, 1 + 5 + 0.5},
	} {
		assert.InDelta(t, c.want, mix.OpsPerVideo(cfg, c.store), 1e-9,
			"OpsPerVideo(%s)", c.store)
	}
	for _, op := range mix.Operations {
		assert.NotEmpty(t, op.Why, "%s says why", op.Name)
		assert.NotEmpty(t, op.SLO, "%s has thresholds", op.Name)
	}
}

func TestMixRatesFollowTheConfig(t *testing.T) {
	mix, err := DefaultMix()
	require.NoError(t, err)
	cfg := targets.Default()
	peak := cfg.Derive().PeakVideosPerSecond
	rates := mix.Rates(cfg, Postgres, peak)
	byName := map[string]float64{}
	for _, r := range rates {
		byName[r.Op.Name] = r.PerSecond
	}
	assert.InDelta(t, 3*peak, byName["claim_job"], 1e-9)
	assert.InDelta(t, 10*peak, byName["dashboard"], 1e-9)

	// A two-rung ladder makes two renditions per video.
	prof, _ := cfg.Processing.Profile(cfg.Processing.DefaultProfile)
	prof.Ladder = prof.Ladder[:2]
	cfg.Processing.Profiles = []targets.Profile{prof}
	for _, r := range mix.Rates(cfg, Postgres, 1) {
		if r.Op.Name == "record_rendition" {
			assert.Equal(t, 2.0, r.PerSecond)
		}
	}
}

func TestParseMixErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown key", "operations: [{name: a, store: redis, per_video: 1, colour: red}]",
			"colour"},
		{"bad store", "operations: [{name: a, store: mongo, per_video: 1}]", `"mongo"`},
		{"two counts", "operations: [{name: a, store: redis, per_video: 1, per_rendition: 1}]",
			"one positive count"},
		{"no count", "operations: [{name: a, store: redis}]", "one positive count"},
		{"repeated", "operations: [{name: a, store: redis, per_video: 1}, " +
			"{name: a, store: redis, per_video: 1}]", "repeated"},
		{"bad slo", `operations: [{name: a, store: redis, per_video: 1, slo: ["p99 < 5xs"]}]`,
			`"5xs"`},
		{"bad run slo", `run_slo: ["rate > fast"]`, `"fast"`},
	}
	for _, c := range cases {
		_, err := ParseMix([]byte(c.yaml))
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestPlanFor(t *testing.T) {
	cfg := targets.Default()
	for _, sc := range []targets.Scale{targets.ScaleShort, targets.ScaleLocal,
		targets.ScaleFull} {
		p := PlanFor(cfg, sc)
		assert.Equal(t, cfg.Scales.For(sc).Duration, p.Duration, "%s duration", sc)
		assert.InDelta(t, 2*cfg.Derive().PeakVideosPerSecond, p.SteadyVideosPerSecond(),
			1e-9, "%s steady rate", sc)
		assert.GreaterOrEqual(t, len(p.SweepLevels), 6, "%s sweep levels", sc)
		assert.LessOrEqual(t, p.SweepLevels[len(p.SweepLevels)-1], p.PoolSize,
			"%s sweep within the pool", sc)
	}
}
