package scorecard

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

// Row is one Key Target of the scorecard.
type Row struct {
	Definition
	// Verdict is pass, fail or not-measured; never info.
	Verdict record.Verdict `json:"verdict"`
	// Figures are the records that name the target, the deciding ones
	// first (fail, not-measured, pass, then info), by name within each.
	Figures []record.Record `json:"figures"`
	// Reason explains a verdict other than pass: the failing figures, or
	// why the target has no figure.
	Reason string `json:"reason,omitempty"`
	// Machines are the distinct machines the figures come from; more
	// than one means the figures are not comparable.
	Machines []string `json:"machines,omitempty"`
}

// MixedMachines reports whether the row's figures come from more than one
// machine.
func (r *Row) MixedMachines() bool { return len(r.Machines) > 1 }

// Scorecard is the verdict of a run on every Key Target.
type Scorecard struct {
	Rows []Row `json:"rows"`
	// Verdict is pass only when every row passes; fail when any row
	// fails; else not-measured.
	Verdict     record.Verdict `json:"verdict"`
	Passed      int            `json:"passed"`
	Failed      int            `json:"failed"`
	NotMeasured int            `json:"not_measured"`
	// Machines are the distinct machines of all target figures.
	Machines []string `json:"machines,omitempty"`
	// Warnings are findings that do not change a verdict but bear on
	// trusting it: mixed machines or scales, records for unknown targets.
	Warnings []string `json:"warnings,omitempty"`
}

// Build makes the scorecard of cfg's targets from recs. pkgs, the package
// outcomes of the run, explain targets without figures; nil means the
// outcomes are unknown.
func Build(cfg *targets.Config, recs []record.Record, pkgs []Package) *Scorecard {
	defs := Definitions(cfg)
	byTarget := make(map[string][]record.Record)
	known := make(map[string]bool)
	for _, d := range defs {
		known[d.ID] = true
	}
	sc := &Scorecard{}
	unknown := make(map[string]int)
	for _, r := range recs {
		switch {
		case r.Target == "":
		case known[r.Target]:
			byTarget[r.Target] = append(byTarget[r.Target], r)
		default:
			unknown[r.Target]++
		}
	}
	for _, t := range sortedKeys(unknown) {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf(
			"%d record(s) name unknown target %q; they are left out", unknown[t], t))
	}

	for _, d := range defs {
		row := buildRow(d, byTarget[d.ID], pkgs)
		switch row.Verdict {
		case record.Pass:
			sc.Passed++
		case record.Fail:
			sc.Failed++
		default:
			sc.NotMeasured++
		}
		sc.Rows = append(sc.Rows, row)
	}
	switch {
	case sc.Failed > 0:
		sc.Verdict = record.Fail
	case sc.NotMeasured > 0:
		sc.Verdict = record.NotMeasured
	default:
		sc.Verdict = record.Pass
	}

	// Figures judged on different machines or scales are not comparable.
	var all []record.Record
	for _, rs := range byTarget {
		all = append(all, rs...)
	}
	sc.Machines = distinct(all, func(r record.Record) string { return r.Machine })
	if len(sc.Machines) > 1 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf(
			"figures come from %d machines (%s): compare them with care",
			len(sc.Machines), strings.Join(sc.Machines, "; ")))
	}
	if scales := distinct(all, func(r record.Record) string { return r.Scale }); len(scales) > 1 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf(
			"figures come from different scales (%s)", strings.Join(scales, ", ")))
	}
	return sc
}

// rank orders verdicts from the one that decides a row least to most.
func rank(v record.Verdict) int {
	switch v {
	case record.Fail:
		return 3
	case record.NotMeasured:
		return 2
	case record.Pass:
		return 1
	}
	return 0 // info and anything else decides nothing
}

func buildRow(d Definition, recs []record.Record, pkgs []Package) Row {
	row := Row{Definition: d, Figures: slices.Clone(recs)}
	slices.SortStableFunc(row.Figures, func(a, b record.Record) int {
		return cmp.Or(rank(b.Verdict)-rank(a.Verdict), strings.Compare(a.Name, b.Name))
	})
	row.Machines = distinct(recs, func(r record.Record) string { return r.Machine })

	worst := record.Verdict("")
	for _, r := range row.Figures {
		if rank(r.Verdict) > rank(worst) {
			worst = r.Verdict
		}
	}
	if worst == record.Pass && !decidedBy(row.Figures, d.Categories[0]) {
		// Passing inputs do not make a verdict: the category that
		// decides the target must have judged it.
		var names []string
		for _, r := range row.Figures {
			if r.Verdict == record.Pass {
				names = append(names, r.Name)
			}
		}
		why := "no package results known"
		if pkgs != nil {
			why = explainCategory(d.Categories[0], d.ID, pkgs)
		}
		row.Verdict = record.NotMeasured
		row.Reason = fmt.Sprintf("not measured: %s decides it and gave no verdict "+
			"(%s); passing figures from %s: %s", d.Categories[0], why,
			packagesOf(row.Figures), listShort(names, 3))
		return row
	}
	switch worst {
	case record.Pass:
		row.Verdict = record.Pass
	case record.Fail:
		row.Verdict = record.Fail
		var bad []string
		for _, r := range row.Figures {
			if r.Verdict == record.Fail {
				bad = append(bad, describe(r))
			}
		}
		row.Reason = "failed: " + listShortSep(bad, 4, "; ")
	case record.NotMeasured:
		row.Verdict = record.NotMeasured
		var why []string
		for _, r := range row.Figures {
			if r.Verdict == record.NotMeasured {
				why = append(why, fmt.Sprintf("%s: %s", r.Name, cmp.Or(r.Note, "no reason given")))
			}
		}
		row.Reason = "not measured: " + strings.Join(why, "; ")
	default:
		row.Verdict = record.NotMeasured
		if len(recs) > 0 {
			row.Reason = fmt.Sprintf("not measured: %d supporting figure(s), "+
				"none judged against the target", len(recs))
		} else {
			row.Reason = "not measured: no figure; " + explainMissing(d, pkgs)
		}
	}
	return row
}

