package record

import (
	"fmt"
	"math"
	"time"
)

// Verdict is the outcome a record states for its figure.
type Verdict string

// Verdicts. NotMeasured is never a pass: a target without a figure says so.
const (
	Pass        Verdict = "pass"
	Fail        Verdict = "fail"
	Info        Verdict = "info" // a supporting figure with no threshold
	NotMeasured Verdict = "not-measured"
)

// Source says where a figure came from.
type Source string

// Sources, from the most to the least direct.
const (
	Measured            Source = "measured"
	ModeledFromMeasured Source = "modeled-from-measured"
	Config              Source = "config"
)

// Better is the direction in which a figure improves.
type Better string

// Directions.
const (
	Higher Better = "higher"
	Lower  Better = "lower"
)

// Record is one figure. Value is in Unit; Threshold, when set, is the
// bound the figure is judged against in the direction of Better.
type Record struct {
	// Target is the Key Target id (volume, speed, cluster, storage,
	// network, cost, reliability, youtube) or empty for a supporting
	// figure.
	Target    string    `json:"target,omitempty"`
	Name      string    `json:"name"`
	Value     float64   `json:"value"`
	Unit      string    `json:"unit"`
	Better    Better    `json:"better,omitempty"`
	Threshold *float64  `json:"threshold,omitempty"`
	Verdict   Verdict   `json:"verdict"`
	Source    Source    `json:"source"`
	Scale     string    `json:"scale,omitempty"`
	Machine   string    `json:"machine,omitempty"`
	Package   string    `json:"package,omitempty"`
	Test      string    `json:"test,omitempty"`
	Time      time.Time `json:"time"`
	// Note explains the figure: inputs, caveats, why it is not measured.
	Note string `json:"note,omitempty"`
}

// Judge compares value with threshold in the direction of better: a
// higher-is-better figure passes at or above the threshold, a
// lower-is-better one at or below it. NaN never passes.
func Judge(value, threshold float64, better Better) Verdict {
	switch {
	case math.IsNaN(value):
		return Fail
	case better == Higher && value >= threshold:
		return Pass
	case better == Lower && value <= threshold:
		return Pass
	}
	return Fail
}

// Judged returns a record of a figure with a threshold, its verdict
// already decided by Judge.
func Judged(target, name string, value float64, unit string, better Better,
	threshold float64, src Source) Record {
	return Record{
		Target: target, Name: name, Value: value, Unit: unit, Better: better,
		Threshold: &threshold, Verdict: Judge(value, threshold, better), Source: src,
	}
}

// Validate reports what makes r unusable.
func (r *Record) Validate() error {
	switch {
	case r.Name == "":
		return fmt.Errorf("record has no name")
	case r.Unit == "":
		return fmt.Errorf("record %q has no unit", r.Name)
	case r.Verdict == "":
		return fmt.Errorf("record %q has no verdict", r.Name)
	case r.Source == "":
		return fmt.Errorf("record %q has no source", r.Name)
	case r.Better != "" && r.Better != Higher && r.Better != Lower:
		return fmt.Errorf("record %q: better is %q, want higher or lower", r.Name, r.Better)
	}
	switch r.Verdict {
	case Pass, Fail, Info, NotMeasured:
	default:
		return fmt.Errorf("record %q: unknown verdict %q", r.Name, r.Verdict)
	}
	return nil
}
