package month

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
)

// peakHeap samples the live heap from a run's progress callback.
type peakHeap struct{ max uint64 }

func (h *peakHeap) sample(des.Progress) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.max = max(h.max, ms.HeapAlloc)
}

// BenchmarkMonth simulates the month of scale.yaml: at the full volume
// (10 million videos by default) and at the local scale's tenth. One op
// is one month. It reports the events and videos simulated per second
// of wall time and the peak heap, sampled during the run.
func BenchmarkMonth(b *testing.B) {
	cfg := loadConfig(b)
	plan := defaultPlan(b, cfg)
	for _, f := range []float64{1, 0.1} {
		videos := cfg.Targets.Volume.VideosPerMonth * f
		b.Run(fmt.Sprintf("videos=%.3g", videos), func(b *testing.B) {
			var events, arrived uint64
			var heap peakHeap
			p := params(f)
			p.Progress = heap.sample
			p.ProgressEvery = 1 << 20
			start := time.Now()
			for range b.N {
				r, err := Run(b.Context(), cfg, plan, p)
				if err != nil {
					b.Fatal(err)
				}
				events += r.Events
				arrived += uint64(r.Videos.Arrived)
			}
			wall := time.Since(start).Seconds()
			b.ReportMetric(float64(events)/wall, "events/s")
			b.ReportMetric(float64(arrived)/wall, "videos/s")
			b.ReportMetric(float64(heap.max), "peak-heap-B")
		})
	}
}

// TestMemoryFlat runs one week and four weeks at the same rate: the peak
// heap must not grow with simulated time (jobs are recycled, statistics
// stream, videos waiting for YouTube are counted per minute).
func TestMemoryFlat(t *testing.T) {
	cfg := loadConfig(t)
	plan := defaultPlan(t, cfg)
	peak := func(days float64) (uint64, int64) {
		runtime.GC()
		var h peakHeap
		p := params(0.01)
		p.Days = days
		p.Progress = h.sample
		p.ProgressEvery = 1 << 12
		r, err := Run(t.Context(), cfg, plan, p)
		if err != nil {
			t.Fatal(err)
		}
		return h.max, r.Videos.Arrived
	}
	week, n1 := peak(7)
	month, n4 := peak(28)
	t.Logf("peak heap: %d videos %.1f MB, %d videos %.1f MB", n1,
		float64(week)/1e6, n4, float64(month)/1e6)
	if float64(month) > 1.25*float64(week)+2e6 {
		t.Errorf("peak heap of 28 days = %.1f MB; want about that of 7 days, "+
			"%.1f MB", float64(month)/1e6, float64(week)/1e6)
	}
}
