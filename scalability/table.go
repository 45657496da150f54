package scalability

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// WriteTable writes the capacity table of c as aligned text: one row per
// resource, then the storage and network figures and the alternatives.
func (c *CapacityPlan) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "resource\tbusiest period\tload\trequired\t+k\tdeclared\tunit\t"+
		"headroom\tmean util\tverdict\tsource")
	for _, r := range c.Resources {
		busiest, load := "-", "-"
		if len(r.Loads) == len(c.Periods) {
			busiest = c.Periods[r.Busiest].Label
			load = fmt.Sprintf("%.4g", r.Loads[r.Busiest].Offered)
		}
		util := "-"
		if r.MeanUtilisation > 0 {
			util = fmt.Sprintf("%.1f%%", r.MeanUtilisation*100)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, busiest, load,
			num(r.Required), num(r.Spare), num(r.Declared), r.Unit, pct(r.Headroom()), util,
			r.Verdict, r.Source)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}

	s := c.Storage
	fmt.Fprintf(w, "\nstorage: %.0f MB per video (%.0f source + %.0f outputs), "+
		"%.1f TB/day (target %g), writes %.1f Gbit/s peak hour, %.1f in the burst, "+
		"%.2f PB retained (%s)\n", s.BytesPerVideo/1e6, s.SourceBytesPerVideo/1e6,
		s.OutputBytesPerVideo/1e6, s.TBPerDay, c.Config.Targets.Storage.MaxTBPerDay,
		s.PeakHourWriteGbps, s.BurstWriteGbps, s.RetainedPB, s.Source)
	for _, d := range c.Network {
		fmt.Fprintf(w, "network %s: %.0f MB per video, %.1f Gbit/s peak hour "+
			"(target %g sustained), %.1f Gbit/s busiest minute (target %g burst) (%s)\n",
			d.Direction, d.BytesPerVideo/1e6, d.PeakHourGbps,
			c.Config.Targets.Network.SustainedGbps, d.BusiestMinuteGbps,
			c.Config.Targets.Network.BurstGbps, d.Source)
	}
	fmt.Fprintln(w, "\nwhat the whole workload needs, by way of encoding (with N+k):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range c.Alternatives {
		fmt.Fprintf(tw, "  %s\t%s %s\t(%s before spare)\t%s\n", a.Name, num(a.WithSpare),
			a.Unit, num(a.Required), a.Source)
	}
	return tw.Flush()
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func pct(v float64) string {
	if math.IsInf(v, 1) {
		return "n/a"
	}
	return fmt.Sprintf("%+.0f%%", v*100)
}
