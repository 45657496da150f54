package benchgate

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// Labels of the two sides, as benchstat shows them in its columns.
const (
	LabelBase = "base"
	LabelNew  = "new"
)

// Compare reads the baseline and the new benchmark files and judges the
// new against the baseline. The error is for files that cannot be read
// or options that make no sense; everything else is in the Result.
func Compare(basePath, newPath string, opts Options) (*Result, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	filter, err := benchproc.NewFilter(orAll(opts.Filter))
	if err != nil {
		return nil, fmt.Errorf("parse filter: %w", err)
	}
	var g grouper
	if err := g.init(filter); err != nil {
		return nil, err
	}
	files := benchfmt.Files{
		Paths:       []string{LabelBase + "=" + basePath, LabelNew + "=" + newPath},
		AllowLabels: true,
	}
	for files.Scan() {
		switch rec := files.Result().(type) {
		case *benchfmt.SyntaxError:
			g.fs.add(Unparsable, "", "lines that are not benchmark format "+
				"were skipped", rec.Error())
		case *benchfmt.Result:
			if ok, _ := filter.Apply(rec); ok {
				g.add(rec)
			}
		}
	}
	if err := files.Err(); err != nil {
		return nil, fmt.Errorf("read benchmarks: %w", err)
	}
	res := &Result{Options: opts}
	res.Comparisons = g.compare(benchfmt.UnitMetadataMap(files.Units()), opts)
	res.Findings = g.fs.list
	return res, nil
}

func (o Options) validate() error {
	var errs []error
	if !(o.Threshold >= 0 && o.Threshold < 10) {
		errs = append(errs, fmt.Errorf("threshold %v: want a fraction "+
			"from 0 (0.05 is 5%%)", o.Threshold))
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		errs = append(errs, fmt.Errorf("alpha %v: want above 0 and below 1",
			o.Alpha))
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		errs = append(errs, fmt.Errorf("confidence %v: want above 0 and "+
			"below 1", o.Confidence))
	}
	return errors.Join(errs...)
}

func orAll(f string) string {
	if strings.TrimSpace(f) == "" {
		return "*"
	}
	return f
}

// cell is what one side holds for one benchmark.
type cell struct {
	configs  []benchproc.Key
	residues []benchproc.Key
	units    []string
	values   map[string][]float64
}

// grouper groups results by side, row (package and full name) and
// configuration.
type grouper struct {
	rowBy, sideBy, cfgBy, residue *benchproc.Projection
	pkgField, nameField           *benchproc.Field
	rows                          []benchproc.Key
	sides                         map[string]map[benchproc.Key]*cell
	fs                            findings
}

func (g *grouper) init(filter *benchproc.Filter) error {
	var pp benchproc.ProjectionParser
	var err error
	if g.rowBy, err = pp.Parse("pkg,.fullname", filter); err != nil {
		return fmt.Errorf("row projection: %w", err)
	}
	if g.sideBy, err = pp.Parse(".file", filter); err != nil {
		return fmt.Errorf("side projection: %w", err)
	}
	if g.cfgBy, err = pp.Parse("goos,goarch,cpu", filter); err != nil {
		return fmt.Errorf("config projection: %w", err)
	}
	g.residue = pp.Residue()
	fields := g.rowBy.Fields()
	g.pkgField, g.nameField = fields[0], fields[1]
	g.sides = map[string]map[benchproc.Key]*cell{
		LabelBase: {}, LabelNew: {},
	}
	return nil
}

func (g *grouper) add(r *benchfmt.Result) {
	side := g.sideBy.Project(r).StringValues()
	cells, ok := g.sides[side]
	if !ok {
		return
	}
	row := g.rowBy.Project(r)
	c, ok := cells[row]
	if !ok {
		c = &cell{values: map[string][]float64{}}
		cells[row] = c
		if !slices.Contains(g.rows, row) {
			g.rows = append(g.rows, row)
		}
	}
	cfg := g.cfgBy.Project(r)
	if !slices.Contains(c.configs, cfg) {
		c.configs = append(c.configs, cfg)
	}
	c.residues = append(c.residues, g.residue.Project(r))
	for _, v := range r.Values {
		if _, ok := c.values[v.Unit]; !ok {
			c.units = append(c.units, v.Unit)
		}
		c.values[v.Unit] = append(c.values[v.Unit], v.Value)
	}
}

// name is "pkg BenchmarkX/y-2", or the name alone without a package.
func (g *grouper) name(row benchproc.Key) string {
	if p := row.Get(g.pkgField); p != "" {
		return p + " " + row.Get(g.nameField)
	}
	return row.Get(g.nameField)
}

// compare makes every comparison both sides allow and records findings
// for the rest.
func (g *grouper) compare(units benchfmt.UnitMetadataMap, opts Options) []Comparison {
	base, nw := g.sides[LabelBase], g.sides[LabelNew]
	for _, label := range []string{LabelBase, LabelNew} {
		if len(g.sides[label]) == 0 {
			g.fs.add(NoResults, "", "the "+label+" file holds no benchmark "+
				"results (wrong file, or -run/-bench matched nothing)", "")
		}
	}
	benchproc.SortKeys(g.rows)
	var out []Comparison
	thr := benchmath.Thresholds{CompareAlpha: opts.Alpha}
	for _, row := range g.rows {
		b, n := base[row], nw[row]
		switch {
		case b == nil:
			g.unmatched(row, LabelNew)
			continue
		case n == nil:
			g.unmatched(row, LabelBase)
			continue
		}
		name := g.name(row)
		if !g.sameConfig(name, b, n) {
			continue
		}
		g.mixed(name, b, n)
		for _, unit := range b.units {
			if _, ok := n.values[unit]; !ok {
				g.fs.add(MissingInNew, unit, "unit reported by the baseline "+
					"only", name)
				continue
			}
			out = append(out, g.compareUnit(name, row, unit, b, n, units, opts, &thr))
		}
		for _, unit := range n.units {
			if _, ok := b.values[unit]; !ok {
				g.fs.add(MissingInBase, unit, "unit reported by the new run "+
					"only", name)
			}
		}
	}
	return out
}

