package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
)

// Dashboard is everything the dashboard shows at one moment.
type Dashboard struct {
	// RunsDir names the runs directory for the page.
	RunsDir string
	// Runs are all run directories, oldest first.
	Runs []*Run
	// Current is the run shown in full (nil when there are none).
	Current   *Run
	Baselines *Baselines
	// ListError says why the runs directory could not be listed.
	ListError string
}

// Latest returns the newest run that finished without problems, else the
// newest run, else nil.
func Latest(runs []*Run) *Run {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Complete() {
			return runs[i]
		}
	}
	if len(runs) > 0 {
		return runs[len(runs)-1]
	}
	return nil
}

// WriteHTML renders the dashboard page.
func (d *Dashboard) WriteHTML(w io.Writer) error {
	p := &page{Title: "scaletest dashboard"}
	if d.Current != nil {
		p = runPage(d.Current)
		p.Title = "scaletest dashboard: run " + d.Current.ID
		for i := range p.FileLinks {
			p.FileLinks[i].Href = "/scale-dashboard/runs/" + d.Current.ID +
				"/files/" + p.FileLinks[i].Name
		}
	}
	p.Dashboard = true
	p.RunsDir = d.RunsDir
	switch {
	case d.ListError != "":
		p.Empty = d.ListError
	case len(d.Runs) == 0:
		p.Empty = fmt.Sprintf("No runs yet in %s: run `scaletest run` (or make scale).",
			d.RunsDir)
	}
	for i := len(d.Runs) - 1; i >= 0; i-- {
		r := d.Runs[i]
		line := runLine{ID: r.ID, Verdict: r.Scorecard.Verdict, Problems: r.Problems,
			Current: r == d.Current, Start: "-", Scale: "-", Duration: "-"}
		if t := r.Start(); !t.IsZero() {
			line.Start = t.UTC().Format("2006-01-02 15:04 UTC")
		}
		if m := r.Manifest; m != nil {
			line.Scale, line.Duration = m.Scale, roundDuration(m.DurationSeconds)
		}
		p.Runs = append(p.Runs, line)
		if len(r.Problems) > 0 && r != d.Current {
			p.RunsProblems = append(p.RunsProblems, fmt.Sprintf("%s: %s", r.ID,
				r.Problems[0]))
		}
	}
	d.trendCharts(p)
	d.baselineSection(p)
	if err := pageTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("render dashboard: %w", err)
	}
	return nil
}

func (d *Dashboard) trendCharts(p *page) {
	for _, t := range Trends(d.Runs) {
		if t.Measured() == 0 {
			continue
		}
		if len(p.Trends) == maxTrendCharts {
			p.TrendsLeftOut++
			continue
		}
		pts := make([]Point, len(t.Points))
		for i, tp := range t.Points {
			pts[i] = Point{Label: shortRunLabel(tp.Run), Value: math.NaN(),
				Verdict: tp.Verdict}
			if tp.Value != nil {
				pts[i].Value = *tp.Value
			}
		}
		title := t.Name
		if t.Target != "" {
			title = t.Target + " · " + t.Name
		}
		p.Trends = append(p.Trends, LineChart(title, t.Unit, pts, t.Threshold))
	}
}

// shortRunLabel turns a run id 20261203T170102Z into "12-03 17:01".
func shortRunLabel(id string) string {
	if len(id) == len(IDLayout) && id[8] == 'T' {
		return id[4:6] + "-" + id[6:8] + " " + id[9:11] + ":" + id[11:13]
	}
	return truncate(id, 12)
}

func (d *Dashboard) baselineSection(p *page) {
	b := d.Baselines
	if b == nil {
		return
	}
	p.BaselineFiles, p.BaselineProblems = b.Files(), b.Problems
	against := newestWithBench(d.Runs)
	p.BaselineClass = ClassOf(against)
	p.Baselines = b.Compare(against, p.BaselineClass)
	if len(p.Baselines) == 0 && len(b.Sets) > 0 {
		p.BaselineProblems = append(p.BaselineProblems, fmt.Sprintf(
			"no baselines for machine class %s (baselines exist for: %s)",
			p.BaselineClass, strings.Join(b.Classes(), ", ")))
	}
	if against == nil {
		return
	}
	p.BaselineAgainst = against.ID
	var bars []Bar
	for _, c := range p.Baselines {
		if c.DeltaPercent == nil || len(bars) == maxBarsPerChart {
			continue
		}
		v := record.Info
		switch c.Change {
		case "better", "same":
			v = record.Pass
		case "worse":
			v = record.Fail
		}
		bars = append(bars, Bar{Label: c.Name + " " + c.Unit, Value: *c.DeltaPercent,
			Verdict: v})
	}
	if len(bars) > 0 {
		p.BaselineChart = BarChart("Change of the median against the baseline "+
			"(green: better or within 5%, red: worse)", "%", bars)
	}
}

// newestWithBench returns the newest run with benchmark results, or nil.
func newestWithBench(runs []*Run) *Run {
	for i := len(runs) - 1; i >= 0; i-- {
		if len(runs[i].Bench) > 0 {
			return runs[i]
		}
	}
	return nil
}