// decidedBy reports whether a figure judged by category cat passes:
// one from a package of cat, or one whose package is not known.
func decidedBy(figs []record.Record, cat string) bool {
	for _, r := range figs {
		if r.Verdict != record.Pass {
			continue
		}
		c, _, _ := strings.Cut(r.Package, "/")
		if r.Package == "" || c == cat {
			return true
		}
	}
	return false
}

// packagesOf lists the distinct packages of figs.
func packagesOf(figs []record.Record) string {
	return strings.Join(distinct(figs, func(r record.Record) string { return r.Package }), ", ")
}

// describe states a figure against its threshold in a few words.
func describe(r record.Record) string {
	s := fmt.Sprintf("%s = %s %s", r.Name, FormatValue(r.Value), r.Unit)
	if r.Threshold != nil {
		op := "<="
		if r.Better == record.Higher {
			op = ">="
		}
		s += fmt.Sprintf(" (want %s %s)", op, FormatValue(*r.Threshold))
	}
	return s
}

// FormatValue formats a figure with four significant digits, without an
// exponent for everyday magnitudes.
func FormatValue(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	if a != 0 && (a >= 1e9 || a < 1e-4) {
		return fmt.Sprintf("%.4g", v)
	}
	if a >= 1e4 {
		if v < 0 {
			return "-" + count(a)
		}
		return count(v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
}

// explainMissing says what happened to the packages that would have
// measured d.
func explainMissing(d Definition, pkgs []Package) string {
	if pkgs == nil {
		return fmt.Sprintf("%s would measure it (no package results known)",
			strings.Join(d.Categories, ", "))
	}
	parts := []string{explainCategory(d.Categories[0], d.ID, pkgs)}
	// The other categories only feed inputs: name them when they broke.
	for _, cat := range d.Categories[1:] {
		if !categoryPassed(cat, pkgs) {
			parts = append(parts, "input from "+explainCategory(cat, d.ID, pkgs))
		}
	}
	return strings.Join(parts, "; ")
}

// categoryPassed reports whether every package of cat ran and passed.
func categoryPassed(cat string, pkgs []Package) bool {
	seen := false
	for _, p := range pkgs {
		if p.Category() == cat && p.Status != NoTests {
			seen = true
			if p.Status != Passed {
				return false
			}
		}
	}
	return seen
}

func explainCategory(cat, target string, pkgs []Package) string {
	var mine, empty []Package
	for _, p := range pkgs {
		switch {
		case p.Category() != cat:
		case p.Status == NoTests:
			empty = append(empty, p)
		default:
			mine = append(mine, p)
		}
	}
	if len(mine) == 0 && len(empty) > 0 {
		return fmt.Sprintf("%s has no tests (%d package(s))", cat, len(empty))
	}
	if len(mine) == 0 {
		return fmt.Sprintf("%s has no result in this run", cat)
	}
	if len(mine) == 1 && mine[0].Status != Passed {
		return mine[0].Explain()
	}
	var failed, skipped, ran []Package
	for _, p := range mine {
		switch p.Status {
		case Failed, NotFinished:
			failed = append(failed, p)
		case Skipped:
			skipped = append(skipped, p)
		case Passed:
			ran = append(ran, p)
		}
	}
	switch {
	case len(failed) > 0:
		var s []string
		for _, p := range failed {
			s = append(s, p.Explain())
		}
		return strings.Join(s, "; ")
	case len(ran) == 0 && len(skipped) > 0:
		return skipped[0].Explain()
	case len(ran) == 0:
		return mine[0].Explain()
	}
	var skips []string
	for _, p := range ran {
		for _, s := range p.Skips {
			skips = append(skips, fmt.Sprintf("%s: %s", s.Test, s.Reason))
		}
	}
	s := fmt.Sprintf("%s ran (%d package(s) passed) but wrote no %s record",
		cat, len(ran), target)
	if len(skips) > 0 {
		s += fmt.Sprintf("; skipped there: %s", listShort(skips, 2))
	}
	return s
}

func distinct(recs []record.Record, key func(record.Record) string) []string {
	seen := make(map[string]bool)
	for _, r := range recs {
		if k := key(r); k != "" {
			seen[k] = true
		}
	}
	return sortedKeys(seen)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
