package scalability

import (
	"fmt"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
)

// Period is a stretch of the week with a steady arrival rate. The model
// sizes every resource for every period (pointwise-stationary, after
// Green, Kolesar and Whitt): never one steady state for the whole week.
type Period struct {
	// Label names the period: "Mon 11:00" or "burst on Mon 12:00".
	Label string
	// Weekday counts from Monday (0); Hour is 0-23 UTC.
	Weekday int
	Hour    int
	// Burst marks the launch-day surge on top of the busiest hour.
	Burst    bool
	Duration time.Duration
	// VideosPerSecond is the arrival rate in the period.
	VideosPerSecond float64
}

var weekdays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// Periods returns the 168 hours of a week, Monday 00:00 first, each at
// mean rate x hourly weight x weekday weight (weights over their means),
// followed by the burst period when the configuration has one: the
// busiest hour's rate times workload.burst.factor for burst.minutes.
func Periods(cfg *targets.Config) []Period {
	d := cfg.Derive()
	w := cfg.Workload
	hMean, dMean := mean(w.HourlyShape), mean(w.WeeklyShape)
	out := make([]Period, 0, 7*24+1)
	busiest := 0
	for day := range 7 {
		for h := range 24 {
			rate := d.MeanVideosPerSecond * w.HourlyShape[h] / hMean *
				w.WeeklyShape[day] / dMean
			out = append(out, Period{
				Label:   fmt.Sprintf("%s %02d:00", weekdays[day], h),
				Weekday: day, Hour: h, Duration: time.Hour, VideosPerSecond: rate,
			})
			if rate > out[busiest].VideosPerSecond {
				busiest = len(out) - 1
			}
		}
	}
	if b := w.Burst; b.Factor > 1 && b.Minutes > 0 {
		p := out[busiest]
		out = append(out, Period{
			Label:   "burst on " + p.Label,
			Weekday: p.Weekday, Hour: p.Hour, Burst: true,
			Duration:        time.Duration(b.Minutes * float64(time.Minute)),
			VideosPerSecond: p.VideosPerSecond * b.Factor,
		})
	}
	return out
}

func mean(s []float64) float64 {
	if len(s) == 0 {
		return 1
	}
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t / float64(len(s))
}
