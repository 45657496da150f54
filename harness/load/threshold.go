package load

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Threshold is a pass condition on a Result, written as
// "metric op value":
//
//	p99 < 50ms        latency percentile (p50, p90, p99.9, any pN, 0 < N <= 100)
//	max <= 1s         longest latency; mean likewise
//	service.p99 < 5ms the same on service time (from the actual start)
//	errors < 0.1%     share of completed operations that failed
//	late <= 1%        share of scheduled operations late or dropped
//	rate >= 95%       achieved rate over the target rate
//	rate >= 1000/s    achieved rate in operations per second
//
// op is one of <, <=, >, >=. Shares take a percentage ("0.1%") or a
// fraction ("0.001").
type Threshold struct {
	// Metric is the metric as written, such as "p99.9" or "errors".
	Metric string
	// Op is the comparison: "<", "<=", ">" or ">=".
	Op string
	// Bound is the value compared with: seconds for latencies, a fraction
	// for shares and relative rates, operations per second for absolute
	// rates.
	Bound float64

	text string
	kind metricKind
	q    float64 // the quantile of a percentile metric, 0 to 1
	svc  bool    // service time rather than latency
}

type metricKind int

const (
	kindQuantile metricKind = iota
	kindMax
	kindMean
	kindErrors
	kindLate
	kindRateShare
	kindRateAbs
)

// ThresholdError is a threshold that could not be parsed. Token is the
// part of Input at fault, Reason what is wrong with it and Hint what was
// expected.
type ThresholdError struct {
	Input, Token, Reason, Hint string
}

