package queue

import "math"

// ErlangB returns the Erlang B blocking probability of c servers offered
// a erlangs: the share of arrivals that find every server busy in an
// M/M/c/c loss system. It computes the recursion
// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), stable for any c.
// ErlangB(c, 0) is 0 for c > 0; a negative c or a is NaN.
//
// For large loads (a above 400) and c >= floor(a), the recursion starts
// at k0 = a - 10 sqrt(a) from the fluid value 1 - k0/a instead of at 0:
// below a the recursion contracts errors by about k/a per step, so the
// start's error shrinks by about exp(-50) before k reaches a. That makes
// the cost O(sqrt(a) + c - a) instead of O(c), with no loss of float64
// accuracy (TestErlangBShortcut).
func ErlangB(c int, a float64) float64 {
	if c < 0 || a < 0 || math.IsNaN(a) {
		return math.NaN()
	}
	k0, b := 0, 1.0
	if a > shortcutLoad && float64(c) >= math.Floor(a) {
		k0 = int(math.Floor(a - 10*math.Sqrt(a)))
		b = 1 - float64(k0)/a
	}
	for k := k0 + 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// shortcutLoad is the load above which ErlangB starts near a.
const shortcutLoad = 400

// erlangBFull is the recursion from 0, kept for tests.
func erlangBFull(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the Erlang C probability that an arrival waits in an
// M/M/c queue with c servers offered a erlangs:
// C = B / (1 - rho (1 - B)) with rho = a / c and B = ErlangB(c, a).
// An overloaded or critically loaded queue (a >= c) always waits: 1.
func ErlangC(c int, a float64) float64 {
	if c <= 0 || a < 0 || math.IsNaN(a) {
		return math.NaN()
	}
	if a >= float64(c) {
		return 1
	}
	return erlangCFromB(c, a, ErlangB(c, a))
}

func erlangCFromB(c int, a, b float64) float64 {
	rho := a / float64(c)
	return b / (1 - rho*(1-b))
}

// erlangFactorial is the textbook Erlang C formula,
//
//	C = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a))),
//
// kept for tests: it overflows to NaN once a^c or c! leaves float64.
func erlangFactorial(c int, a float64) float64 {
	sum := 0.0
	term := 1.0 // a^k / k!
	for k := 0; k < c; k++ {
		sum += term
		term = term * a / float64(k+1)
	}
	top := term * float64(c) / (float64(c) - a)
	return top / (sum + top)
}
