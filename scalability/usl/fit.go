package usl

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// Fit is a fitted model with its quality.
type Fit struct {
	Model
	// Start is the closed-form estimate the search started from.
	Start Model
	// R2 is the coefficient of determination of the fitted throughputs,
	// 1 - SSres / SStot (1 is a perfect fit).
	R2 float64
	// RMSE is the root mean squared residual, in throughput units.
	RMSE float64
	// Points is the number of points fitted.
	Points int
}

// FitPoints fits the law to pts by nonlinear least squares on relative
// residuals (X(N) - x) / x, started from ClosedForm. It needs at least
// MinPoints points at three or more different concurrencies, each with
// N >= 1 and a finite throughput above 0.
func FitPoints(pts []Point) (*Fit, error) {
	if err := check(pts); err != nil {
		return nil, err
	}
	start, err := ClosedForm(pts)
	if err != nil {
		return nil, err
	}

	// Search in u = (ln lambda, sqrt sigma, sqrt kappa): every u is a
	// valid model, so the search needs no constraints.
	toU := func(m Model) []float64 {
		return []float64{math.Log(m.Lambda), math.Sqrt(math.Max(m.Sigma, 1e-6)),
			math.Sqrt(math.Max(m.Kappa, 1e-9))}
	}
	fromU := func(u []float64) Model {
		return Model{Lambda: math.Exp(u[0]), Sigma: u[1] * u[1], Kappa: u[2] * u[2]}
	}
	prob := optimize.Problem{
		Func: func(u []float64) float64 { return relSSE(fromU(u), pts) },
		Grad: func(g, u []float64) {
			m := fromU(u)
			g[0], g[1], g[2] = 0, 0, 0
			for _, p := range pts {
				n, x := p.Concurrency, p.Throughput
				d := 1 + m.Sigma*(n-1) + m.Kappa*n*(n-1)
				f := m.Lambda * n / d
				w := 2 * (f - x) / (x * x)
				g[0] += w * f // lambda * df/dlambda
				g[1] += w * (-f * (n - 1) / d) * 2 * u[1]
				g[2] += w * (-f * n * (n - 1) / d) * 2 * u[2]
			}
		},
	}
	best := start
	for _, method := range []optimize.Method{&optimize.BFGS{}, &optimize.NelderMead{}} {
		res, err := optimize.Minimize(prob, toU(best), nil, method)
		if res == nil {
			continue // the method failed outright; keep what we have
		}
		if m := fromU(res.X); relSSE(m, pts) < relSSE(best, pts) {
			best = m
		}
		if err == nil {
			break
		}
	}
	// The squares of the search reach 0 only in the limit: snap what is
	// numerically nothing to exactly 0 (no contention, no coherency).
	if best.Sigma < 1e-12 {
		best.Sigma = 0
	}
	if best.Kappa < 1e-15 {
		best.Kappa = 0
	}
	return summarize(best, start, pts), nil
}

// ClosedForm returns the classic estimate: lambda = X/N at the smallest
// concurrency (X(1) when N = 1 was measured), then sigma and kappa from
// the linear least squares fit of N lambda / X - 1 = sigma (N - 1) +
// kappa N (N - 1), clamped to sigma in [0, 1) and kappa >= 0. It leans
// on the smallest-N point; FitPoints refines it.
func ClosedForm(pts []Point) (Model, error) {
	if err := check(pts); err != nil {
		return Model{}, err
	}
	low := slices.MinFunc(pts, func(a, b Point) int {
		return compareFloat(a.Concurrency, b.Concurrency)
	})
	lambda := low.Throughput / low.Concurrency

	// Normal equations of y = s x1 + k x2 without intercept.
	var s11, s12, s22, s1y, s2y float64
	for _, p := range pts {
		n := p.Concurrency
		x1, x2 := n-1, n*(n-1)
		y := n*lambda/p.Throughput - 1
		s11 += x1 * x1
		s12 += x1 * x2
		s22 += x2 * x2
		s1y += x1 * y
		s2y += x2 * y
	}
	det := s11*s22 - s12*s12
	var sigma, kappa float64
	if det != 0 {
		sigma = (s1y*s22 - s2y*s12) / det
		kappa = (s2y*s11 - s1y*s12) / det
	}
	return Model{Lambda: lambda, Sigma: math.Min(math.Max(sigma, 0), 0.999),
		Kappa: math.Max(kappa, 0)}, nil
}

func check(pts []Point) error {
	if len(pts) < MinPoints {
		return fmt.Errorf("%w: %d, need at least %d", ErrTooFewPoints, len(pts), MinPoints)
	}
	levels := map[float64]bool{}
	for i, p := range pts {
		if !(p.Concurrency >= 1) || math.IsInf(p.Concurrency, 0) {
			return fmt.Errorf("usl: point %d: concurrency must be at least 1, got %v",
				i, p.Concurrency)
		}
		if !(p.Throughput > 0) || math.IsInf(p.Throughput, 0) {
			return fmt.Errorf("usl: point %d: throughput must be finite and above 0, got %v",
				i, p.Throughput)
		}
		levels[p.Concurrency] = true
	}
	if len(levels) < 3 {
		return fmt.Errorf("%w: %d distinct concurrencies, need at least 3",
			ErrTooFewPoints, len(levels))
	}
	return nil
}

// relSSE is the sum of squared relative residuals, (X(N) - x) / x: the
// objective of the fit. Throughput noise is roughly proportional to
// throughput, so absolute residuals would let the few largest points
// decide lambda.
func relSSE(m Model, pts []Point) float64 {
	s := 0.0
	for _, p := range pts {
		r := (m.Throughput(p.Concurrency) - p.Throughput) / p.Throughput
		s += r * r
	}
	return s
}

func sse(m Model, pts []Point) float64 {
	s := 0.0
	for _, p := range pts {
		r := m.Throughput(p.Concurrency) - p.Throughput
		s += r * r
	}
	return s
}

func summarize(m, start Model, pts []Point) *Fit {
	mean := 0.0
	for _, p := range pts {
		mean += p.Throughput
	}
	mean /= float64(len(pts))
	tot := 0.0
	for _, p := range pts {
		tot += (p.Throughput - mean) * (p.Throughput - mean)
	}
	res := sse(m, pts)
	r2 := 1.0
	if tot > 0 {
		r2 = 1 - res/tot
	}
	return &Fit{Model: m, Start: start, R2: r2,
		RMSE: math.Sqrt(res / float64(len(pts))), Points: len(pts)}
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
