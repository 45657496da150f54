package queue

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestServersForIsMinimal(t *testing.T) {
	tests := []struct {
		name string
		q    GGc
		slo  WaitSLO
	}{
		{"mm1-ish", GGc{MMC{0.5, 1, 0}, 1, 1}, WaitSLO{0, 0.4}},
		{"call centre", GGc{MMC{10.0 / 180, 180, 0}, 1, 1}, WaitSLO{20 * time.Second, 0.2}},
		{"lognormal jobs", GGc{MMC{5, 300, 0}, 1, math.E - 1}, WaitSLO{5 * time.Minute, 0.01}},
		{"huge pool", GGc{MMC{300, 300, 0}, 1, 1.7}, WaitSLO{time.Minute, 0.001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ServersFor(tt.q, tt.slo)
			require.NoError(t, err)
			at := func(c int) float64 {
				q := tt.q
				q.Servers = c
				return q.WaitExceeds(tt.slo.MaxWait)
			}
			if p := at(c); p > tt.slo.Probability {
				t.Errorf("ServersFor = %d; P(W > %v) = %v there, above %v",
					c, tt.slo.MaxWait, p, tt.slo.Probability)
			}
			if p := at(c - 1); p <= tt.slo.Probability && float64(c-1) > tt.q.Load() {
				t.Errorf("ServersFor = %d; %d already meets the SLO (P = %v)", c, c-1, p)
			}
		})
	}
}

func TestServersForHandCase(t *testing.T) {
	// a = 0.5 erlang, P(wait) <= 0.4: one server waits with p 0.5, two
	// with 2 rho^2/(1+rho) = 0.1 (rho 0.25).
	c, err := ServersFor(GGc{MMC{0.5, 1, 0}, 1, 1}, WaitSLO{0, 0.4})
	require.NoError(t, err)
	require.Equal(t, 2, c)
	c, err = ServersFor(GGc{MMC{0, 1, 0}, 1, 1}, WaitSLO{0, 0.4})
	require.NoError(t, err)
	require.Equal(t, 0, c, "no arrivals need no servers")
}

// TestServersForAgainstSquareRootStaffing cross-checks the exact search
// with the Halfin-Whitt square-root rule, which it should approach as
// the load grows.
func TestServersForAgainstSquareRootStaffing(t *testing.T) {
	const pWait = 0.2
	beta := HalfinWhittBeta(pWait)
	for _, a := range []float64{100, 1_000, 10_000, 100_000} {
		c, err := ServersFor(GGc{MMC{a, 1, 0}, 1, 1}, WaitSLO{0, pWait})
		require.NoError(t, err)
		sqrt := SqrtStaffing(a, beta)
		// The limit is accurate to about one server plus a shrinking
		// relative error in the safety staffing beta sqrt(a).
		if tol := 2 + 0.05*beta*math.Sqrt(a); math.Abs(float64(c-sqrt)) > tol {
			t.Errorf("a = %v: ServersFor = %d; square-root staffing (beta %.3f) %d, "+
				"apart by more than %.1f", a, c, beta, sqrt, tol)
		}
	}
}

func TestServersForRejects(t *testing.T) {
	ok := GGc{MMC{1, 1, 0}, 1, 1}
	_, err := ServersFor(ok, WaitSLO{time.Second, 0})
	require.ErrorContains(t, err, "probability must be in (0, 1]")
	_, err = ServersFor(ok, WaitSLO{-time.Second, 0.1})
	require.ErrorContains(t, err, "max wait must be at least 0")
	_, err = ServersFor(GGc{MMC{math.NaN(), 1, 0}, 1, 1}, WaitSLO{0, 0.1})
	require.ErrorIs(t, err, ErrBadQueue)
}

func TestHalfinWhittBeta(t *testing.T) {
	// beta = 0 gives P(wait) = 1; the published anchor beta ~ 0.5 gives
	// about 0.5 (Halfin and Whitt 1981): check the inverse round-trips.
	for _, p := range []float64{0.9, 0.5, 0.2, 0.01} {
		b := HalfinWhittBeta(p)
		cdf := 0.5 * math.Erfc(-b/math.Sqrt2)
		pdf := math.Exp(-b*b/2) / math.Sqrt(2*math.Pi)
		if got := 1 / (1 + b*cdf/pdf); math.Abs(got-p) > 1e-9 {
			t.Errorf("HalfinWhittBeta(%v) = %v, which gives P(wait) %v", p, b, got)
		}
	}
	require.True(t, math.IsNaN(HalfinWhittBeta(1.5)))
}
