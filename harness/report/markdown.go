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
		if len(row.Figures) == 0 {
			p("| %s | %s | - | - | - | %s |\n", row.ID, cell(row.Goal), verdict)
			continue
		}
		for i, f := range row.Figures {
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

// writeSupporting lists the figures that name no target.
func writeSupporting(w io.Writer, recs []record.Record) {
	var sup []record.Record
	for _, r := range recs {
		if r.Target == "" {
			sup = append(sup, r)
		}
	}
	if len(sup) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Supporting figures\n\n")
	fmt.Fprintf(w, "| category | figure | threshold | source | verdict |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|\n")
	for _, r := range sup {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", category(r), cell(figure(r)),
			cell(threshold(r)), r.Source, r.Verdict)
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
