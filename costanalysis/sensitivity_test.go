package costanalysis

import (
	"testing"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
	"github.com/stretchr/testify/require"
)

func TestSensitivities(t *testing.T) {
	cfg := targets.Default()
	o := OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay}}
	var inputs []string
	if testing.Short() {
		inputs = []string{"GPU instance prices", "storage prices", "retention days"}
	}
	rows, err := Sensitivities(cfg, scalability.Measurements{}, scalability.Options{}, o,
		0.2, inputs...)
	require.NoError(t, err)
	if len(inputs) == 0 {
		require.Len(t, rows, len(SensitivityInputs()))
	}
	for i := 1; i < len(rows); i++ {
		require.GreaterOrEqual(t, rows[i-1].Swing(), rows[i].Swing(), "sorted by swing")
	}

	p := basePlan(t, cfg)
	decl, err := Declared(p, o.Options)
	require.NoError(t, err)
	byName := map[string]Sensitivity{}
	for _, r := range rows {
		byName[r.Input] = r
		require.InDelta(t, float64(decl.PerVideo), float64(r.BaseDeclared), 1e-12)
	}
	// The declared fleet is paid whatever the work: GPU prices move its
	// cost by exactly 20% of its GPU line.
	gpu := byName["GPU instance prices"]
	want := 0.2 * float64(decl.Component(ComputeGPU))
	require.InDelta(t, want, float64(gpu.Declared[1]-gpu.BaseDeclared), 1e-12)
	require.InDelta(t, -want, float64(gpu.Declared[0]-gpu.BaseDeclared), 1e-12)
	// Storage prices move storage linearly in both architectures.
	st := byName["storage prices"]
	require.InDelta(t, 0.2*float64(decl.Component(Storage)),
		float64(st.Declared[1]-st.BaseDeclared), 1e-12)
	// Longer retention never costs less.
	ret := byName["retention days"]
	require.Greater(t, ret.Optimized[1], ret.Optimized[0])

	_, err = Sensitivities(cfg, scalability.Measurements{}, scalability.Options{}, o, 0.2,
		"moon phase")
	require.ErrorContains(t, err, `unknown input "moon phase"`)
	_, err = Sensitivities(cfg, scalability.Measurements{}, scalability.Options{}, o, 1.5)
	require.Error(t, err)
}
