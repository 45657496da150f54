package report

import (
	"bytes"
	"cmp"
	"io/fs"
	"math"
	"slices"
	"strings"
)

// Baselines are the stored benchmark results that runs are compared with
// (testdata/baselines, committed by the performance category).
type Baselines struct {
	// Files are the baseline files read, relative to their directory.
	Files []string `json:"files"`
	// Series are the benchmark metrics of all files; a metric found in
	// several files keeps the values of all.
	Series []BenchSeries `json:"series"`
	// Problems lists unreadable files and malformed lines.
	Problems []string `json:"problems,omitempty"`
}

// LoadBaselines reads every file in fsys (recursively) that holds Go
// benchmark results. Files without a single result line are left out;
// a nil fsys gives empty baselines.
func LoadBaselines(fsys fs.FS) *Baselines {
	b := &Baselines{}
	if fsys == nil {
		return b
	}
	index := make(map[string]int)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			b.Problems = append(b.Problems, err.Error())
			return nil
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			b.Problems = append(b.Problems, err.Error())
			return nil
		}
		series, perr := ParseBench(bytes.NewReader(data), p)
		if len(series) == 0 {
			return nil
		}
		if perr != nil {
			b.Problems = append(b.Problems, perr.Error())
		}
		b.Files = append(b.Files, p)
		for _, s := range series {
			if i, ok := index[s.Key()]; ok {
				b.Series[i].Values = append(b.Series[i].Values, s.Values...)
				continue
			}
			index[s.Key()] = len(b.Series)
			b.Series = append(b.Series, s)
		}
		return nil
	})
	if err != nil {
		b.Problems = append(b.Problems, err.Error())
	}
	return b
}

// Comparison is a benchmark metric of a run against its baseline.
type Comparison struct {
	Pkg  string `json:"pkg"`
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Baseline and Current are medians, in Unit; Current is nil when the
	// run lacks the metric.
	Baseline float64  `json:"baseline"`
	Current  *float64 `json:"current,omitempty"`
	// DeltaPercent is (current - baseline) / baseline x 100.
	DeltaPercent *float64 `json:"delta_percent,omitempty"`
	// Better is +1 when higher is better, -1 when lower is, 0 unknown.
	Better int `json:"better"`
	// Change is "better", "worse", "same" (within 5%) or "" when it
	// cannot be told. Medians only: scaletest gate decides regressions
	// with statistics.
	Change string `json:"change,omitempty"`
}

// sameBand is the relative change of medians shown as "same", in
// percent. Runs vary 15-30% on shared machines (FACTS.md), so this is a
// reading aid, not a gate.
const sameBand = 5.0

// Compare pairs every baseline metric with the same metric of run
// (nil run: baselines only).
func (b *Baselines) Compare(run *Run) []Comparison {
	current := make(map[string]BenchSeries)
	if run != nil {
		for _, s := range run.Bench {
			current[s.Key()] = s
		}
	}
	var out []Comparison
	for _, s := range b.Series {
		c := Comparison{Pkg: s.Pkg, Name: s.Name, Unit: s.Unit,
			Baseline: s.Median(), Better: s.Better}
		if cur, ok := current[s.Key()]; ok {
			m := cur.Median()
			c.Current = &m
			if c.Better == 0 {
				c.Better = cur.Better
			}
			if c.Baseline != 0 {
				d := (m - c.Baseline) / math.Abs(c.Baseline) * 100
				c.DeltaPercent = &d
				switch {
				case math.Abs(d) <= sameBand:
					c.Change = "same"
				case c.Better != 0 && (d > 0) == (c.Better > 0):
					c.Change = "better"
				case c.Better != 0:
					c.Change = "worse"
				}
			}
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Comparison) int {
		return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Unit, b.Unit))
	})
	return out
}
