package dbload

import (
	"fmt"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
)

// rateShareThreshold is the share of its target rate a run must achieve;
// it matches "rate >= 95%" in mix.yaml's run thresholds.
const rateShareThreshold = 0.95

// RateAtSLORecord judges a steady run: its achieved rate against 95% of
// its target, passing only when every threshold of the run held. The Note
// lists what failed.
func RateAtSLORecord(rep *Report) record.Record {
	r := record.Judged("", "dbload/"+string(rep.Store)+"/rate-at-slo",
		rep.Total.Achieved(), "ops/s", record.Higher,
		rateShareThreshold*rep.Total.Target, record.Measured)
	if !rep.Pass {
		r.Verdict = record.Fail
	}
	r.Note = fmt.Sprintf("%.3g videos/s for %v: target %.1f ops/s; %d errors, "+
		"%d late starts (counted in latency)",
		rep.VideosPerSecond, rep.Duration, rep.Total.Target, rep.Total.Errors,
		rep.Total.Late+rep.Total.Dropped)
	if f := rep.Failures(); len(f) > 0 {
		r.Note += "; failed: " + strings.Join(f, "; ")
	}
	if u := rep.Unjudged(); len(u) > 0 {
		r.Note += fmt.Sprintf("; %d thresholds not judged for want of samples", len(u))
	}
	return r
}

// OpRecords gives each operation's p99 latency in a run, in ms.
func OpRecords(rep *Report) []record.Record {
	var out []record.Record
	for _, or := range rep.Ops {
		p99, ok := or.Result.Latency.Quantile(0.99)
		if !ok {
			continue
		}
		out = append(out, record.Record{
			Name:  "dbload/" + string(rep.Store) + "/" + or.Spec.Name + "/p99",
			Value: ms(p99), Unit: "ms", Better: record.Lower,
			Verdict: record.Info, Source: record.Measured,
			Note: fmt.Sprintf("%d operations at %.3g/s; thresholds %s",
				or.Result.Completed, or.Rate, strings.Join(or.Spec.SLO, ", ")),
		})
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// KneeRecords gives the knee of a store in operations per second (info)
// and in videos per second, judged against the platform's peak
// (target volume). opsPerVideo is the store's operations per video.
func KneeRecords(s Store, k load.Knee, opsPerVideo,
	peakVideosPerSecond float64) []record.Record {
	bound := "bounded: the next rate failed"
	if !k.Bounded {
		bound = "unbounded: every rate tried passed, the knee is higher"
	}
	note := fmt.Sprintf("%s; %d steps; %.4g ops per video", bound, len(k.Steps),
		opsPerVideo)
	knee := record.Record{
		Name: "dbload/" + string(s) + "/knee", Value: k.Rate * opsPerVideo,
		Unit: "ops/s", Better: record.Higher, Verdict: record.Info,
		Source: record.Measured, Note: note,
	}
	vps := record.Judged("volume", "dbload/"+string(s)+"/videos-per-second-at-slo",
		k.Rate, "videos/s", record.Higher, peakVideosPerSecond, record.Measured)
	vps.Note = note + fmt.Sprintf("; peak %.3g videos/s", peakVideosPerSecond)
	return []record.Record{knee, vps}
}

// USLRecords gives one record per point of a concurrency sweep of op.
// The Note starts with "concurrency=N".
func USLRecords(s Store, op string, pts []load.Point) []record.Record {
	out := make([]record.Record, 0, len(pts))
	for _, p := range pts {
		p99, _ := p.Result.Latency.Quantile(0.99)
		out = append(out, record.Record{
			Name: "usl/" + string(s) + "/" + op, Value: p.Throughput, Unit: "ops/s",
			Better: record.Higher, Verdict: record.Info, Source: record.Measured,
			Note: fmt.Sprintf("concurrency=%d; p99=%v; errors=%d", p.Concurrency,
				p99, p.Result.Errors),
		})
	}
	return out
}

// RatioRecord gives the driver's throughput over a reference tool's.
func RatioRecord(name string, driver, reference float64, what string) record.Record {
	return record.Record{
		Name: name, Value: driver / reference, Unit: "ratio", Better: record.Higher,
		Verdict: record.Info, Source: record.Measured,
		Note: fmt.Sprintf("%s: driver %.0f/s, reference %.0f/s; goal >= 0.9",
			what, driver, reference),
	}
}
