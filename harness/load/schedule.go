package load

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// Schedule says when each operation of an open-loop run is due. It is
// fixed before the run starts: the driver never adapts it to how the
// system under test responds, which is what keeps the measurement honest.
// Implementations must be safe for concurrent use.
type Schedule interface {
	// Start returns when operation i (counting from 0) is due, as an
	// offset from the start of the run, and false when i >= Count().
	// Offsets never decrease with i.
	Start(i int64) (time.Duration, bool)
	// Count is the number of operations the schedule holds.
	Count() int64
	// Rate is the intended arrival rate at offset t, in operations per
	// second.
	Rate(t time.Duration) float64
	// Duration is the length of the schedule.
	Duration() time.Duration
}

// Constant is a schedule of PerSecond operations per second, evenly
// spaced, for For. Operation i is due at i/PerSecond.
type Constant struct {
	PerSecond float64 // > 0
	For       time.Duration
}

// Start implements Schedule.
func (c Constant) Start(i int64) (time.Duration, bool) {
	if i < 0 || i >= c.Count() {
		return 0, false
	}
	return seconds(float64(i) / c.PerSecond), true
}

// Count implements Schedule: ceil(PerSecond * For).
func (c Constant) Count() int64 {
	if !(c.PerSecond > 0) || math.IsInf(c.PerSecond, 0) || c.For <= 0 {
		return 0
	}
	return countOf(c.PerSecond * c.For.Seconds())
}

// Rate implements Schedule.
func (c Constant) Rate(time.Duration) float64 { return c.PerSecond }

// Duration implements Schedule.
func (c Constant) Duration() time.Duration { return c.For }

// Validate reports a rate that is not positive and finite or a length
// that is not positive.
func (c Constant) Validate() error {
	return Segment{From: c.PerSecond, To: c.PerSecond, For: c.For}.validate(true)
}

// Segment is a stretch of a Curve whose rate changes linearly from From
// to To operations per second over For.
type Segment struct {
	From, To float64 // operations per second, >= 0
	For      time.Duration
}

// ops is the number of operations due in the whole segment.
func (s Segment) ops() float64 { return (s.From + s.To) / 2 * s.For.Seconds() }

// at is the time within the segment by which x operations are due
// (0 <= x <= ops()), solving From t + (To-From) t^2 / (2 For) = x in the
// form that stays exact when From is 0 and stable when To < From.
func (s Segment) at(x float64) time.Duration {
	if x <= 0 {
		return 0
	}
	a, slope := s.From, (s.To-s.From)/s.For.Seconds()
	d := a*a + 2*slope*x
	if d < 0 {
		d = 0
	}
	return seconds(2 * x / (a + math.Sqrt(d)))
}

func (s Segment) validate(positive bool) error {
	var errs []error
	for _, r := range []struct {
		name string
		v    float64
	}{{"from", s.From}, {"to", s.To}} {
		if math.IsNaN(r.v) || math.IsInf(r.v, 0) || r.v < 0 {
			errs = append(errs, fmt.Errorf("rate %s = %v: want a finite rate >= 0",
				r.name, r.v))
		}
	}
	if positive && !(s.From > 0) {
		errs = append(errs, fmt.Errorf("rate = %v: want > 0", s.From))
	}
	if s.For <= 0 {
		errs = append(errs, fmt.Errorf("length = %v: want > 0", s.For))
	}
	return errors.Join(errs...)
}

// Ramp is a schedule whose rate changes linearly from From to To
// operations per second over For.
type Ramp struct {
	From, To float64 // operations per second, >= 0
	For      time.Duration
}

func (r Ramp) segment() Segment { return Segment(r) }

// Start implements Schedule.
func (r Ramp) Start(i int64) (time.Duration, bool) {
	if i < 0 || i >= r.Count() {
		return 0, false
	}
	return r.segment().at(float64(i)), true
}

// Count implements Schedule.
func (r Ramp) Count() int64 {
	if r.For <= 0 || r.segment().validate(false) != nil {
		return 0
	}
	return countOf(r.segment().ops())
}

// Rate implements Schedule.
func (r Ramp) Rate(t time.Duration) float64 {
	f := min(max(t.Seconds()/r.For.Seconds(), 0), 1)
	return r.From + (r.To-r.From)*f
}

// Duration implements Schedule.
func (r Ramp) Duration() time.Duration { return r.For }

// Validate reports negative or non-finite rates and a length that is not
// positive.
func (r Ramp) Validate() error { return r.segment().validate(false) }

// Curve is a schedule made of segments played one after another. Build
// it with NewCurve or Steps.
type Curve struct {
	segs  []Segment
	cum   []float64       // operations due before each segment
	begin []time.Duration // offset of each segment
	total float64
	dur   time.Duration
}

// NewCurve returns the schedule that plays segs in order. Each segment
// needs a positive length and finite rates >= 0; the whole curve needs at
// least one operation.
func NewCurve(segs ...Segment) (*Curve, error) {
	c := &Curve{segs: segs}
	var errs []error
	for k, s := range segs {
		if err := s.validate(false); err != nil {
			errs = append(errs, fmt.Errorf("segment %d: %w", k, err))
		}
		c.cum = append(c.cum, c.total)
		c.begin = append(c.begin, c.dur)
		c.total += s.ops()
		c.dur += s.For
	}
	if len(segs) == 0 {
		errs = append(errs, errors.New("no segments"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new curve: %w", err)
	}
	if c.Count() == 0 {
		return nil, errors.New("new curve: no operations due")
	}
	return c, nil
}

// Steps returns a curve of len(weights) equal steps over d, step k held
// at base*weights[k] operations per second. With scale.yaml's hourly
// shape and the mean rate as base it plays a day compressed into d.
func Steps(base float64, weights []float64, d time.Duration) (*Curve, error) {
	if len(weights) == 0 || d <= 0 {
		return nil, fmt.Errorf("steps: want weights and d > 0, got %d weights, d = %v",
			len(weights), d)
	}
	step := d / time.Duration(len(weights))
	segs := make([]Segment, len(weights))
	for k, w := range weights {
		segs[k] = Segment{From: base * w, To: base * w, For: step}
	}
	return NewCurve(segs...)
}

// Start implements Schedule.
func (c *Curve) Start(i int64) (time.Duration, bool) {
	if i < 0 || i >= c.Count() {
		return 0, false
	}
	x := float64(i)
	// The last segment whose first operation is due at or before x.
	k := sort.Search(len(c.cum), func(k int) bool { return c.cum[k] > x }) - 1
	return c.begin[k] + c.segs[k].at(x-c.cum[k]), true
}

// Count implements Schedule.
func (c *Curve) Count() int64 { return countOf(c.total) }

// Rate implements Schedule.
func (c *Curve) Rate(t time.Duration) float64 {
	for k, s := range c.segs {
		if t < c.begin[k]+s.For || k == len(c.segs)-1 {
			f := min(max((t-c.begin[k]).Seconds()/s.For.Seconds(), 0), 1)
			return s.From + (s.To-s.From)*f
		}
	}
	return 0
}

// Duration implements Schedule.
func (c *Curve) Duration() time.Duration { return c.dur }

// countOf is the number of integers i >= 0 with i < x, tolerating the
// rounding of x (so 500.0000000001 counts as 500).
func countOf(x float64) int64 {
	return int64(math.Ceil(x - 1e-9))
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
