package lp

import (
	"math"
)

// Settings bound the branch and bound search.
type Settings struct {
	// MaxNodes caps the relaxations solved; 0 means DefaultMaxNodes.
	MaxNodes int
	// RelGap stops the search once the incumbent is within this share
	// of the best bound; 0 means exact (up to rounding).
	RelGap float64
}

// DefaultMaxNodes is the node cap of a zero Settings.
const DefaultMaxNodes = 20_000

type node struct {
	lo, hi []float64
	bound  float64 // the parent's relaxation cost
}

// Integer solves p with every variable integer, by depth-first branch
// and bound on the most fractional variable, rounding up first. The
// relaxation rounded up seeds the incumbent when it is feasible (always,
// for a covering problem without upper bounds). When the node cap stops
// the search, the best point found is returned with Optimal false and
// the proven Bound.
func Integer(p Problem, s Settings) (Solution, error) {
	if err := p.check(); err != nil {
		return Solution{}, err
	}
	if s.MaxNodes <= 0 {
		s.MaxNodes = DefaultMaxNodes
	}
	n := len(p.Cost)
	lo := make([]float64, n)
	hi := make([]float64, n)
	for j := range hi {
		hi[j] = p.upper(j)
	}
	root, err := relax(p, lo, hi)
	if err != nil {
		return Solution{}, err
	}

	best := Solution{Cost: math.Inf(1)}
	up := make([]float64, n)
	for j, v := range root.X {
		up[j] = math.Ceil(v - tol)
	}
	if p.Feasible(up) {
		best = Solution{X: up, Cost: dot(p.Cost, up)}
	}

	stack := []node{{lo: lo, hi: hi, bound: root.Cost}}
	nodes := 0
	for len(stack) > 0 && nodes < s.MaxNodes {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if pruned(nd.bound, best.Cost, s.RelGap) {
			continue
		}
		sol, err := relax(p, nd.lo, nd.hi)
		nodes++
		if err != nil || pruned(sol.Cost, best.Cost, s.RelGap) {
			continue // infeasible or no better than the incumbent
		}
		j, frac := -1, 0.0
		for k, v := range sol.X {
			if f := math.Abs(v - math.Round(v)); f > tol && f > frac {
				j, frac = k, f
			}
		}
		if j < 0 {
			x := make([]float64, n)
			for k, v := range sol.X {
				x[k] = math.Round(v)
			}
			if c := dot(p.Cost, x); c < best.Cost {
				best = Solution{X: x, Cost: c}
			}
			continue
		}
		down := node{lo: nd.lo, hi: clone(nd.hi), bound: sol.Cost}
		down.hi[j] = math.Floor(sol.X[j])
		upper := node{lo: clone(nd.lo), hi: nd.hi, bound: sol.Cost}
		upper.lo[j] = math.Ceil(sol.X[j])
		stack = append(stack, down, upper) // explore rounding up first
	}
	if math.IsInf(best.Cost, 1) {
		return Solution{Nodes: nodes}, ErrInfeasible
	}
	best.Nodes = nodes
	best.Bound = best.Cost
	for _, nd := range stack {
		best.Bound = math.Min(best.Bound, nd.bound)
	}
	best.Optimal = len(stack) == 0 || pruned(best.Bound, best.Cost, s.RelGap)
	return best, nil
}

// pruned reports whether a node bounded below by bound cannot beat the
// incumbent by more than the gap.
func pruned(bound, incumbent, gap float64) bool {
	if math.IsInf(incumbent, 1) {
		return false
	}
	return bound >= incumbent*(1-gap)-1e-9*math.Max(1, math.Abs(incumbent))
}

func clone(s []float64) []float64 { return append([]float64(nil), s...) }
