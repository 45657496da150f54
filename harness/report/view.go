package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
)

//go:embed page.html.tmpl
var templates embed.FS

var pageTemplate = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"seconds": packageTime,
	"explain": func(p scorecard.Package) string { return p.Explain() },
	"num":     fmtNum,
	"deref":   func(v *float64) float64 { return *v },
}).ParseFS(templates, "page.html.tmpl"))

// Limits that keep a page readable.
const (
	maxBarsPerChart     = 30
	maxChartsPerSection = 8
	maxTrendCharts      = 24
)

// page is what page.html.tmpl shows: one run, and on the dashboard the
// runs, trends and baselines around it.
type page struct {
	Title      string
	Dashboard  bool
	Run        *Run
	Headline   string
	Verdict    record.Verdict
	Meta       []string
	Rows       []rowView
	Headroom   template.HTML
	Categories []categoryView
	Packages   []scorecard.Package
	Warnings   []string
	Problems   []string
	FileLinks  []link

	// Dashboard only.
	RunsDir          string
	Runs             []runLine
	RunsProblems     []string
	Trends           []template.HTML
	TrendsLeftOut    int
	Baselines        []Comparison
	BaselineFiles    []string
	BaselineProblems []string
	BaselineChart    template.HTML
	BaselineAgainst  string
	BaselineClass    string
	Empty            string
}

type link struct{ Name, Href string }

type rowView struct {
	ID, Goal, Reason string
	Verdict          record.Verdict
	Mixed            bool
	// Figures are the figures the row shows; More says what it leaves
	// to the category tables.
	Figures []figView
	More    string
}

type figView struct {
	Target, Text, Threshold, Note, Machine, Scale, Test string
	Source                                              record.Source
	Verdict                                             record.Verdict
}

type categoryView struct {
	Name    string
	Figures []figView
	Charts  []template.HTML
}

type runLine struct {
	ID, Start, Scale, Duration string
	Verdict                    record.Verdict
	Problems                   []string
	Current                    bool
}

func viewFigure(r record.Record) figView {
	return figView{Target: r.Target, Text: figure(r), Threshold: threshold(r),
		Note: r.Note, Machine: r.Machine, Scale: r.Scale, Test: r.Test,
		Source: r.Source, Verdict: r.Verdict}
}

// runPage fills the parts of a page that show one run.
func runPage(r *Run) *page {
	sc := r.Scorecard
	p := &page{Title: "scaletest run " + r.ID, Run: r, Headline: headline(sc),
		Verdict: sc.Verdict, Meta: runMeta(r), Warnings: sc.Warnings,
		Problems: r.Problems}
	var head []Headroom
	for _, row := range sc.Rows {
		rv := rowView{ID: row.ID, Goal: row.Goal, Reason: row.Reason,
			Verdict: row.Verdict, Mixed: row.MixedMachines()}
		shown, more := condense(row.Figures)
		rv.More = more
		for _, f := range shown {
			rv.Figures = append(rv.Figures, viewFigure(f))
		}
		for _, f := range row.Figures {
			if used, ok := HeadroomOf(f); ok && f.Verdict != record.Info &&
				len(head) < maxBarsPerChart {
				head = append(head, Headroom{Label: row.ID + " · " + f.Name,
					Used: used, Verdict: f.Verdict})
			}
		}
		p.Rows = append(p.Rows, rv)
	}
	if len(head) > 0 {
		p.Headroom = HeadroomChart("Share of each limit used (log scale; "+
			"left of the line passes)", head)
	}
	p.Categories = categoryViews(r.Records)
	for _, f := range r.Files {
		// The report lies in the run directory: relative links.
		p.FileLinks = append(p.FileLinks, link{Name: f, Href: f})
	}
	if r.Manifest != nil {
		p.Packages = r.Manifest.Packages
	}
	return p
}

// categoryViews groups records by category, in run order, and draws a
// bar chart for every unit that two or more figures of a category share.
func categoryViews(recs []record.Record) []categoryView {
	by := make(map[string][]record.Record)
	for _, r := range recs {
		c := category(r)
		by[c] = append(by[c], r)
	}
	names := append(slices.Clone(scorecard.Categories), "other")
	for c := range by {
		if !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	var out []categoryView
	for _, name := range names {
		rs := by[name]
		if len(rs) == 0 {
			continue
		}
		cv := categoryView{Name: name}
		var units []string
		byUnit := make(map[string][]Bar)
		for _, r := range rs {
			cv.Figures = append(cv.Figures, viewFigure(r))
			if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
				continue
			}
			if _, ok := byUnit[r.Unit]; !ok {
				units = append(units, r.Unit)
			}
			byUnit[r.Unit] = append(byUnit[r.Unit], Bar{Label: r.Name, Value: r.Value,
				Verdict: r.Verdict, Threshold: r.Threshold})
		}
		for _, u := range units {
			bars := byUnit[u]
			if len(bars) < 2 || len(cv.Charts) == maxChartsPerSection {
				continue
			}
			title := fmt.Sprintf("%s: figures in %s", name, u)
			if len(bars) > maxBarsPerChart {
				title += fmt.Sprintf(" (first %d of %d)", maxBarsPerChart, len(bars))
				bars = bars[:maxBarsPerChart]
			}
			cv.Charts = append(cv.Charts, BarChart(title, u, bars))
		}
		out = append(out, cv)
	}
	return out
}

// WriteHTML writes the self-contained report of one run: scorecard,
// headroom chart, figures per category with their charts, packages.
func WriteHTML(w io.Writer, r *Run) error {
	if err := pageTemplate.Execute(w, runPage(r)); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}
