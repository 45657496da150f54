package queue

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// WaitSLO is a wait objective: at most Probability of jobs wait longer
// than MaxWait before service starts. MaxWait 0 bounds the probability of
// waiting at all.
type WaitSLO struct {
	MaxWait time.Duration
	// Probability is in (0, 1], for example 0.01 for "99% start within
	// MaxWait".
	Probability float64
}

func (s WaitSLO) validate() error {
	var errs []error
	if s.MaxWait < 0 {
		errs = append(errs, fmt.Errorf("max wait must be at least 0, got %v", s.MaxWait))
	}
	if !(s.Probability > 0 && s.Probability <= 1) {
		errs = append(errs, fmt.Errorf("probability must be in (0, 1], got %v",
			s.Probability))
	}
	return errors.Join(errs...)
}

// ErrBadQueue is returned for a queue whose rates cannot describe one:
// negative, NaN or infinite arrival rate, service time or variability.
var ErrBadQueue = errors.New("bad queue")

// ServersFor returns the fewest servers c for which q (its Servers field
// ignored) meets slo: P(W > MaxWait) <= Probability under the
// Allen-Cunneen approximation (exact for M/M/c, where both SCVs are 1).
// It starts at the smallest stable c, floor(a) + 1, and walks the Erlang B
// recursion upwards, so it is O(c) and finite for c in the millions.
// No arrivals need no servers.
func ServersFor(q GGc, slo WaitSLO) (int, error) {
	if err := slo.validate(); err != nil {
		return 0, fmt.Errorf("servers for: %w", err)
	}
	lam, s := q.ArrivalsPerSecond, q.ServiceSeconds
	for _, v := range []float64{lam, s, q.ArrivalSCV, q.ServiceSCV} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("servers for: %w: rate %v, service %vs, scv %v/%v",
				ErrBadQueue, lam, s, q.ArrivalSCV, q.ServiceSCV)
		}
	}
	a := lam * s
	if a == 0 {
		return 0, nil
	}
	f := q.Factor()
	t := slo.MaxWait.Seconds()

	c := int(math.Floor(a)) + 1
	b := ErlangB(c, a)
	for {
		p := 0.0
		if f > 0 {
			drain := float64(c)/s - lam
			p = erlangCFromB(c, a, b) * math.Exp(-drain*t/f)
		}
		if p <= slo.Probability {
			return c, nil
		}
		c++
		b = a * b / (float64(c) + a*b)
	}
}

// SqrtStaffing returns ceil(a + beta sqrt(a)), the square-root staffing
// rule for a erlangs (Whitt: beta of 1 to 2 covers most service levels).
func SqrtStaffing(a, beta float64) int {
	if a <= 0 {
		return 0
	}
	return int(math.Ceil(a + beta*math.Sqrt(a)))
}

// HalfinWhittBeta returns the beta at which the Halfin-Whitt limit of the
// probability of waiting, 1 / (1 + beta Phi(beta) / phi(beta)), equals
// pWait (0 < pWait < 1). Staffing a + beta sqrt(a) servers then makes
// about pWait of arrivals wait, for large a.
func HalfinWhittBeta(pWait float64) float64 {
	if !(pWait > 0 && pWait < 1) {
		return math.NaN()
	}
	hw := func(beta float64) float64 {
		cdf := 0.5 * math.Erfc(-beta/math.Sqrt2)
		pdf := math.Exp(-beta*beta/2) / math.Sqrt(2*math.Pi)
		return 1 / (1 + beta*cdf/pdf)
	}
	lo, hi := 0.0, 10.0 // hw falls from 1 at 0 to about 1e-23 at 10
	for range 100 {
		mid := (lo + hi) / 2
		if hw(mid) > pWait {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