func (g *grouper) compareUnit(name string, row benchproc.Key, unit string,
	b, n *cell, units benchfmt.UnitMetadataMap, opts Options,
	thr *benchmath.Thresholds) Comparison {
	assume := units.GetAssumption(unit)
	sb := benchmath.NewSample(slices.Clone(b.values[unit]), thr)
	sn := benchmath.NewSample(slices.Clone(n.values[unit]), thr)
	c := Comparison{
		Package: row.Get(g.pkgField), Benchmark: row.Get(g.nameField),
		Unit: unit, Better: units.GetBetter(unit),
		Assumption: assume.SummaryLabel(),
		Base:       assume.Summary(sb, opts.Confidence),
		New:        assume.Summary(sn, opts.Confidence),
		NBase:      len(sb.Values), NNew: len(sn.Values),
	}
	cmp := assume.Compare(sb, sn)
	c.P = cmp.P
	c.Change = change(c.Base.Center, c.New.Center)
	// benchstat's rule for printing a delta instead of "~". Exact units
	// always pass it (P is 0); equal values are then a 0% change.
	c.Significant = !(c.P > opts.Alpha)

	for _, w := range append(append(sb.Warnings, sn.Warnings...),
		append(c.Base.Warnings, c.New.Warnings...)...) {
		g.fs.add(Noisy, unit, w.Error(), name)
	}
	if assume != benchmath.AssumeExact {
		if p := minP(c.NBase, c.NNew); p > opts.Alpha {
			g.fs.add(TooFewSamples, "", fmt.Sprintf("%d+%d runs: the "+
				"smallest possible p is %.3f, above alpha %g; record at "+
				"least 4 runs a side (-count 10 is advised)",
				c.NBase, c.NNew, p, opts.Alpha), name)
		}
	}
	if c.Better == 0 {
		g.fs.add(UnknownDirection, unit, "no better=higher|lower for this "+
			"unit: print a line \"Unit "+unit+" better=...\" before the "+
			"results (from TestMain)", name)
		return c
	}
	worse := c.Worse()
	c.Regression = c.Significant && worse > opts.Threshold
	c.Improvement = c.Significant && -worse > opts.Threshold
	return c
}

// change is new/base - 1, with 0/0 = 0 and x/0 = ±Inf.
func change(base, new float64) float64 {
	if base == new {
		return 0
	}
	if base == 0 {
		return math.Copysign(math.Inf(1), new)
	}
	return new/base - 1
}

// minP is the smallest two-sided p-value the Mann-Whitney U test can
// give for samples of n1 and n2 values without ties: 2 / C(n1+n2, n1).
func minP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	// C(n1+n2, n1) as a float, by the product formula.
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return min(1, 2/c)
}

// sameConfig reports whether both sides ran in one configuration, and
// records a finding when they did not.
func (g *grouper) sameConfig(name string, b, n *cell) bool {
	if len(b.configs) == 1 && len(n.configs) == 1 && b.configs[0] == n.configs[0] {
		return true
	}
	describe := func(ks []benchproc.Key) string {
		var s []string
		for _, k := range ks {
			s = append(s, "{"+k.String()+"}")
		}
		return strings.Join(s, ", ")
	}
	g.fs.add(ConfigMismatch, "", "base ran on "+describe(b.configs)+
		", new on "+describe(n.configs)+"; benchstat would not compare "+
		"them: compare runs of one machine class", name)
	return false
}

// mixed notes other keys that vary within the results grouped together.
func (g *grouper) mixed(name string, b, n *cell) {
	for i, c := range []*cell{b, n} {
		label := []string{LabelBase, LabelNew}[i]
		for _, f := range benchproc.NonSingularFields(c.residues) {
			g.fs.add(Mixed, "", fmt.Sprintf("%s results vary in %s", label,
				f.Name), name)
		}
	}
}

var procsSuffix = regexp.MustCompile(`-(\d+)$`)

// unmatched records a benchmark found only on side has, naming the
// likely cause when the other side has it under another package or
// GOMAXPROCS.
func (g *grouper) unmatched(row benchproc.Key, has string) {
	other := LabelNew
	kind := MissingInNew
	if has == LabelNew {
		other, kind = LabelBase, MissingInBase
	}
	name := row.Get(g.nameField)
	stem := procsSuffix.ReplaceAllString(name, "")
	for _, orow := range g.rows {
		_, inOther := g.sides[other][orow]
		_, inHas := g.sides[has][orow]
		if !inOther || inHas {
			continue // not a counterpart: absent there, or matched
		}
		oname := orow.Get(g.nameField)
		switch {
		case oname == name:
			if has == LabelBase {
				g.fs.add(ConfigMismatch, "", fmt.Sprintf("package differs: "+
					"base %s, new %s", row.Get(g.pkgField),
					orow.Get(g.pkgField)), name)
			}
			return
		case procsSuffix.ReplaceAllString(oname, "") == stem &&
			orow.Get(g.pkgField) == row.Get(g.pkgField):
			if has == LabelBase {
				g.fs.add(GOMAXPROCSMismatch, "", fmt.Sprintf("%s ran as %s, "+
					"%s as %s: run both with the same GOMAXPROCS (-cpu)",
					has, name, other, oname), g.name(row))
			}
			return
		}
	}
	g.fs.add(kind, "", "benchmark on the "+has+" side only", g.name(row))
}
