package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
)

// WriteSummary writes the run's scorecard in Markdown: the headline, one
// table row per figure, the reasons behind every verdict other than pass,
// warnings, problems with the run directory, and the packages.
func WriteSummary(w io.Writer, r *Run) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	sc := r.Scorecard

	p("# scaletest run %s\n\n", r.ID)
	p("**%s**\n\n", headline(sc))
	p("%s\n\n", strings.Join(runMeta(r), " · "))

	p("## Scorecard\n\n")
	p("| target | goal | figure | threshold | source | verdict |\n")
	p("|---|---|---|---|---|---|\n")
	for _, row := range sc.Rows {
		verdict := fmt.Sprintf("**%s**", verdictWord(row.Verdict))
		shown, more := condense(row.Figures)
		if len(shown) == 0 {
			p("| %s | %s | - | - | - | %s |\n", row.ID, cell(row.Goal), verdict)
		}
		for i, f := range shown {
			id, goal, v := "", "", string(f.Verdict)
			if i == 0 {
				id, goal, v = row.ID, cell(row.Goal), verdict
			}
			fig := figure(f)
			if row.MixedMachines() {
				fig += " [" + f.Machine + "]"
			}
			p("| %s | %s | %s | %s | %s | %s |\n", id, goal, cell(fig),
				cell(threshold(f)), f.Source, v)
		}
		if more != "" {
			p("|  |  | %s (report.html lists every figure) |  |  |  |\n", more)
		}
	}

	var why []string
	for _, row := range sc.Rows {
		if row.Reason != "" {
			why = append(why, fmt.Sprintf("**%s**: %s", row.ID, row.Reason))
		}
	}
	list(bw, "Why", why)
	list(bw, "Warnings", sc.Warnings)
	list(bw, "Problems with this run directory", r.Problems)
	if m := r.Manifest; m != nil {
		writePackages(bw, m.Packages)
	}
	writeSupporting(bw, r.Records)
	return bw.Flush()
}

func list(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## %s\n\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", oneLine(it))
	}
}

func writePackages(w io.Writer, pkgs []scorecard.Package) {
	if len(pkgs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Packages\n\n")
	fmt.Fprintf(w, "| package | status | tests | failed | skipped | time | note |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|\n")
	for _, pk := range pkgs {
		note := ""
		if pk.Status != scorecard.Passed || len(pk.Skips) > 0 {
			note = pk.Explain()
		}
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %s | %s |\n", pk.Path, pk.Status,
			pk.Tests, pk.TestsFailed, pk.TestsSkipped,
			packageTime(pk), cell(note))
	}
}

// Figures a scorecard row shows before it sums up the rest.
const (
	maxBadShown  = 8 // failing or not measured
	maxPassShown = 3
)

// condense picks the figures a scorecard row shows, the deciding ones
// first (figs come sorted so), and says what it left out, such as "and
// 44 more passing, 10 supporting figure(s)".
func condense(figs []record.Record) ([]record.Record, string) {
	var shown []record.Record
	var bad, pass, info int
	for _, f := range figs {
		switch f.Verdict {
		case record.Info:
			info++
		case record.Pass:
			if pass++; pass <= maxPassShown {
				shown = append(shown, f)
			}
		default:
			if bad++; bad <= maxBadShown {
				shown = append(shown, f)
			}
		}
	}
	var more []string
	if bad > maxBadShown {
		more = append(more, fmt.Sprintf("%d more failing or not measured", bad-maxBadShown))
	}
	if pass > maxPassShown {
		more = append(more, fmt.Sprintf("%d more passing", pass-maxPassShown))
	}
	if info > 0 {
		more = append(more, fmt.Sprintf("%d supporting", info))
	}
	if len(more) == 0 {
		return shown, ""
	}
	return shown, "and " + strings.Join(more, ", ") + " figure(s)"
}

// supporting reports whether r stays out of the scorecard table: it names
// no target or decides nothing.
func supporting(r record.Record) bool {
	return r.Target == "" || r.Verdict == record.Info
}

// writeSupporting lists the figures that are not in the scorecard table.
func writeSupporting(w io.Writer, recs []record.Record) {
	var sup []record.Record
	for _, r := range recs {
		if supporting(r) {
			sup = append(sup, r)
		}
	}
	if len(sup) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Supporting figures\n\n")
	fmt.Fprintf(w, "| category | target | figure | threshold | source | verdict |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|\n")
	for _, r := range sup {
		target := r.Target
		if target == "" {
			target = "-"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", category(r), target,
			cell(figure(r)), cell(threshold(r)), r.Source, r.Verdict)
	}
}

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// packageTime is the package's test time, "-" for one that did not run.
func packageTime(p scorecard.Package) string {
	switch p.Status {
	case scorecard.NotPresent, scorecard.NotSelected, scorecard.NotFinished:
		return "-"
	}
	return roundDuration(p.ElapsedSeconds)
}
