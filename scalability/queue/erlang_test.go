package queue

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestErlangBPublished checks the recursion against the traffic that
// standard Erlang B tables give for 1% blocking (published to two
// decimals, so the tolerance covers their rounding).
func TestErlangBPublished(t *testing.T) {
	tests := []struct {
		servers int
		erlangs float64
		want    float64
		tol     float64
	}{
		{10, 4.46, 0.01, 2e-4},
		{20, 12.03, 0.01, 2e-4},
		{50, 37.90, 0.01, 2e-4},
		{100, 84.06, 0.01, 2e-4},
		{5, 2, 0.0367, 1e-4},
		{10, 5, 0.0184, 1e-4},
		{1, 1, 0.5, 1e-15}, // a / (1 + a)
	}
	for _, tt := range tests {
		if got := ErlangB(tt.servers, tt.erlangs); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("ErlangB(%d, %v) = %.6f; want %v ± %v",
				tt.servers, tt.erlangs, got, tt.want, tt.tol)
		}
	}
}

// TestErlangCPublished checks Erlang C against the worked call-centre
// example found in most staffing texts (10 erlangs: 68.21% wait with 11
// agents, 44.94% with 12, 28.53% with 13, 17.41% with 14) and against
// closed forms for c = 1 (C = rho) and c = 2 (C = 2 rho^2 / (1 + rho)).
func TestErlangCPublished(t *testing.T) {
	tests := []struct {
		servers int
		erlangs float64
		want    float64
		tol     float64
	}{
		{11, 10, 0.6821, 5e-5},
		{12, 10, 0.4494, 5e-5},
		{13, 10, 0.2853, 5e-5},
		{14, 10, 0.1741, 5e-5},
		{1, 0.7, 0.7, 1e-12},
		{2, 1, 1.0 / 3, 1e-12},
		{2, 1.6, 2 * 0.64 / 1.8, 1e-12},
		{5, 5, 1, 0},  // critical load always waits
		{5, 50, 1, 0}, // overload
	}
	for _, tt := range tests {
		if got := ErlangC(tt.servers, tt.erlangs); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("ErlangC(%d, %v) = %.6f; want %v ± %v",
				tt.servers, tt.erlangs, got, tt.want, tt.tol)
		}
	}
}

// TestErlangCAgainstFactorial compares the recursion with the textbook
// formula wherever the latter is finite, and shows where it is not.
func TestErlangCAgainstFactorial(t *testing.T) {
	for c := 1; c <= 160; c++ {
		for _, rho := range []float64{0.1, 0.5, 0.8, 0.95, 0.999} {
			a := rho * float64(c)
			want := erlangFactorial(c, a)
			if math.IsNaN(want) || math.IsInf(want, 0) {
				t.Fatalf("erlangFactorial(%d, %v) = %v; the test expects it finite here",
					c, a, want)
			}
			if got := ErlangC(c, a); math.Abs(got-want) > 1e-9*math.Max(want, 1e-12) {
				t.Errorf("ErlangC(%d, %v) = %.15g; factorial formula %.15g", c, a, got, want)
			}
		}
	}
	for _, c := range []int{1000, 10_000, 100_000} {
		a := 0.95 * float64(c)
		if f := erlangFactorial(c, a); !math.IsNaN(f) {
			t.Errorf("erlangFactorial(%d, %v) = %v; expected the overflow (NaN)", c, a, f)
		}
		if got := ErlangC(c, a); !(got > 0 && got < 1) {
			t.Errorf("ErlangC(%d, %v) = %v; want a probability in (0, 1)", c, a, got)
		}
	}
}

// TestErlangCLargeExact checks the recursion at c = 1,000 and 100,000
// against the factorial formula computed in 256-bit arithmetic.
func TestErlangCLargeExact(t *testing.T) {
	cases := []struct {
		c   int
		rho float64
	}{{1000, 0.9}, {1000, 0.99}, {100_000, 0.995}, {100_000, 0.999}}
	for _, tt := range cases {
		a := tt.rho * float64(tt.c)
		want := erlangBig(tt.c, a)
		got := ErlangC(tt.c, a)
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("ErlangC(%d, %v) = %.12g; exact %.12g", tt.c, a, got, want)
		}
	}
}

// erlangBig evaluates the factorial Erlang C formula in big.Float.
func erlangBig(c int, a float64) float64 {
	const prec = 256
	nf := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	ab := nf(a)
	sum, term := nf(0), nf(1)
	for k := 0; k < c; k++ {
		sum.Add(sum, term)
		term.Mul(term, ab)
		term.Quo(term, nf(float64(k+1)))
	}
	top := new(big.Float).SetPrec(prec).Mul(term, nf(float64(c)/(float64(c)-a)))
	den := new(big.Float).SetPrec(prec).Add(sum, top)
	r, _ := new(big.Float).SetPrec(prec).Quo(top, den).Float64()
	return r
}

// TestErlangBShortcut checks the start near a against the recursion
// from 0, below, at and above the load.
func TestErlangBShortcut(t *testing.T) {
	for _, a := range []float64{401, 1000, 12_345.6, 100_000} {
		for _, c := range []int{int(a / 2), int(a-10*math.Sqrt(a)) + 1, int(a) - 3,
			int(a), int(a) + 1, int(a + 3*math.Sqrt(a)), int(2 * a)} {
			got, want := ErlangB(c, a), erlangBFull(c, a)
			if math.Abs(got-want) > 1e-12*want {
				t.Errorf("ErlangB(%d, %v) = %.15g; recursion from 0 %.15g", c, a, got, want)
			}
		}
	}
}

func TestMMCOneServer(t *testing.T) {
	// M/M/1, lambda 0.5/s, mean service 1 s: rho 0.5, Wq = rho/(mu-lambda)
	// = 1 s, P(W > t) = rho exp(-(mu-lambda) t).
	q := MMC{ArrivalsPerSecond: 0.5, ServiceSeconds: 1, Servers: 1}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %.15g; want %.15g", name, got, want)
		}
	}
	near("Utilization", q.Utilization(), 0.5)
	near("MeanWaitSeconds", q.MeanWaitSeconds(), 1)
	near("WaitExceeds(2s)", q.WaitExceeds(2*time.Second), 0.5*math.Exp(-1))

	g := GGc{MMC: q, ArrivalSCV: 1, ServiceSCV: 1}
	near("GGc(1,1).MeanWaitSeconds", g.MeanWaitSeconds(), q.MeanWaitSeconds())
	near("GGc(1,1).WaitExceeds", g.WaitExceeds(3*time.Second), q.WaitExceeds(3*time.Second))
	// M/D/1 (cs^2 = 0): Allen-Cunneen halves the wait, which is exact
	// for one server (Pollaczek-Khinchine).
	d := GGc{MMC: q, ArrivalSCV: 1, ServiceSCV: 0}
	near("M/D/1 MeanWaitSeconds", d.MeanWaitSeconds(), 0.5)

	over := MMC{ArrivalsPerSecond: 2, ServiceSeconds: 1, Servers: 1}
	require.True(t, math.IsInf(over.MeanWaitSeconds(), 1), "unstable queue waits forever")
	require.Equal(t, 1.0, over.WaitExceeds(time.Hour))
}
