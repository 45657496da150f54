package benchgate

import (
	"fmt"
	"math"

	"golang.org/x/perf/benchmath"
)

// Options configure the gate.
type Options struct {
	// Threshold is the smallest relative worsening of a median that can
	// be a regression: 0.05 is 5%.
	Threshold float64
	// Alpha is the significance level: a change counts only if p <= Alpha.
	Alpha float64
	// Confidence is the level of the summaries' intervals (0.95).
	Confidence float64
	// Strict makes findings fail the gate (VerdictCannotCompare).
	Strict bool
	// Filter is a benchproc filter ("go doc golang.org/x/perf/benchproc/syntax");
	// "" means every result.
	Filter string
}

// DefaultOptions are a 5% threshold at alpha 0.05, not strict.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, Confidence: 0.95}

// Verdict is the outcome of the gate.
type Verdict int

// Verdicts, from best to worst; the exit status of cmd/benchgate.
const (
	VerdictPass          Verdict = 0
	VerdictRegression    Verdict = 1
	VerdictCannotCompare Verdict = 2
)

func (v Verdict) String() string {
	switch v {
	case VerdictPass:
		return "pass"
	case VerdictRegression:
		return "regression"
	case VerdictCannotCompare:
		return "cannot-compare"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// Comparison is one benchmark in one unit, base against new.
type Comparison struct {
	Package   string
	Benchmark string // full name, GOMAXPROCS suffix included
	Unit      string // tidied, as benchstat shows it
	// Better is +1 when higher values are better, -1 when lower are,
	// 0 when unknown.
	Better int
	// Assumption is "median" (AssumeNothing) or "exact".
	Assumption string
	Base, New  benchmath.Summary
	NBase      int
	NNew       int
	// P is the p-value of the test that both samples come from one
	// distribution (0 for differing exact values).
	P float64
	// Change is New.Center / Base.Center - 1.
	Change float64
	// Significant is P <= alpha: benchstat would print Change, not "~".
	// Under assume=exact every comparison is significant (P is 0).
	Significant bool
	// Regression: significant, worse by more than the threshold.
	Regression bool
	// Improvement: significant, better by more than the threshold.
	Improvement bool
}

// Worse reports how much worse New is than Base in the unit's own
// direction, as a fraction (0.2 = 20% worse; negative is better); NaN
// when the direction is unknown.
func (c Comparison) Worse() float64 {
	if c.Better == 0 {
		return math.NaN()
	}
	return -float64(c.Better) * c.Change
}

// Result is everything the gate found.
type Result struct {
	Options     Options
	Comparisons []Comparison
	Findings    []Finding
}

// Regressions returns the comparisons that are regressions.
func (r *Result) Regressions() []Comparison {
	var out []Comparison
	for _, c := range r.Comparisons {
		if c.Regression {
			out = append(out, c)
		}
	}
	return out
}

// Blocking returns the findings that keep the gate from judging
// everything it was given.
func (r *Result) Blocking() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind.Blocking() {
			out = append(out, f)
		}
	}
	return out
}

// Verdict is VerdictRegression when any comparison regressed, else
// VerdictCannotCompare in strict mode with blocking findings, else
// VerdictPass.
func (r *Result) Verdict() Verdict {
	switch {
	case len(r.Regressions()) > 0:
		return VerdictRegression
	case r.Options.Strict && len(r.Blocking()) > 0:
		return VerdictCannotCompare
	}
	return VerdictPass
}
