package report

import (
	"cmp"
	"slices"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
)

// Trend is one figure (a record name in a unit) across runs.
type Trend struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Target string `json:"target,omitempty"`
	// Threshold is the newest threshold the figure was judged against.
	Threshold *float64 `json:"threshold,omitempty"`
	// Points has one entry per run, oldest first.
	Points []TrendPoint `json:"points"`
}

// TrendPoint is a figure's value in one run; Value is nil when the run
// has no such figure.
type TrendPoint struct {
	Run     string         `json:"run"`
	Value   *float64       `json:"value"`
	Verdict record.Verdict `json:"verdict,omitempty"`
}

// Measured counts the runs that have the figure.
func (t *Trend) Measured() int {
	n := 0
	for _, p := range t.Points {
		if p.Value != nil {
			n++
		}
	}
	return n
}

// Trends follows every record name across runs (oldest first), target
// figures first in scorecard order, then supporting ones by name. When a
// run has several records of one name, the last one counts.
func Trends(runs []*Run) []Trend {
	type key struct{ name, unit string }
	index := make(map[key]int)
	var out []Trend
	for i, r := range runs {
		for _, rec := range r.Records {
			k := key{rec.Name, rec.Unit}
			j, ok := index[k]
			if !ok {
				j = len(out)
				index[k] = j
				t := Trend{Name: rec.Name, Unit: rec.Unit, Points: make([]TrendPoint, len(runs))}
				for n, run := range runs {
					t.Points[n].Run = run.ID
				}
				out = append(out, t)
			}
			v := rec.Value
			out[j].Points[i].Value = &v
			out[j].Points[i].Verdict = rec.Verdict
			if rec.Target != "" {
				out[j].Target = rec.Target
			}
			if rec.Threshold != nil {
				th := *rec.Threshold
				out[j].Threshold = &th
			}
		}
	}
	order := make(map[string]int)
	for i, id := range scorecard.IDs {
		order[id] = i + 1
	}
	slices.SortStableFunc(out, func(a, b Trend) int {
		oa, ob := order[a.Target], order[b.Target]
		if oa == 0 {
			oa = len(order) + 1
		}
		if ob == 0 {
			ob = len(order) + 1
		}
		return cmp.Or(cmp.Compare(oa, ob), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Unit, b.Unit))
	})
	return out
}
