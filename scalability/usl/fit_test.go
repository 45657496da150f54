package usl

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func generate(m Model, ns []float64, noise float64, seed uint64) []Point {
	r := rand.New(rand.NewPCG(seed, 1))
	pts := make([]Point, 0, len(ns))
	for _, n := range ns {
		x := m.Throughput(n) * (1 + noise*r.NormFloat64())
		pts = append(pts, Point{Concurrency: n, Throughput: x})
	}
	return pts
}

func TestFitRecoversExactParameters(t *testing.T) {
	want := Model{Lambda: 120, Sigma: 0.04, Kappa: 0.0008}
	pts := generate(want, []float64{1, 2, 4, 8, 16, 24, 32, 48, 64}, 0, 1)
	got, err := FitPoints(pts)
	require.NoError(t, err)
	rel := func(name string, g, w, tol float64) {
		t.Helper()
		if math.Abs(g-w) > tol*w {
			t.Errorf("%s = %.6g; want %.6g (±%g%%)", name, g, w, tol*100)
		}
	}
	rel("Lambda", got.Lambda, want.Lambda, 1e-4)
	rel("Sigma", got.Sigma, want.Sigma, 1e-3)
	rel("Kappa", got.Kappa, want.Kappa, 1e-3)
	require.Greater(t, got.R2, 0.999999)
}

// TestFitRecoversNoisyParameters fits many noisy samples of a known law
// and checks the estimates land near it, and that the nonlinear fit is
// never worse than its closed-form start.
func TestFitRecoversNoisyParameters(t *testing.T) {
	want := Model{Lambda: 1000, Sigma: 0.05, Kappa: 0.001}
	ns := []float64{1, 2, 4, 8, 12, 16, 24, 32, 48, 64}
	for seed := range uint64(20) {
		pts := generate(want, ns, 0.02, seed)
		got, err := FitPoints(pts)
		require.NoError(t, err)
		if relSSE(got.Model, pts) > relSSE(got.Start, pts)*(1+1e-12) {
			t.Errorf("seed %d: fit SSE %v above its start's %v", seed,
				relSSE(got.Model, pts), relSSE(got.Start, pts))
		}
		if math.Abs(got.Lambda-want.Lambda) > 0.05*want.Lambda ||
			math.Abs(got.Sigma-want.Sigma) > 0.02 ||
			math.Abs(got.Kappa-want.Kappa) > 0.3*want.Kappa {
			t.Errorf("seed %d: FitPoints = %+v; want near %+v", seed, got.Model, want)
		}
		if n, w := got.PeakConcurrency(), want.PeakConcurrency(); math.Abs(n-w) > 0.2*w {
			t.Errorf("seed %d: N* = %.1f; want %.1f ± 20%%", seed, n, w)
		}
		require.Greater(t, got.R2, 0.97, "seed %d", seed)
	}
}

func TestFitWithoutOnePoint(t *testing.T) {
	// No N = 1 measurement: the closed form's lambda is biased low, the
	// nonlinear fit corrects it.
	want := Model{Lambda: 50, Sigma: 0.1, Kappa: 0.002}
	pts := generate(want, []float64{2, 4, 6, 8, 16, 32}, 0, 1)
	got, err := FitPoints(pts)
	require.NoError(t, err)
	require.Less(t, got.Start.Lambda, want.Lambda)
	require.InEpsilon(t, want.Lambda, got.Lambda, 1e-3)
}

func TestFitWithoutCoherency(t *testing.T) {
	// Amdahl's law (kappa = 0): no peak, throughput tends to lambda/sigma.
	want := Model{Lambda: 100, Sigma: 0.2}
	got, err := FitPoints(generate(want, []float64{1, 2, 4, 8, 16, 32, 64}, 0, 1))
	require.NoError(t, err)
	require.InDelta(t, 0.2, got.Sigma, 1e-4)
	require.Less(t, got.Kappa, 1e-9)
	if got.Kappa == 0 {
		require.True(t, math.IsInf(got.PeakConcurrency(), 1))
	}
}

func TestFitRejects(t *testing.T) {
	five := generate(Model{10, 0.1, 0.01}, []float64{1, 2, 3, 4, 5}, 0, 1)
	_, err := FitPoints(five)
	require.ErrorIs(t, err, ErrTooFewPoints)
	require.ErrorContains(t, err, "5, need at least 6")

	same := generate(Model{10, 0.1, 0.01}, []float64{1, 1, 1, 2, 2, 2}, 0, 1)
	_, err = FitPoints(same)
	require.ErrorIs(t, err, ErrTooFewPoints)

	bad := generate(Model{10, 0.1, 0.01}, []float64{1, 2, 3, 4, 5, 6}, 0, 1)
	bad[3].Throughput = 0
	_, err = FitPoints(bad)
	require.ErrorContains(t, err, "point 3: throughput")
}

func TestModelPeak(t *testing.T) {
	m := Model{Lambda: 100, Sigma: 0.19, Kappa: 0.01}
	// N* = sqrt(0.81 / 0.01) = 9; X(9) = 900 / (1 + 1.52 + 0.72) = 277.78.
	require.InDelta(t, 9, m.PeakConcurrency(), 1e-12)
	require.InDelta(t, 900/3.24, m.PeakThroughput(), 1e-9)
	require.InDelta(t, 1, m.Efficiency(1), 1e-15)
	amdahl := Model{Lambda: 100, Sigma: 0.25}
	require.True(t, math.IsInf(amdahl.PeakConcurrency(), 1))
	require.InDelta(t, 400, amdahl.PeakThroughput(), 1e-12)
}
