package report

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scaletest/scaletest/harness/record"
)

func TestBarChart(t *testing.T) {
	th := 2.0
	svg := string(BarChart("rtf <by> profile", "rtf", []Bar{
		{Label: "1080p", Value: 0.6, Verdict: record.Pass, Threshold: &th},
		{Label: "720p", Value: 2.4, Verdict: record.Fail, Threshold: &th},
		{Label: "broken", Value: math.NaN(), Verdict: record.Info},
	}))
	assert.Equal(t, 3, strings.Count(svg, `class="data"`))
	assert.Equal(t, 2, strings.Count(svg, `class="threshold"`))
	assert.Contains(t, svg, "rtf &lt;by&gt; profile", "titles are escaped")
	assert.Contains(t, svg, `fill="#c62828"`, "failing bar is red")
}

func TestLineChartBreaksAtGaps(t *testing.T) {
	th := 1.0
	svg := string(LineChart("trend", "rtf", []Point{
		{"a", 0.5, record.Pass}, {"b", 0.6, record.Pass}, {"c", math.NaN(), ""},
		{"d", 0.7, record.Pass}, {"e", 0.8, record.Fail}, {"f", math.NaN(), ""},
		{"g", 0.9, record.Pass},
	}, &th))
	d := regexp.MustCompile(`<path class="data series" d="([^"]*)"`).FindStringSubmatch(svg)
	if assert.Len(t, d, 2) {
		assert.Equal(t, 2, strings.Count(d[1], "M"), "path %q", d[1])
		assert.Equal(t, 2, strings.Count(d[1], "L"), "path %q: g is a lone dot", d[1])
	}
	assert.Equal(t, 5, strings.Count(svg, "<circle class=\"data\""))
	assert.Contains(t, svg, `class="threshold-line"`)
}

func TestHeadroomOf(t *testing.T) {
	tests := []struct {
		name string
		r    record.Record
		want float64
		ok   bool
	}{
		{"lower is better", record.Judged("", "rtf", 0.5, "rtf", record.Lower, 2, ""), 0.25, true},
		{"higher is better", record.Judged("", "avail", 0.999, "ratio", record.Higher, 0.999, ""),
			1, true},
		{"higher, short", record.Judged("", "up", 50, "/day", record.Higher, 100, ""), 2, true},
		{"zero value", record.Judged("", "lost", 0, "jobs", record.Lower, 0, ""), 0, false},
		{"no threshold", record.Record{Name: "x", Value: 1}, 0, false},
	}
	for _, tt := range tests {
		got, ok := HeadroomOf(tt.r)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: HeadroomOf = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLinearScaleTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 1240, []float64{0, 500, 1000, 1500}},
		{0.31, 0.62, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{-12, 8, []float64{-15, -10, -5, 0, 5, 10}},
		{0, 0, []float64{0, 0.5, 1}},
	}
	for _, tt := range tests {
		got := linearScale(tt.lo, tt.hi, 4, 0, 100).ticks
		assert.InDeltaSlice(t, tt.want, got, 1e-9, "linearScale(%v, %v)", tt.lo, tt.hi)
	}
}
