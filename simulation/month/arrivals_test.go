package month

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scaletest/scaletest/simulation/des"
)

// TestArrivalsFollowTheRate draws a month of arrivals and compares the
// count in every hour with the integral of the rate there (a chi-square
// test over 720 hours), and the launch bursts with the rate raised by
// the burst factor.
func TestArrivalsFollowTheRate(t *testing.T) {
	cfg := loadConfig(t)
	horizon := 30 * 24 * time.Hour
	const videos = 400_000
	a := newArrivals(cfg.Workload, DefaultStart, horizon, videos)
	r := des.NewStream(5, 1)
	hours := make([]float64, 720)
	var burst, total float64
	burstLen := time.Duration(cfg.Workload.Burst.Minutes * float64(time.Minute))
	peak := a.rate(0)
	for _, x := range a.rates {
		peak = max(peak, x)
	}
	for t0, ok := a.next(0, r); ok; t0, ok = a.next(t0, r) {
		hours[int(t0/time.Hour)]++
		total++
		if a.rate(t0) == peak {
			burst++
		}
	}

	// Expected counts per hour from the piecewise-constant rate.
	want := make([]float64, 720)
	var from time.Duration
	var wantBurst float64
	for i, end := range a.ends {
		for t0 := from; t0 < end; {
			h := int(t0 / time.Hour)
			stop := min(end, time.Duration(h+1)*time.Hour)
			want[h] += a.rates[i] * (stop - t0).Seconds()
			t0 = stop
		}
		if a.rates[i] == peak {
			wantBurst += a.rates[i] * (end - from).Seconds()
		}
		from = end
	}
	chi2 := 0.0
	for h := range hours {
		d := hours[h] - want[h]
		chi2 += d * d / want[h]
	}
	// 720 degrees of freedom: mean 720, standard deviation 38.
	assert.Less(t, chi2, 720+5*38.0, "chi-square of hourly counts")
	assert.InDelta(t, videos, total, 5*math.Sqrt(videos), "month's total")
	assert.InDelta(t, wantBurst, burst, 5*math.Sqrt(wantBurst),
		"arrivals in the bursts")
	// One burst on each busiest weekday of the month.
	busiest := argmax(cfg.Workload.WeeklyShape)
	days := 0.0
	for d := range 30 {
		wd := DefaultStart.AddDate(0, 0, d).Weekday()
		if (int(wd)+6)%7 == busiest {
			days++
		}
	}
	wantLen := days * burstLen.Seconds()
	assert.InDelta(t, wantLen, wantBurst/peak, 1,
		"seconds at the burst rate")
	t.Logf("chi2 %.0f over 720 hours; %v arrivals; %v in bursts (want %.0f)",
		chi2, total, burst, wantBurst)
}

func TestLengthsFollowTheDistribution(t *testing.T) {
	cfg := loadConfig(t)
	d := cfg.Workload.VideoLength
	l := newLengths(d)
	r := des.NewStream(6, 2)
	h := des.NewHistogram()
	for range 200_000 {
		h.Record(l.draw(r))
	}
	// The capped mean and the quantiles of targets.LengthDistribution.
	assert.InEpsilon(t, d.Mean().Seconds(), h.Mean(), 0.02, "mean")
	for _, q := range []float64{0.5, 0.9, 0.99} {
		assert.InEpsilon(t, d.Quantile(q).Seconds(), h.Quantile(q), 0.03,
			"quantile %v", q)
	}
	assert.LessOrEqual(t, h.Max(), d.Max.Seconds())
}
