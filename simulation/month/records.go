package month

import (
	"fmt"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
)

// Records turns a run into records for the scorecard. The volume target
// is judged on the publish p99 against targets.volume.publish_p99; the
// rest are supporting figures (info):
//
//	publish-p99            volume  s        judged
//	publish-p50, -p95      volume  s
//	processing-p99         volume  s        upload to ready for YouTube
//	videos-simulated       volume  videos
//	videos-unpublished     volume  videos   at the end of the run
//	deferred-uploads       youtube videos   waiting for YouTube at month end
//	quota-exhausted-days   youtube days
//	uploads-per-day        youtube uploads/day
//	sim-cost-per-video     cost    USD/video compute at simulated use +
//	                                         the cost model's other lines
//	lost-work              reliability s    service thrown away by failures
//	little-rel-err         volume  ratio    Little's law check
//	sim-events-per-second  (none)  events/s
//
// Every record's source is the plan's: modeled from measured figures
// when the run measured them, config otherwise.
func Records(r *Result) []record.Record {
	src := r.Source
	scale := fmt.Sprintf("fraction %g of the month's volume (pools and "+
		"quotas scaled alike), seed %d", r.Fraction, r.Seed)
	info := func(target, name string, v float64, unit string,
		better record.Better, note string) record.Record {
		return record.Record{Target: target, Name: name, Value: v, Unit: unit,
			Better: better, Verdict: record.Info, Source: src,
			Note: note + "; " + scale}
	}
	p := r.Publish
	judged := record.Judged("volume", "publish-p99", p.P99.Seconds(), "s",
		record.Lower, r.TargetP99.Seconds(), src)
	judged.Note = fmt.Sprintf("upload to published on YouTube over %d "+
		"videos; %s", p.Count, scale)
	if p.LowerBound {
		judged.Note = fmt.Sprintf("a lower bound: %d of %d videos were not "+
			"published when the run ended and count with their age; %s",
			p.Censored, p.Count, judged.Note)
	}
	var blocked []string
	for _, b := range r.YouTube.Blocked {
		blocked = append(blocked, fmt.Sprintf("%s %.0f h", b.Reason,
			b.Time.Hours()))
	}
	var lost float64
	var interrupted uint64
	for _, pl := range r.Pools {
		lost += pl.LostWork.Seconds()
		interrupted += pl.Interrupted
	}
	recs := []record.Record{judged,
		info("volume", "publish-p50", p.P50.Seconds(), "s", record.Lower,
			"upload to published"),
		info("volume", "publish-p95", p.P95.Seconds(), "s", record.Lower,
			"upload to published"),
		info("volume", "processing-p99", r.Processing.P99.Seconds(), "s",
			record.Lower, "upload to ready for YouTube (all stages)"),
		info("volume", "videos-simulated", float64(r.Videos.Arrived),
			"videos", "", "arrivals in the month"),
		info("volume", "videos-unpublished", float64(r.Videos.Unpublished),
			"videos", record.Lower, "not on YouTube when the run ended"),
		info("youtube", "deferred-uploads",
			float64(r.YouTube.DeferredAtMonthEnd), "videos", record.Lower,
			"processed videos waiting for YouTube at month end; blocked: "+
				strings.Join(blocked, ", ")),
		info("youtube", "quota-exhausted-days",
			float64(r.YouTube.ExhaustedDays), "days", record.Lower,
			"Pacific days on which a project's upload quota ran out"),
		info("youtube", "uploads-per-day",
			float64(r.Videos.Published)/(r.End.Hours()/24)/r.Fraction,
			"uploads/day", record.Higher,
			"published per day of the run, at full volume"),
		info("cost", "sim-cost-per-video", float64(r.Cost.PerVideo),
			"USD/video", record.Lower, fmt.Sprintf("compute %v as simulated "+
				"(units paid for, idle included; declared around the clock: "+
				"%v) + storage %v + egress %v + databases %v; prices: %s; %s",
				r.Cost.ComputePerVideo, r.Cost.Other.DeclaredCompute,
				r.Cost.Other.Storage, r.Cost.Other.Egress,
				r.Cost.Other.Database, r.Cost.Prices, r.Cost.Other.Note)),
		info("reliability", "lost-work", lost, "s", record.Lower,
			fmt.Sprintf("service time thrown away by %d interrupted jobs "+
				"(failures, spot reclaims, scale-down); no video lost",
				interrupted)),
		info("volume", "little-rel-err", r.Little.RelErr, "ratio",
			record.Lower, fmt.Sprintf("|L - lambda W| / L of processing: "+
				"L %.4g videos, lambda %.4g videos/s, W %.4g s",
				r.Little.L, r.Little.Lambda, r.Little.W)),
		info("", "sim-events-per-second",
			float64(r.Events)/r.Wall.Seconds(), "events/s", record.Higher,
			fmt.Sprintf("%d events in %v", r.Events, r.Wall)),
	}
	return recs
}
