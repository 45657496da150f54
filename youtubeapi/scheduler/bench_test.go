package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// BenchmarkCycle measures one upload's way through the scheduler (Submit,
// Next, Report) among 3,334 channels of 100 uploads a day, the shape of
// 333,333 uploads a day; the simulation pays this per video.
func BenchmarkCycle(b *testing.B) {
	const channels = 3334
	caps := make([]int, channels)
	for i := range caps {
		caps[i] = 100
	}
	s := newSched(b, quota.Units(1<<40), caps...)
	now := t0
	step := 24 * time.Hour / 333_333
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		id := ids[i%len(ids)]
		if err := s.Submit(Upload{ID: id, Channel: fmt.Sprint("c", i%channels)},
			now); err != nil {
			b.Fatal(err)
		}
		d, ok, err := s.Next(b.Context(), now)
		if err != nil || !ok {
			b.Fatalf("Next = %v, %v at upload %d", ok, err, i)
		}
		if _, err := s.Report(b.Context(), d.Upload.ID, youtubeapi.Success,
			now); err != nil {
			b.Fatal(err)
		}
		now = now.Add(step)
	}
}
