package costanalysis

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

// Records returns, for each cost given (declared, optimized; nil ones
// are skipped), the cost per video judged against
// targets.cost.max_usd_per_video with every input's source in the note,
// the cost per month, and each component per video as info.
func Records(cfg *targets.Config, costs ...*Cost) []record.Record {
	var out []record.Record
	for _, c := range costs {
		if c == nil {
			continue
		}
		r := record.Judged("cost", "cost/"+c.Name+"/usd-per-video", float64(c.PerVideo),
			"USD/video", record.Lower, cfg.Targets.Cost.MaxUSDPerVideo, c.Source)
		r.Note = c.Note()
		out = append(out, r)
		out = append(out, record.Record{Target: "cost", Name: "cost/" + c.Name +
			"/usd-per-month", Value: float64(c.PerMonth), Unit: "USD/month",
			Verdict: record.Info, Source: c.Source,
			Note: fmt.Sprintf("%.0f videos per month", c.VideosPerMonth)})
		for _, comp := range Components {
			v := float64(c.Component(comp))
			if v == 0 || math.IsNaN(v) {
				continue
			}
			var items []string
			for _, l := range c.Lines {
				if l.Component == comp {
					items = append(items, l.Item)
				}
			}
			out = append(out, record.Record{Target: "cost",
				Name:  "cost/" + c.Name + "/" + string(comp),
				Value: v, Unit: "USD/video", Verdict: record.Info, Source: c.Source,
				Note: strings.Join(items, "; ")})
		}
	}
	return out
}

// Note says in one paragraph what the cost is made of and where every
// input came from.
func (c *Cost) Note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v per video, %v per month; dominant: %s.", c.PerVideo, c.PerMonth,
		c.Dominant())
	for _, comp := range Components {
		if v := c.Component(comp); v > 0 {
			fmt.Fprintf(&b, " %s %v;", comp, v)
		}
	}
	b.WriteString(" Inputs:")
	for _, in := range c.Inputs {
		fmt.Fprintf(&b, " %s = %.6g %s [%s: %s];", in.Name, in.Value, in.Unit, in.Source,
			in.From)
	}
	if len(c.Warnings) > 0 {
		fmt.Fprintf(&b, " Warnings: %v", c.Err())
	}
	return b.String()
}

// WriteBreakdown writes the bill line by line with each line's share of
// idle capacity, then the cost of videos by length.
func (c *Cost) WriteBreakdown(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tper month\tper video\tshare\tutilisation\n", c.Name)
	for _, l := range c.Lines {
		util := "-"
		if l.Utilisation > 0 {
			util = fmt.Sprintf("%.1f%%", l.Utilisation*100)
		}
		fmt.Fprintf(tw, "%s: %s\t%v\t%v\t%.1f%%\t%s\n", l.Component, l.Item, l.PerMonth,
			l.PerVideo, 100*float64(l.PerVideo/c.PerVideo), util)
	}
	fmt.Fprintf(tw, "total (%s)\t%v\t%v\t\t\n", c.Source, c.PerMonth, c.PerVideo)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write breakdown: %w", err)
	}
	for _, l := range c.ByLength {
		fmt.Fprintf(w, "  p%g video (%v): %v\n", l.Quantile*100, l.Length.Round(1e9), l.PerVideo)
	}
	return nil
}
