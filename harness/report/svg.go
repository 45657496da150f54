package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
)

// Charts are handwritten SVG: they render in any browser without scripts
// or fonts from the network. Every chart is an <svg class="chart"> whose
// data marks carry class "data", which the browser test counts.

const (
	chartWidth = 680 // px
	labelWidth = 220 // px left of horizontal bars
	rowHeight  = 22  // px per horizontal bar
	marginTop  = 30  // px, room for the title
	marginEnd  = 24  // px right of the plot
	axisHeight = 26  // px under the plot for tick labels
)

// colors by verdict.
var verdictColor = map[record.Verdict]string{
	record.Pass:        "#2e7d32",
	record.Fail:        "#c62828",
	record.NotMeasured: "#b26a00",
	record.Info:        "#546e7a",
}

func colorOf(v record.Verdict) string {
	if c, ok := verdictColor[v]; ok {
		return c
	}
	return "#546e7a"
}

// svgDoc accumulates one chart.
type svgDoc struct {
	b    strings.Builder
	w, h float64
}

func newSVG(title string, w, h float64) *svgDoc {
	s := &svgDoc{w: w, h: h}
	t := html.EscapeString(title)
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" `+
		`width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`,
		w, h, w, h, t)
	fmt.Fprintf(&s.b, `<title>%s</title>`, t)
	fmt.Fprintf(&s.b, `<rect x="0" y="0" width="%.0f" height="%.0f" fill="#fff"/>`, w, h)
	s.text(8, 18, "start", "chart-title", title)
	return s
}

func (s *svgDoc) text(x, y float64, anchor, class, txt string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`,
		x, y, anchor, class, html.EscapeString(txt))
}

func (s *svgDoc) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`,
		x1, y1, x2, y2, class)
}

func (s *svgDoc) html() template.HTML {
	s.b.WriteString(`</svg>`)
	// The builder escapes every text it writes; the rest is our markup.
	return template.HTML(s.b.String())
}

// scale maps data values to pixels, linear or base-10 logarithmic.
type scale struct {
	lo, hi float64 // data range
	p0, p1 float64 // pixel range
	log    bool
	ticks  []float64
}

func (sc *scale) at(v float64) float64 {
	lo, hi := sc.lo, sc.hi
	if sc.log {
		v, lo, hi = math.Log10(v), math.Log10(lo), math.Log10(hi)
	}
	f := (v - lo) / (hi - lo)
	f = math.Max(0, math.Min(1, f))
	return sc.p0 + f*(sc.p1-sc.p0)
}

// linearScale covers lo..hi (and 0) with about n round ticks.
func linearScale(lo, hi float64, n int, p0, p1 float64) *scale {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if hi-lo == 0 || math.IsNaN(hi-lo) || math.IsInf(hi-lo, 0) {
		lo, hi = 0, 1
	}
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n))))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(step*m) <= float64(n) {
			step *= m
			break
		}
	}
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	sc := &scale{lo: lo, hi: hi, p0: p0, p1: p1}
	for v := lo; v <= hi+step/2; v += step {
		sc.ticks = append(sc.ticks, math.Round(v/step)*step)
	}
	return sc
}

// Bar is one horizontal bar of a bar chart.
type Bar struct {
	Label   string
	Value   float64
	Verdict record.Verdict
	// Threshold, when set, is marked on the bar.
	Threshold *float64
}

// BarChart draws labeled horizontal bars on a linear axis in unit, each
// colored by its verdict, thresholds marked by a dark tick.
func BarChart(title, unit string, bars []Bar) template.HTML {
	lo, hi := 0.0, 0.0
	for _, b := range bars {
		lo, hi = minFinite(lo, b.Value), maxFinite(hi, b.Value)
		if b.Threshold != nil {
			lo, hi = minFinite(lo, *b.Threshold), maxFinite(hi, *b.Threshold)
		}
	}
	h := marginTop + float64(len(bars))*rowHeight + axisHeight
	s := newSVG(title, chartWidth, h)
	x := linearScale(lo, hi, 5, labelWidth, chartWidth-marginEnd)
	bottom := h - axisHeight
	s.axisX(x, marginTop, bottom, unit)
	for i, b := range bars {
		y := marginTop + float64(i)*rowHeight
		s.text(labelWidth-6, y+rowHeight/2+4, "end", "label", truncate(b.Label, 34))
		x0, x1 := x.at(0), x.at(b.Value)
		if math.IsNaN(b.Value) {
			x1 = x0
		}
		fmt.Fprintf(&s.b, `<rect class="data" x="%.1f" y="%.1f" width="%.1f" `+
			`height="%.1f" fill="%s"><title>%s</title></rect>`,
			math.Min(x0, x1), y+4, math.Max(math.Abs(x1-x0), 1), rowHeight-8.0,
			colorOf(b.Verdict), html.EscapeString(fmt.Sprintf("%s: %s %s (%s)",
				b.Label, fmtNum(b.Value), unit, b.Verdict)))
		if b.Threshold != nil {
			tx := x.at(*b.Threshold)
			s.line(tx, y+1, tx, y+rowHeight-1, "threshold")
		}
	}
	return s.html()
}

// axisX draws vertical grid lines and tick labels under the plot.
func (s *svgDoc) axisX(x *scale, top, bottom float64, unit string) {
	for _, t := range x.ticks {
		px := x.at(t)
		s.line(px, top, px, bottom, "grid")
		s.text(px, bottom+14, "middle", "tick", fmtNum(t))
	}
	if unit != "" {
		s.text(chartWidth-marginEnd, 18, "end", "unit", unit)
	}
}

