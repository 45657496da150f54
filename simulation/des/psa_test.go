package des_test

import (
	"math"
	"testing"
	"time"

	"github.com/scaletest/scaletest/scalability/queue"
	"github.com/scaletest/scaletest/simulation/des"
)

// cyclic is an M_t/M/c queue whose arrival rate follows a sinusoid
// lambda(t) = mean (1 + amp sin(2 pi t / period)).
type cyclic struct {
	c             int
	service       time.Duration // mean
	mean, amp     float64       // arrivals per second; relative amplitude
	period, until time.Duration
	bins          int // slices of the period the waits are binned in
}

func (q cyclic) rate(t time.Duration) float64 {
	x := 2 * math.Pi * float64(t%q.period) / float64(q.period)
	return q.mean * (1 + q.amp*math.Sin(x))
}

// simulate returns per bin the arrivals, the sum of their waits in
// seconds and the arrivals that waited. Arrivals come by thinning
// (Lewis-Shedler): candidates at the peak rate, each kept with
// probability lambda(t) / peak.
func (q cyclic) simulate(seed uint64) (n, waitSum, waited []float64) {
	n = make([]float64, q.bins)
	waitSum = make([]float64, q.bins)
	waited = make([]float64, q.bins)
	sim := des.New(q.c + 16)
	res := des.NewResource(q.c)
	arr, thin := des.NewStream(seed, 1), des.NewStream(seed, 2)
	svc := des.NewStream(seed, 3)
	peak := q.mean * (1 + q.amp)
	gap := des.Seconds(1 / peak)
	since := make(map[int32]time.Duration) // job -> arrival
	var next int32
	bin := func(t time.Duration) int {
		return int(int64(t%q.period) * int64(q.bins) / int64(q.period))
	}
	admit := func(s *des.Sim, job int32) {
		w := (s.Now() - since[job]).Seconds()
		b := bin(since[job])
		delete(since, job)
		waitSum[b] += w
		if w > 0 {
			waited[b]++
		}
		s.After(svc.Exp(q.service), kDepart, 0, 0)
	}
	sim.After(arr.Exp(gap), kArrive, 0, 0)
	sim.Run(q.until, func(s *des.Sim, ev des.Event) {
		switch ev.Kind {
		case kArrive:
			s.After(arr.Exp(gap), kArrive, 0, 0)
			if thin.Float64()*peak > q.rate(s.Now()) {
				return
			}
			next++
			since[next] = s.Now()
			n[bin(s.Now())]++
			if res.Request(s.Now(), next) {
				admit(s, next)
			}
		case kDepart:
			res.Release(s.Now())
			if job, _, ok := res.Admit(s.Now()); ok {
				admit(s, job)
			}
		}
	}, des.RunOptions{})
	return n, waitSum, waited
}

// psa returns the pointwise-stationary mean wait and probability of
// waiting of bin b: the stationary M/M/c figures at lambda(t), averaged
// over the bin weighted by the arrivals.
func (q cyclic) psa(b int) (wait, pWait float64) {
	const steps = 60
	var w, p, sum float64
	width := q.period / time.Duration(q.bins)
	for i := range steps {
		t := time.Duration(b)*width + (time.Duration(2*i+1)*width)/(2*steps)
		l := q.rate(t)
		m := queue.MMC{ArrivalsPerSecond: l,
			ServiceSeconds: q.service.Seconds(), Servers: q.c}
		w += l * m.MeanWaitSeconds()
		p += l * m.ProbWait()
		sum += l
	}
	return w / sum, p / sum
}

// TestPointwiseStationary compares a daily cycle with the
// pointwise-stationary approximation (Green-Kolesar-Whitt). With service
// times of a minute against a 24-hour cycle the queue tracks the rate:
// the day and its busy hours match the stationary M/M/c figures at each
// moment's rate. With two-hour service times the queue lags the rate, so
// the approximation must fail at the peak: the simulator does not merely
// reproduce it.
func TestPointwiseStationary(t *testing.T) {
	day := 24 * time.Hour
	days := 240
	if testing.Short() {
		days = 60
	}
	// Peak load 0.85, mean load 0.61 on 5 servers. Sixty days put the
	// statistical error of the figures judged near 3%.
	const c = 5
	fast := cyclic{c: c, service: time.Minute, amp: 0.4,
		period: day, until: time.Duration(days) * day, bins: 24}
	fast.mean = 0.85 * c / 60 / 1.4
	n, ws, wd := fast.simulate(11)

	// One hour alone is too noisy to judge (waits come in bursts); judge
	// the whole cycle and the busy hours around the peak (6 h in).
	type sums struct{ simW, psaW, simP, psaP, n float64 }
	var whole, busy sums
	for b := range fast.bins {
		w, p := fast.psa(b)
		add := func(s *sums) {
			s.simW += ws[b]
			s.psaW += w * n[b]
			s.simP += wd[b]
			s.psaP += p * n[b]
			s.n += n[b]
		}
		add(&whole)
		if b >= 3 && b < 9 {
			add(&busy)
		}
	}
	for _, c := range []struct {
		name string
		s    sums
	}{{"whole day", whole}, {"hours 3-9", busy}} {
		gotW, wantW := c.s.simW/c.s.n, c.s.psaW/c.s.n
		gotP, wantP := c.s.simP/c.s.n, c.s.psaP/c.s.n
		t.Logf("%s: mean wait %.3g s, PSA %.3g s; P(wait) %.4f, PSA %.4f",
			c.name, gotW, wantW, gotP, wantP)
		if rel := math.Abs(gotW/wantW - 1); rel > 0.10 {
			t.Errorf("%s: mean wait = %.3g s; PSA %.3g s (%.1f%% off)",
				c.name, gotW, wantW, 100*rel)
		}
		if rel := math.Abs(gotP/wantP - 1); rel > 0.06 {
			t.Errorf("%s: P(wait) = %.4f; PSA %.4f (%.1f%% off)",
				c.name, gotP, wantP, 100*rel)
		}
	}

	// Long service: same loads, service two hours.
	slow := fast
	slow.service = 2 * time.Hour
	slow.mean = fast.mean / 120
	n, ws, _ = slow.simulate(12)
	peak := 6 // the hour of the sinusoid's maximum
	w, _ := slow.psa(peak)
	got := ws[peak] / n[peak]
	t.Logf("slow service, peak hour: mean wait %.3g s, PSA %.3g s", got, w)
	if got > 0.8*w {
		t.Errorf("slow service: peak-hour wait %.3g s is within 20%% of "+
			"PSA %.3g s; the queue should lag the rate", got, w)
	}
}
