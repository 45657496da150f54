package report

import (
	"bytes"
	"cmp"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scaletest/scaletest/harness/benchgate"
)

// Baselines are the stored benchmark results that runs are compared with:
// testdata/baselines/<machine class>/*.txt, committed by the performance
// category (see harness/benchgate). Files directly in the directory
// belong to no class and are compared with every run.
type Baselines struct {
	// Sets holds one entry per file with benchmark results.
	Sets []BaselineSet `json:"sets"`
	// Problems lists unreadable files and malformed lines.
	Problems []string `json:"problems,omitempty"`
}

// BaselineSet is one baseline file.
type BaselineSet struct {
	// File is the path relative to the baselines directory.
	File string `json:"file"`
	// Class is the machine class (the first directory of File), empty
	// for a file at the top.
	Class  string        `json:"class,omitempty"`
	Series []BenchSeries `json:"series"`
}

// LoadBaselines reads every file in fsys (recursively) that holds Go
// benchmark results. Files without a single result line (README.md) are
// left out; a nil fsys gives empty baselines.
func LoadBaselines(fsys fs.FS) *Baselines {
	b := &Baselines{}
	if fsys == nil {
		return b
	}
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
		class := ""
		if dir := path.Dir(p); dir != "." {
			class, _, _ = strings.Cut(dir, "/")
		}
		b.Sets = append(b.Sets, BaselineSet{File: p, Class: class, Series: series})
		return nil
	})
	if err != nil {
		b.Problems = append(b.Problems, err.Error())
	}
	return b
}

// Files lists the baseline files.
func (b *Baselines) Files() []string {
	var out []string
	for _, s := range b.Sets {
		out = append(out, s.File)
	}
	return out
}

// Classes lists the machine classes that have baselines.
func (b *Baselines) Classes() []string {
	var out []string
	for _, s := range b.Sets {
		if s.Class != "" && !slices.Contains(out, s.Class) {
			out = append(out, s.Class)
		}
	}
	slices.Sort(out)
	return out
}

var machinePattern = regexp.MustCompile(`^(.*) x(\d+) \S+/\S+$`)

// MachineClass returns the baseline class of a machine as
// record.Machine describes it ("AMD EPYC x2 linux/amd64" is
// "amd-epyc-x2"), or "" when the description has another form.
func MachineClass(machine string) string {
	m := machinePattern.FindStringSubmatch(machine)
	if m == nil {
		return ""
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return ""
	}
	return benchgate.ClassOf(m[1], n)
}

// Comparison is a benchmark metric of a run against its baseline.
type Comparison struct {
	File string `json:"file"`
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

// ClassOf returns the machine class a run is compared in: that of its
// manifest's machine, else this machine's.
func ClassOf(run *Run) string {
	if run != nil && run.Manifest != nil {
		if c := MachineClass(run.Manifest.Machine); c != "" {
			return c
		}
	}
	return benchgate.MachineClass()
}

// Compare pairs every baseline metric of class (and of the files without
// a class) with the same metric of run; a nil run gives the baselines
// alone.
func (b *Baselines) Compare(run *Run, class string) []Comparison {
	current := make(map[string]BenchSeries)
	if run != nil {
		for _, s := range run.Bench {
			current[s.Key()] = s
		}
	}
	var out []Comparison
	for _, set := range b.Sets {
		if set.Class != "" && set.Class != class {
			continue
		}
		for _, s := range set.Series {
			out = append(out, compareOne(set.File, s, current))
		}
	}
	slices.SortStableFunc(out, func(a, b Comparison) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pkg, b.Pkg),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}

func compareOne(file string, s BenchSeries, current map[string]BenchSeries) Comparison {
	c := Comparison{File: file, Pkg: s.Pkg, Name: s.Name, Unit: s.Unit,
		Baseline: s.Median(), Better: s.Better}
	cur, ok := current[s.Key()]
	if !ok {
		return c
	}
	m := cur.Median()
	c.Current = &m
	if c.Better == 0 {
		c.Better = cur.Better
	}
	if c.Baseline == 0 {
		return c
	}
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
	return c
}
