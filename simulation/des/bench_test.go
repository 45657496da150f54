package des_test

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
)

func TestMain(m *testing.M) {
	// benchstat learns the direction of custom units from these lines.
	fmt.Println("Unit events/s better=higher")
	os.Exit(m.Run())
}

// BenchmarkHold is the classic hold model: a fixed number of pending
// events, each handled event scheduling one more an exponential time
// later. It measures the heap and the dispatch alone.
func BenchmarkHold(b *testing.B) {
	for _, pending := range []int{2_000, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			sim := des.New(pending)
			rng := des.NewStream(1, 0)
			for range pending {
				sim.After(rng.Exp(time.Second), 0, 0, 0)
			}
			left := b.N
			b.ResetTimer()
			start := time.Now()
			sim.Run(math.MaxInt64, func(s *des.Sim, _ des.Event) {
				left--
				if left <= 0 {
					s.Stop()
					return
				}
				s.After(rng.Exp(time.Second), 0, 0, 0)
			}, des.RunOptions{})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(),
				"events/s")
		})
	}
}

// BenchmarkMMc runs an M/M/10 queue at load 0.9: heap, random numbers
// and the resource's statistics together. One op is one arrival.
func BenchmarkMMc(b *testing.B) {
	start := time.Now()
	res, _ := mmc(1, 10, 9.0/60, 1.0/60, b.N)
	b.ReportMetric(float64(2*res.Admitted)/time.Since(start).Seconds(),
		"events/s")
}