// Headroom is one judged figure for the headroom chart.
type Headroom struct {
	Label string
	// Used is the share of the limit the figure uses: value/threshold
	// when lower is better, threshold/value when higher is better; at
	// most 1 passes.
	Used    float64
	Verdict record.Verdict
}

// HeadroomOf returns the share of its limit r uses, and false when r has
// no threshold or the share is undefined (zero or negative figures).
func HeadroomOf(r record.Record) (float64, bool) {
	if r.Threshold == nil || r.Value <= 0 || *r.Threshold <= 0 {
		return 0, false
	}
	if r.Better == record.Higher {
		return *r.Threshold / r.Value, true
	}
	return r.Value / *r.Threshold, true
}

// HeadroomChart draws how much of each limit the figures use, on a log
// axis from 1% to 100x with the limit at 1: bars that end left of the
// line pass.
func HeadroomChart(title string, items []Headroom) template.HTML {
	h := marginTop + float64(len(items))*rowHeight + axisHeight
	s := newSVG(title, chartWidth, h)
	x := &scale{lo: 0.01, hi: 100, p0: labelWidth, p1: chartWidth - marginEnd, log: true,
		ticks: []float64{0.01, 0.1, 1, 10, 100}}
	bottom := h - axisHeight
	s.axisX(x, marginTop, bottom, "share of limit")
	for i, it := range items {
		y := marginTop + float64(i)*rowHeight
		s.text(labelWidth-6, y+rowHeight/2+4, "end", "label", truncate(it.Label, 34))
		x1 := x.at(it.Used)
		fmt.Fprintf(&s.b, `<rect class="data" x="%.1f" y="%.1f" width="%.1f" `+
			`height="%.1f" fill="%s"><title>%s</title></rect>`,
			x.p0, y+4, math.Max(x1-x.p0, 1), rowHeight-8.0, colorOf(it.Verdict),
			html.EscapeString(fmt.Sprintf("%s uses %s of its limit", it.Label,
				fmtNum(it.Used))))
	}
	limit := x.at(1)
	s.line(limit, marginTop-4, limit, bottom, "limit")
	s.text(limit+3, marginTop-6, "start", "tick", "limit")
	return s.html()
}

// Point is one value of a trend; NaN for a run without it.
type Point struct {
	Label   string
	Value   float64
	Verdict record.Verdict
}

// LineChart draws values over runs, left to right, with an optional
// dashed threshold line. Gaps (NaN) break the line.
func LineChart(title, unit string, pts []Point, threshold *float64) template.HTML {
	const w, h = 410.0, 210.0
	s := newSVG(title, w, h)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = minFinite(lo, p.Value), maxFinite(hi, p.Value)
	}
	if threshold != nil {
		lo, hi = minFinite(lo, *threshold), maxFinite(hi, *threshold)
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	const left, right, bottom = 60.0, w - marginEnd, h - 40
	y := linearScale(lo, hi, 4, bottom, marginTop)
	for _, t := range y.ticks {
		py := y.at(t)
		s.line(left, py, right, py, "grid")
		s.text(left-6, py+4, "end", "tick", fmtNum(t))
	}
	s.text(right, 18, "end", "unit", unit)
	xAt := func(i int) float64 {
		if len(pts) < 2 {
			return (left + right) / 2
		}
		return left + float64(i)*(right-left)/float64(len(pts)-1)
	}
	if threshold != nil {
		ty := y.at(*threshold)
		s.line(left, ty, right, ty, "threshold-line")
	}
	// Lines join neighbouring values; a lone value is only its dot.
	var d strings.Builder
	for i, p := range pts {
		if math.IsNaN(p.Value) {
			continue
		}
		prev := i > 0 && !math.IsNaN(pts[i-1].Value)
		next := i+1 < len(pts) && !math.IsNaN(pts[i+1].Value)
		switch {
		case prev:
			fmt.Fprintf(&d, "L%.1f %.1f ", xAt(i), y.at(p.Value))
		case next:
			fmt.Fprintf(&d, "M%.1f %.1f ", xAt(i), y.at(p.Value))
		}
	}
	if d.Len() > 0 {
		fmt.Fprintf(&s.b, `<path class="data series" d="%s"/>`, strings.TrimSpace(d.String()))
	}
	step := max(1, len(pts)/4)
	for i, p := range pts {
		if i%step == 0 || i == len(pts)-1 {
			anchor := "middle"
			switch {
			case len(pts) == 1:
			case i == 0:
				anchor = "start"
			case i == len(pts)-1:
				anchor = "end"
			}
			s.text(xAt(i), bottom+16, anchor, "tick", p.Label)
		}
		if math.IsNaN(p.Value) {
			continue
		}
		fmt.Fprintf(&s.b, `<circle class="data" cx="%.1f" cy="%.1f" r="3.5" fill="%s">`+
			`<title>%s</title></circle>`, xAt(i), y.at(p.Value), colorOf(p.Verdict),
			html.EscapeString(fmt.Sprintf("%s: %s %s (%s)", p.Label, fmtNum(p.Value),
				unit, p.Verdict)))
	}
	return s.html()
}

func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 1e6 || a < 1e-3:
		return fmt.Sprintf("%.3g", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func minFinite(a, b float64) float64 {
	if math.IsNaN(b) || math.IsInf(b, 0) {
		return a
	}
	return math.Min(a, b)
}

func maxFinite(a, b float64) float64 {
	if math.IsNaN(b) || math.IsInf(b, 0) {
		return a
	}
	return math.Max(a, b)
}
