// Package usl fits Gunther's Universal Scalability Law to measured
// (concurrency, throughput) points:
//
//	X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))
//
// where lambda is the throughput of one unit, sigma the contention
// (serial share) and kappa the coherency (crosstalk) penalty. Throughput
// peaks at N* = sqrt((1 - sigma) / kappa).
//
// Fit takes at least MinPoints points, starts from the closed-form
// estimate (lambda from the smallest concurrency, sigma and kappa by
// linear least squares on the linearised law) and refines all three by
// nonlinear least squares on throughput (gonum/optimize).
package usl

import (
	"errors"
	"math"
)

// MinPoints is the fewest points Fit accepts: with fewer, three
// parameters and a quality figure cannot be told apart from noise.
const MinPoints = 6

// ErrTooFewPoints is returned by Fit for fewer than MinPoints points.
var ErrTooFewPoints = errors.New("usl: too few points")

// Point is one measurement: Concurrency N (users, workers, jobs in
// flight; at least 1) and Throughput X in any rate unit, the same for
// every point.
type Point struct {
	Concurrency float64
	Throughput  float64
}

// Model is the law's three parameters. Lambda is in the unit of the
// points' throughput; Sigma and Kappa are dimensionless and at least 0.
type Model struct {
	Lambda float64
	Sigma  float64
	Kappa  float64
}

// Throughput returns X(n).
func (m Model) Throughput(n float64) float64 {
	return m.Lambda * n / (1 + m.Sigma*(n-1) + m.Kappa*n*(n-1))
}

// Efficiency returns X(n) / (n X(1)): the share of linear scaling kept
// at concurrency n (1 at n = 1).
func (m Model) Efficiency(n float64) float64 { return m.Throughput(n) / (n * m.Lambda) }

// PeakConcurrency returns N* = sqrt((1 - sigma) / kappa), the
// concurrency of highest throughput; +Inf when kappa is 0 (throughput
// then rises towards lambda / sigma without a peak).
func (m Model) PeakConcurrency() float64 {
	if m.Kappa <= 0 {
		return math.Inf(1)
	}
	return math.Sqrt(math.Max(1-m.Sigma, 0) / m.Kappa)
}

// PeakThroughput returns X(N*), or the asymptote lambda / sigma when
// there is no peak (+Inf when sigma is 0 too).
func (m Model) PeakThroughput() float64 {
	n := m.PeakConcurrency()
	if math.IsInf(n, 1) {
		if m.Sigma <= 0 {
			return math.Inf(1)
		}
		return m.Lambda / m.Sigma
	}
	return m.Throughput(n)
}
