package des_test

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/scaletest/scaletest/scalability/queue"
	"github.com/scaletest/scaletest/simulation/des"
)

const (
	kArrive des.Kind = iota
	kDepart
)

// mmc runs an M/M/c queue with n arrivals and returns its resource and
// the time the last arrival came.
func mmc(seed uint64, c int, lambda, mu float64, n int) (*des.Resource,
	time.Duration) {
	sim := des.New(c + 16)
	res := des.NewResource(c)
	arr, svc := des.NewStream(seed, 1), des.NewStream(seed, 2)
	meanIA := des.Seconds(1 / lambda)
	meanS := des.Seconds(1 / mu)
	arrived := 0
	var last time.Duration
	sim.After(arr.Exp(meanIA), kArrive, 0, 0)
	sim.Run(math.MaxInt64, func(s *des.Sim, ev des.Event) {
		switch ev.Kind {
		case kArrive:
			arrived++
			last = s.Now()
			if res.Request(s.Now(), 0) {
				s.After(svc.Exp(meanS), kDepart, 0, 0)
			}
			if arrived < n {
				s.After(arr.Exp(meanIA), kArrive, 0, 0)
			}
		case kDepart:
			res.Release(s.Now())
			if _, _, ok := res.Admit(s.Now()); ok {
				s.After(svc.Exp(meanS), kDepart, 0, 0)
			}
		}
	}, des.RunOptions{})
	return res, last
}

// pooled merges the statistics of reps independent replications of an
// M/M/c queue (seeds 1 to reps), run in parallel.
type pooled struct {
	waits  *des.Histogram
	queue  float64 // queue length x seconds, summed over replications
	length float64 // seconds, summed over replications
}

func replicate(reps, c int, lambda, mu float64, n int) pooled {
	out := make([]*des.Resource, reps)
	ends := make([]time.Duration, reps)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			out[i], ends[i] = mmc(uint64(i+1), c, lambda, mu, n)
		})
	}
	wg.Wait()
	p := pooled{waits: des.NewHistogram()}
	for i, r := range out {
		p.waits.Merge(r.Waits)
		p.queue += r.QueueTW.Integral(ends[i])
		p.length += ends[i].Seconds()
	}
	return p
}

// TestMMcMatchesErlangC checks the mean wait, the share of arrivals that
// wait and the mean queue length against the closed forms. Sample sizes
// put the statistical error near a third of the 2% tolerance: waits in a
// many-server queue come in rare long excursions, so c = 100 needs about
// 100 million arrivals and runs at the local scale only.
func TestMMcMatchesErlangC(t *testing.T) {
	tests := []struct {
		name    string
		c       int
		rho     float64
		n, reps int
		long    bool
	}{
		{"c1-rho0.8", 1, 0.8, 2_500_000, 2, false},
		{"c10-rho0.8", 10, 0.8, 2_000_000, 4, false},
		{"c100-rho0.9", 100, 0.9, 12_000_000, 10, true},
	}
	const mu = 1.0 / 60 // service rate, 1/s: one-minute mean service
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.long && testing.Short() {
				t.Skip("needs about 10^8 arrivals (25 s on 2 cores); " +
					"runs without -short")
			}
			lambda := tt.rho * float64(tt.c) * mu
			p := replicate(tt.reps, tt.c, lambda, mu, tt.n)
			q := queue.MMC{ArrivalsPerSecond: lambda, ServiceSeconds: 1 / mu,
				Servers: tt.c}
			wantWq := q.MeanWaitSeconds()
			check := func(what string, got, want float64) {
				t.Helper()
				rel := math.Abs(got/want - 1)
				t.Logf("%s = %.4g; Erlang C %.4g (%.2f%% off)", what, got,
					want, 100*rel)
				if rel > 0.02 {
					t.Errorf("%s = %.4g; want %.4g (Erlang C), off by %.2f%%",
						what, got, want, 100*rel)
				}
			}
			check("mean wait (s)", p.waits.Mean(), wantWq)
			n := float64(p.waits.Count())
			check("P(wait > 0)", float64(p.waits.CountAbove(0))/n,
				q.ProbWait())
			check("mean queue length", p.queue/p.length, lambda*wantWq)
			// The tail: the wait exceeded by 10% of arrivals.
			t10 := p.waits.Quantile(0.9)
			check("P(wait > p90)", float64(p.waits.CountAbove(t10))/n,
				q.WaitExceeds(des.Seconds(t10)))
		})
	}
}
