package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scaletest/scaletest/costanalysis"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

const planUsage = `usage: scaletest plan [flags]

Prints the capacity and cost plan that scale.yaml implies, in seconds,
without running a test: the workload's derived figures (videos per day
and per second at mean, peak and burst, media and source bytes per day),
the capacity model of package scalability (every declared resource sized
for the busiest period with its N+k margin, storage, network, the fleet
each way of encoding would need), the cost model of package costanalysis
(the declared architecture at dated prices, and the cheapest mix that
meets the plan) and the verdicts they imply for the cluster, storage,
network and cost targets. Per-unit figures come from the
embedded assumptions, or from a run's measurements with -records.

Exit status: 0 the plan holds, 1 a modeled target fails, 2 misuse or a
bad configuration.

Flags:
`

// planFigure is one line of the plan.
type planFigure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Text is the value as printed, with its unit.
	Text   string `json:"text"`
	Source string `json:"source"`
}

func cmdPlan(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scaletest plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", configHelp)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	recordsPath := fs.String("records", "", "records `file` whose measured figures "+
		"replace assumptions (a run's records.jsonl)")
	fs.Usage = func() {
		fmt.Fprint(stderr, planUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageExit(err)
	}
	root, _ := moduleRoot("")
	cfg, path, _, err := loadConfigFor(*configPath, root)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
		return exitBroken
	}
	var m scalability.Measurements
	if *recordsPath != "" {
		recs, err := record.ReadFile(*recordsPath)
		if len(recs) == 0 && err != nil {
			fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
			return exitBroken
		}
		if err != nil {
			fmt.Fprintf(stderr, "scaletest plan: some records unreadable: %v\n", err)
		}
		m = scalability.MeasurementsFromRecords(recs)
	}
	capacity, err := scalability.Plan(cfg, m)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
		return exitBroken
	}
	recs := scalability.Records(capacity)
	opts := costanalysis.Options{}
	declared, err := costanalysis.Declared(capacity, opts)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest plan: cost of the declared architecture: %v\n", err)
		return exitBroken
	}
	optimized, err := costanalysis.Optimize(capacity, costanalysis.OptimizeOptions{Options: opts})
	if err != nil {
		// The declared cost still stands; say why there is no better mix.
		fmt.Fprintf(stderr, "scaletest plan: optimizer: %v\n", err)
	}
	var optCost *costanalysis.Cost
	if optimized != nil {
		optCost = optimized.Cost
	}
	recs = append(recs, costanalysis.Records(cfg, declared, optCost)...)
	verdicts := planVerdicts(cfg, recs)
	code := exitOK
	for _, v := range verdicts {
		if v.Verdict == record.Fail {
			code = exitTargetFailed
		}
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Config   string          `json:"config"`
			Figures  []planFigure    `json:"figures"`
			Verdicts []scorecard.Row `json:"verdicts"`
			Records  []record.Record `json:"records"`
			Notes    []string        `json:"notes,omitempty"`
		}{path, derivedFigures(cfg), verdicts, recs, capacity.Notes}); err != nil {
			fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
			return exitBroken
		}
		return code
	}
	if path == "" {
		path = "built-in defaults"
	}
	fmt.Fprintf(stdout, "scaletest plan from %s\n\nWorkload\n", path)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, f := range derivedFigures(cfg) {
		fmt.Fprintf(tw, "  %s\t%s\t(%s)\n", f.Name, f.Text, f.Source)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nCapacity (scalability)\n")
	if err := capacity.WriteTable(stdout); err != nil {
		fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
		return exitBroken
	}
	for _, n := range capacity.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	fmt.Fprintf(stdout, "\nCost of the declared architecture (costanalysis)\n")
	if err := declared.WriteBreakdown(stdout); err != nil {
		fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
		return exitBroken
	}
	if optimized != nil {
		fmt.Fprintf(stdout, "\nCheapest mix that meets the plan (costanalysis optimizer)\n")
		for _, c := range optimized.Chosen {
			fmt.Fprintf(stdout, "  buy %d x %s %s\n", c.Count, c.Instance.Name, c.Option)
		}
		if err := optimized.Cost.WriteBreakdown(stdout); err != nil {
			fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
			return exitBroken
		}
		for _, n := range optimized.Notes {
			fmt.Fprintf(stdout, "note: %s\n", n)
		}
	}
	fmt.Fprintf(stdout, "\nTargets the plan decides\n")
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, v := range verdicts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.ID, strings.ToUpper(string(v.Verdict)), v.Goal)
		if v.Reason != "" {
			fmt.Fprintf(tw, "  \t\t%s\n", v.Reason)
		}
	}
	tw.Flush()
	return code
}

// planVerdicts returns the scorecard rows of the targets recs bear on.
func planVerdicts(cfg *targets.Config, recs []record.Record) []scorecard.Row {
	decided := make(map[string]bool)
	for _, r := range recs {
		decided[r.Target] = true
	}
	var rows []scorecard.Row
	for _, row := range scorecard.Build(cfg, recs, nil).Rows {
		if decided[row.ID] {
			rows = append(rows, row)
		}
	}
	return rows
}

// derivedFigures lists the workload figures of targets.Derive.
func derivedFigures(cfg *targets.Config) []planFigure {
	d := cfg.Derive()
	fig := func(name string, v float64, unit, text string) planFigure {
		return planFigure{Name: name, Value: v, Unit: unit, Text: text, Source: "config"}
	}
	num := func(v float64, unit string) string { return fmt.Sprintf("%.4g %s", v, unit) }
	return []planFigure{
		fig("videos per day", d.VideosPerDay, "videos/day", num(d.VideosPerDay, "videos/day")),
		fig("mean arrival rate", d.MeanVideosPerSecond, "videos/s",
			num(d.MeanVideosPerSecond, "videos/s")),
		fig("peak factor (busiest hour)", d.PeakFactor, "x", num(d.PeakFactor, "x mean")),
		fig("peak arrival rate", d.PeakVideosPerSecond, "videos/s",
			num(d.PeakVideosPerSecond, "videos/s")),
		fig("burst arrival rate", d.BurstVideosPerSecond, "videos/s",
			num(d.BurstVideosPerSecond, "videos/s")),
		fig("mean video length", d.MeanVideoLength.Seconds(), "s",
			d.MeanVideoLength.Round(time.Second).String()),
		fig("media per day", d.MediaSecondsPerDay/3600, "h/day",
			num(d.MediaSecondsPerDay/3600, "h/day")),
		fig("source bytes per day", d.SourceBytesPerDay, "B/day",
			units.Bytes(d.SourceBytesPerDay).String()+"/day"),
		fig("peak source ingress", d.PeakSourceBitsPerSecond, "bit/s",
			units.BitsPerSecond(d.PeakSourceBitsPerSecond).String()),
	}
}
