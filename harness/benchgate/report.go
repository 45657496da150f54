package benchgate

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// WriteText writes the verdict, the regressions, the findings and, when
// all is set, every comparison, as aligned text.
func (r *Result) WriteText(w io.Writer, all bool) error {
	o := r.Options
	regs := r.Regressions()
	fmt.Fprintf(w, "benchgate: %s (%d comparisons, %d regressions, "+
		"%d findings; threshold %g%%, alpha %g%s)\n", r.Verdict(),
		len(r.Comparisons), len(regs), len(r.Findings), o.Threshold*100,
		o.Alpha, map[bool]string{true: ", strict"}[o.Strict])
	show := regs
	if all {
		show = r.Comparisons
	}
	if len(show) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\nbenchmark\tunit\tbase\tnew\tchange\tp\tn\t")
		for _, c := range show {
			fmt.Fprintf(tw, "%s\t%s\t%.4g\t%.4g\t%s\t%.3f\t%d+%d\t%s\n",
				c.Benchmark, c.Unit, c.Base.Center, c.New.Center,
				formatChange(c), c.P, c.NBase, c.NNew, mark(c))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w, "\nfindings:")
		for _, f := range r.Findings {
			tag := "note"
			if f.Kind.Blocking() {
				tag = "cannot compare"
			}
			fmt.Fprintf(w, "  %s: %s\n", tag, f)
		}
	}
	return nil
}

// formatChange is the change as benchstat prints it: "~" when not
// significant.
func formatChange(c Comparison) string {
	switch {
	case !c.Significant:
		return "~"
	case math.IsInf(c.Change, 0):
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", c.Change*100)
}

func mark(c Comparison) string {
	switch {
	case c.Regression:
		return "REGRESSION"
	case c.Improvement:
		return "improved"
	case c.Better == 0:
		return "direction unknown"
	}
	return ""
}
