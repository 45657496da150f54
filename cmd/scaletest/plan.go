package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
)

const planUsage = `usage: scaletest plan [flags]

Prints the capacity and cost plan that scale.yaml implies, from the
configuration alone, in seconds, without running a test: the workload's
derived figures (videos per day and per second at mean, peak and burst,
media seconds and source bytes per day, peak ingress).

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
	figs := derivedFigures(cfg)
	// TODO: add the capacity plan (scalability.Plan) and the cost model
	// (costanalysis) once those packages are committed.
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Config  string       `json:"config"`
			Figures []planFigure `json:"figures"`
		}{path, figs}); err != nil {
			fmt.Fprintf(stderr, "scaletest plan: %v\n", err)
			return exitBroken
		}
		return exitOK
	}
	if path == "" {
		path = "built-in defaults"
	}
	fmt.Fprintf(stdout, "scaletest plan from %s\n\nWorkload\n", path)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, f := range figs {
		fmt.Fprintf(tw, "  %s\t%s\t(%s)\n", f.Name, f.Text, f.Source)
	}
	tw.Flush()
	return exitOK
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