func (e *ThresholdError) Error() string {
	s := fmt.Sprintf("threshold %q: %s %q", e.Input, e.Reason, e.Token)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// ParseThreshold parses one threshold; see Threshold for the syntax.
func ParseThreshold(s string) (Threshold, error) {
	fail := func(token, reason, hint string) (Threshold, error) {
		return Threshold{}, &ThresholdError{Input: s, Token: token, Reason: reason,
			Hint: hint}
	}
	i := strings.IndexAny(s, "<>")
	if i < 0 {
		return fail(strings.TrimSpace(s), "no comparison in", "want <, <=, > or >=")
	}
	t := Threshold{Metric: strings.TrimSpace(s[:i]), Op: s[i : i+1]}
	rest := s[i+1:]
	if strings.HasPrefix(rest, "=") {
		t.Op += "="
		rest = rest[1:]
	}
	val := strings.TrimSpace(rest)
	if val == "" {
		return fail(t.Op, "no value after", "")
	}

	m := t.Metric
	if after, ok := strings.CutPrefix(m, "service."); ok {
		t.svc, m = true, after
	}
	var err error
	switch {
	case m == "max" || m == "mean" || len(m) > 1 && m[0] == 'p':
		t.kind = kindMax
		if m == "mean" {
			t.kind = kindMean
		}
		if m[0] == 'p' {
			t.kind = kindQuantile
			pct, perr := strconv.ParseFloat(m[1:], 64)
			if perr != nil || !(pct > 0 && pct <= 100) {
				return fail(t.Metric, "unknown metric", "want pN with 0 < N <= 100")
			}
			t.q = pct / 100
		}
		var d time.Duration
		d, err = time.ParseDuration(val)
		if err != nil || d < 0 {
			return fail(val, "bad duration", "want one like 50ms")
		}
		t.Bound = d.Seconds()
	case t.svc:
		return fail(t.Metric, "unknown metric", "service. takes pN, max or mean")
	case m == "errors" || m == "late":
		t.kind = kindErrors
		if m == "late" {
			t.kind = kindLate
		}
		if t.Bound, err = parseShare(val); err != nil {
			return fail(val, "bad share", "want a percentage like 0.1% or a fraction")
		}
	case m == "rate":
		if num, ok := strings.CutSuffix(val, "/s"); ok {
			t.kind = kindRateAbs
			t.Bound, err = strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || !(t.Bound >= 0) || math.IsInf(t.Bound, 0) {
				return fail(val, "bad rate", "want one like 1000/s")
			}
		} else {
			t.kind = kindRateShare
			if !strings.HasSuffix(val, "%") {
				return fail(val, "bad rate",
					"want a share of the target like 95% or a rate like 1000/s")
			}
			if t.Bound, err = parseShare(val); err != nil {
				return fail(val, "bad rate", "want a share of the target like 95%")
			}
		}
	default:
		return fail(t.Metric, "unknown metric",
			"want pN, max, mean, errors, late, rate or service.pN")
	}
	t.text = t.Metric + " " + t.Op + " " + val
	return t, nil
}

// parseShare reads "0.1%" as 0.001 and "0.001" as itself.
func parseShare(v string) (float64, error) {
	num, pct := strings.CutSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil {
		return 0, err
	}
	if pct {
		f /= 100
	}
	if !(f >= 0) || math.IsInf(f, 0) {
		return 0, errors.New("share must be >= 0")
	}
	return f, nil
}

// ParseThresholds parses each of ss, returning every error at once.
func ParseThresholds(ss ...string) ([]Threshold, error) {
	out := make([]Threshold, 0, len(ss))
	var errs []error
	for _, s := range ss {
		t, err := ParseThreshold(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	return out, errors.Join(errs...)
}

// MustParseThresholds is ParseThresholds for thresholds fixed in code; it
// panics on a bad one.
func MustParseThresholds(ss ...string) []Threshold {
	t, err := ParseThresholds(ss...)
	if err != nil {
		panic(err)
	}
	return t
}

// String returns the threshold as written, spaced as "p99 < 50ms".
func (t Threshold) String() string { return t.text }

// IsDuration reports whether the metric is a latency or service time
// (Bound and Outcome.Value in seconds).
func (t Threshold) IsDuration() bool { return t.kind <= kindMean }

// Outcome is a threshold judged against a result.
type Outcome struct {
	Threshold Threshold
	// Value is the measured figure in the unit of Threshold.Bound; NaN
	// when the result holds no data for it (which never passes).
	Value float64
	Pass  bool
	// Judged is false when a percentile has too few samples to mean
	// anything: fewer than 1/(1-q) (100 for p99, 1000 for p99.9), where
	// it would only repeat the maximum. Such an outcome neither passes
	// nor fails; Check leaves it out. Samples is the count it had.
	Judged  bool
	Samples int64
}

// minSamples is the fewest samples a threshold needs to be judged.
func (t Threshold) minSamples() int64 {
	if t.kind != kindQuantile || t.q <= 0.5 {
		return 1
	}
	return int64(math.Ceil(1/(1-t.q) - 1e-9))
}

// String formats the outcome as "p99 < 50ms: 12.3ms pass".
func (o Outcome) String() string {
	v := strconv.FormatFloat(o.Value, 'g', 4, 64)
	switch t := o.Threshold; {
	case t.IsDuration() && !math.IsNaN(o.Value):
		v = round(seconds(o.Value)).String()
	case t.kind == kindRateAbs:
		v += "/s"
	case !math.IsNaN(o.Value):
		v = strconv.FormatFloat(100*o.Value, 'g', 4, 64) + "%"
	}
	verdict := "fail"
	switch {
	case !o.Judged:
		verdict = fmt.Sprintf("not judged (%d samples, %d needed)", o.Samples,
			o.Threshold.minSamples())
	case o.Pass:
		verdict = "pass"
	}
	return fmt.Sprintf("%s: %s %s", o.Threshold, v, verdict)
}

// Eval judges the threshold against r. A percentile with some samples
// but fewer than it needs is not judged (see Outcome.Judged); one with
// none fails.
func (t Threshold) Eval(r *Result) Outcome {
	v := t.value(r)
	o := Outcome{Threshold: t, Value: v, Judged: true, Samples: r.Latency.Count()}
	if t.svc {
		o.Samples = r.Service.Count()
	}
	if o.Samples > 0 && o.Samples < t.minSamples() {
		o.Judged = false
		return o
	}
	var pass bool
	switch t.Op {
	case "<":
		pass = v < t.Bound
	case "<=":
		pass = v <= t.Bound
	case ">":
		pass = v > t.Bound
	case ">=":
		pass = v >= t.Bound
	}
	o.Pass = pass
	return o
}

func (t Threshold) value(r *Result) float64 {
	h := r.Latency
	if t.svc {
		h = r.Service
	}
	switch t.kind {
	case kindQuantile:
		if d, ok := h.Quantile(t.q); ok {
			return d.Seconds()
		}
	case kindMax:
		if h.Count() > 0 {
			return h.Max().Seconds()
		}
	case kindMean:
		if h.Count() > 0 {
			return h.Mean().Seconds()
		}
	case kindErrors:
		if r.Completed > 0 {
			return r.ErrorRate()
		}
	case kindLate:
		if r.Scheduled > 0 {
			return r.LateRate()
		}
	case kindRateAbs:
		return r.Achieved()
	case kindRateShare:
		if r.Target > 0 {
			return r.Achieved() / r.Target
		}
	}
	return math.NaN()
}

// Check judges every threshold against r; pass is true when every
// judged outcome passes.
func Check(r *Result, ts []Threshold) (outs []Outcome, pass bool) {
	pass = true
	for _, t := range ts {
		o := t.Eval(r)
		outs = append(outs, o)
		pass = pass && (o.Pass || !o.Judged)
	}
	return outs, pass
}
