package month

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteSummary writes the run's findings as plain text: one line per
// figure, then one row per pool.
func (r *Result) WriteSummary(w io.Writer) error {
	h := func(d time.Duration) string { return fmt.Sprintf("%.2f h", d.Hours()) }
	lb := ""
	if r.Publish.LowerBound {
		lb = " (lower bounds: unpublished videos count with their age)"
	}
	var blocked string
	for _, b := range r.YouTube.Blocked {
		blocked += fmt.Sprintf(" %s %.0f h;", b.Reason, b.Time.Hours())
	}
	lines := []string{
		fmt.Sprintf("month: %.0f days + %v drain, fraction %g, seed %d, "+
			"service times from %s", r.Horizon.Hours()/24, r.End-r.Horizon,
			r.Fraction, r.Seed, r.Source),
		fmt.Sprintf("videos: %d arrived, %d processed, %d published, %d "+
			"unpublished", r.Videos.Arrived, r.Videos.Processed,
			r.Videos.Published, r.Videos.Unpublished),
		fmt.Sprintf("publish: p50 %s, p95 %s, p99 %s against %s%s",
			h(r.Publish.P50), h(r.Publish.P95), h(r.Publish.P99),
			h(r.TargetP99), lb),
		fmt.Sprintf("processing: p50 %v, p95 %v, p99 %v",
			r.Processing.P50.Round(time.Second),
			r.Processing.P95.Round(time.Second),
			r.Processing.P99.Round(time.Second)),
		fmt.Sprintf("youtube: %d uploads started, %d retried; quota ran out "+
			"on %d days; %d deferred at month end (peak %d); blocked:%s "+
			"extra calls %d made, %d refused", r.YouTube.UploadsStarted,
			r.YouTube.Retried, r.YouTube.ExhaustedDays,
			r.YouTube.DeferredAtMonthEnd, r.YouTube.PeakDeferred, blocked,
			r.YouTube.ExtraCalls, r.YouTube.ExtraDeferred),
		fmt.Sprintf("cost per video: %v = compute %v (simulated; declared "+
			"around the clock %v) + storage %v + egress %v + databases %v; "+
			"compute %v over the month (%s)", r.Cost.PerVideo,
			r.Cost.ComputePerVideo, r.Cost.Other.DeclaredCompute,
			r.Cost.Other.Storage, r.Cost.Other.Egress, r.Cost.Other.Database,
			r.Cost.Compute, r.Cost.Prices),
		fmt.Sprintf("little: L %.4g, lambda W %.4g (rel. error %.2g); "+
			"whole system %.2g", r.Little.L, r.Little.Lambda*r.Little.W,
			r.Little.RelErr, r.Little.SystemRelErr),
		fmt.Sprintf("run: %d events in %v (%.3g events/s)", r.Events,
			r.Wall.Round(time.Millisecond), float64(r.Events)/r.Wall.Seconds()),
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pool\tunits\tmean paid\tutil\tmean queue\tmax queue\t"+
		"wait p99\tfailures\tspot\tinterrupted\tlost work\tcost")
	for _, p := range r.Pools {
		fmt.Fprintf(tw, "%s\t%d %s\t%.1f\t%.1f%%\t%.2f\t%.0f\t%v\t%d\t%d\t%d\t"+
			"%v\t%v\n", p.Name, p.Declared, p.Unit, p.MeanUnits,
			100*p.Utilisation, p.MeanQueue, p.MaxQueue,
			p.WaitP99.Round(time.Second), p.Failures, p.SpotReclaims,
			p.Interrupted, p.LostWork.Round(time.Second), p.Cost)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.Notes {
		if _, err := fmt.Fprintln(w, "note: "+n); err != nil {
			return err
		}
	}
	return nil
}
