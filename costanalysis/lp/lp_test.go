package lp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRelaxHandCase(t *testing.T) {
	// min 3x + 2y, x + y >= 4, x + 3y >= 6: the vertices are (0, 4) at 8,
	// (3, 1) at 11 and (6, 0) at 18; the optimum is (0, 4).
	p := Problem{Cost: []float64{3, 2}, Rows: [][]float64{{1, 1}, {1, 3}},
		Min: []float64{4, 6}}
	s, err := Relax(p)
	require.NoError(t, err)
	require.InDelta(t, 8, s.Cost, 1e-9)
	require.InDeltaSlice(t, []float64{0, 4}, s.X, 1e-9)

	// With y <= 1 the optimum moves to (3, 1).
	p.Upper = []float64{math.Inf(1), 1}
	s, err = Relax(p)
	require.NoError(t, err)
	require.InDelta(t, 11, s.Cost, 1e-9)
	require.InDeltaSlice(t, []float64{3, 1}, s.X, 1e-9)

	p.Upper = []float64{1, 1}
	_, err = Relax(p)
	require.ErrorIs(t, err, ErrInfeasible)
}

func TestIntegerHandCase(t *testing.T) {
	// Cover 10 units with packs of 4 at $3 and packs of 3 at $2.5: the
	// relaxation takes 2.5 big packs ($7.5); the best integer mix is one
	// big and two small (10 units, $8), better than rounding up (3 big,
	// $9) or two big and one small ($8.5).
	p := Problem{Cost: []float64{3, 2.5}, Rows: [][]float64{{4, 3}}, Min: []float64{10}}
	r, err := Relax(p)
	require.NoError(t, err)
	require.InDelta(t, 7.5, r.Cost, 1e-9)
	s, err := Integer(p, Settings{})
	require.NoError(t, err)
	require.True(t, s.Optimal)
	require.InDelta(t, 8, s.Cost, 1e-9)
	require.InDeltaSlice(t, []float64{1, 2}, s.X, 1e-9)
}

// TestIntegerAgreesWithBruteForce compares branch and bound with
// enumerating every integer point on small random covering problems.
func TestIntegerAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 300 {
		n, m := 2+r.IntN(2), 1+r.IntN(2)
		p := Problem{Cost: make([]float64, n), Rows: make([][]float64, m),
			Min: make([]float64, m), Upper: make([]float64, n)}
		for j := range n {
			p.Cost[j] = float64(1 + r.IntN(20))
			p.Upper[j] = float64(3 + r.IntN(6))
		}
		for i := range m {
			p.Rows[i] = make([]float64, n)
			for j := range n {
				p.Rows[i][j] = float64(r.IntN(6)) // zeros included
			}
			p.Min[i] = float64(1 + r.IntN(15))
		}
		want, wantX := bruteForce(p)
		got, err := Integer(p, Settings{})
		if math.IsInf(want, 1) {
			require.ErrorIs(t, err, ErrInfeasible, "trial %d: %+v", trial, p)
			continue
		}
		require.NoError(t, err, "trial %d: %+v", trial, p)
		if math.Abs(got.Cost-want) > 1e-9 || !got.Optimal || !p.Feasible(got.X) {
			t.Fatalf("trial %d: Integer(%+v) = %v at %v (optimal %v); brute force %v at %v",
				trial, p, got.Cost, got.X, got.Optimal, want, wantX)
		}
		relaxed, err := Relax(p)
		require.NoError(t, err)
		require.LessOrEqual(t, relaxed.Cost, got.Cost+1e-9, "the relaxation bounds below")
	}
}

func bruteForce(p Problem) (float64, []float64) {
	n := len(p.Cost)
	best, bestX := math.Inf(1), []float64(nil)
	x := make([]float64, n)
	var walk func(j int)
	walk = func(j int) {
		if j == n {
			if c := dot(p.Cost, x); p.Feasible(x) && c < best {
				best, bestX = c, clone(x)
			}
			return
		}
		for v := 0.0; v <= p.Upper[j]; v++ {
			x[j] = v
			walk(j + 1)
		}
	}
	walk(0)
	return best, bestX
}

func TestIntegerNodeCap(t *testing.T) {
	// Many near-equal packs: a cap of one node leaves the seed, unproven.
	p := Problem{Cost: []float64{10.01, 7.02, 5.03, 3.04},
		Rows: [][]float64{{10, 7, 5, 3}}, Min: []float64{1234.5}}
	s, err := Integer(p, Settings{MaxNodes: 1})
	require.NoError(t, err)
	require.True(t, p.Feasible(s.X))
	require.LessOrEqual(t, s.Bound, s.Cost)
	full, err := Integer(p, Settings{})
	require.NoError(t, err)
	require.LessOrEqual(t, full.Cost, s.Cost)
}

func TestShapes(t *testing.T) {
	_, err := Relax(Problem{Cost: []float64{1}, Rows: [][]float64{{1, 2}}, Min: []float64{1}})
	require.ErrorContains(t, err, "row 0 has 2 entries, want 1")
	_, err = Relax(Problem{Cost: []float64{-1}, Rows: [][]float64{{0}}, Min: []float64{0}})
	require.ErrorIs(t, err, ErrUnbounded)
}
