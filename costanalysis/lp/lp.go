// Package lp solves the small covering programmes of the cost optimizer,
//
//	minimize c.x  subject to  A x >= b,  l <= x <= u,
//
// as a linear relaxation with gonum's simplex (Relax) and with x integer
// by branch and bound over such relaxations (Integer). Costs are meant
// to be non-negative; a negative cost on an unbounded variable makes the
// problem unbounded.
package lp

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	glp "gonum.org/v1/gonum/optimize/convex/lp"
)

// Problem is a covering programme over n variables.
type Problem struct {
	// Cost holds c, one entry per variable.
	Cost []float64
	// Rows holds A, each row n long; Min holds b, one per row.
	Rows [][]float64
	Min  []float64
	// Upper holds u; nil means no upper bounds, +Inf none for that
	// variable.
	Upper []float64
}

// Solution is a point and its cost.
type Solution struct {
	X    []float64
	Cost float64
	// Optimal is true when no better point exists (for Integer: within
	// Settings.RelGap); Bound is the best proven lower bound on the cost.
	Optimal bool
	Bound   float64
	// Nodes counts the relaxations branch and bound solved.
	Nodes int
}

// Errors callers branch on.
var (
	ErrInfeasible = errors.New("lp: infeasible")
	ErrUnbounded  = errors.New("lp: unbounded")
)

// tol is the feasibility and integrality tolerance.
const tol = 1e-7

func (p Problem) check() error {
	n := len(p.Cost)
	if len(p.Rows) != len(p.Min) {
		return fmt.Errorf("lp: %d rows but %d minimums", len(p.Rows), len(p.Min))
	}
	for i, r := range p.Rows {
		if len(r) != n {
			return fmt.Errorf("lp: row %d has %d entries, want %d", i, len(r), n)
		}
	}
	if p.Upper != nil && len(p.Upper) != n {
		return fmt.Errorf("lp: %d upper bounds, want %d", len(p.Upper), n)
	}
	return nil
}

func (p Problem) upper(j int) float64 {
	if p.Upper == nil {
		return math.Inf(1)
	}
	return p.Upper[j]
}

// Relax solves the linear relaxation.
func Relax(p Problem) (Solution, error) {
	if err := p.check(); err != nil {
		return Solution{}, err
	}
	lo := make([]float64, len(p.Cost))
	hi := make([]float64, len(p.Cost))
	for j := range hi {
		hi[j] = p.upper(j)
	}
	s, err := relax(p, lo, hi)
	if err != nil {
		return Solution{}, err
	}
	s.Optimal, s.Bound = true, s.Cost
	return s, nil
}

// relax solves the relaxation with bounds lo <= x <= hi, through the
// substitution y = x - lo and gonum's standard form
// [A -I 0; E 0 I] [y; s; t] = [b - A lo; hi - lo].
func relax(p Problem, lo, hi []float64) (Solution, error) {
	n := len(p.Cost)
	x := append([]float64(nil), lo...)
	for j := range n {
		if hi[j] < lo[j]-tol {
			return Solution{}, ErrInfeasible
		}
	}

	// Rows still binding after the shift; columns still free.
	var rows []int
	var need []float64
	for i, r := range p.Rows {
		b := p.Min[i]
		for j := range n {
			b -= r[j] * lo[j]
		}
		nonneg := true
		for j := range n {
			nonneg = nonneg && r[j] >= 0
		}
		if b <= tol && nonneg {
			continue // met at y = 0 and only grows
		}
		rows = append(rows, i)
		need = append(need, b)
	}
	var cols []int
	for j := range n {
		if hi[j]-lo[j] <= tol {
			continue // fixed at its lower bound
		}
		used := false
		for _, i := range rows {
			used = used || p.Rows[i][j] != 0
		}
		switch {
		case used:
			cols = append(cols, j)
		case p.Cost[j] < 0 && math.IsInf(hi[j], 1):
			return Solution{}, ErrUnbounded
		case p.Cost[j] < 0:
			x[j] = hi[j]
		}
	}
	if len(rows) == 0 {
		return Solution{X: x, Cost: dot(p.Cost, x)}, nil
	}
	if len(cols) == 0 {
		return Solution{}, ErrInfeasible
	}

	var bounded []int
	for _, j := range cols {
		if !math.IsInf(hi[j], 1) {
			bounded = append(bounded, j)
		}
	}
	m, k, nc := len(rows), len(bounded), len(cols)
	width := nc + m + k
	a := mat.NewDense(m+k, width, nil)
	b := make([]float64, m+k)
	c := make([]float64, width)
	for ci, j := range cols {
		c[ci] = p.Cost[j]
		for ri, i := range rows {
			a.Set(ri, ci, p.Rows[i][j])
		}
	}
	for ri := range rows {
		a.Set(ri, nc+ri, -1)
		b[ri] = need[ri]
	}
	for bi, j := range bounded {
		ci := indexOf(cols, j)
		a.Set(m+bi, ci, 1)
		a.Set(m+bi, nc+m+bi, 1)
		b[m+bi] = hi[j] - lo[j]
	}
	_, y, err := glp.Simplex(c, a, b, 0, nil)
	switch {
	case errors.Is(err, glp.ErrInfeasible):
		return Solution{}, ErrInfeasible
	case errors.Is(err, glp.ErrUnbounded):
		return Solution{}, ErrUnbounded
	case err != nil:
		return Solution{}, fmt.Errorf("lp: simplex: %w", err)
	}
	for ci, j := range cols {
		x[j] = lo[j] + y[ci]
	}
	return Solution{X: x, Cost: dot(p.Cost, x)}, nil
}

// Feasible reports whether x meets every row and bound of p.
func (p Problem) Feasible(x []float64) bool {
	for i, r := range p.Rows {
		if dot(r, x) < p.Min[i]-tol*math.Max(1, math.Abs(p.Min[i])) {
			return false
		}
	}
	for j, v := range x {
		if v < -tol || v > p.upper(j)+tol {
			return false
		}
	}
	return true
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
