package fault

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Schedule is a list of faults on a timeline that starts when a Runner
// runs it. Faults may overlap, except two that both change whether one
// target is reachable (partition, kill, pause, restart).
type Schedule struct {
	// Name labels the schedule in reports; optional.
	Name   string
	Faults []Fault

	// file and lines locate fields of a parsed schedule for errors.
	file  string
	lines map[string]int
}

// Fault is one fault of a Schedule.
type Fault struct {
	// What the fault does.
	What Kind
	// Target names a proxy, service or worker pool known to the Runner.
	Target string
	// At is when the fault starts, from the start of the run.
	At time.Duration
	// Duration is how long the fault lasts: required for network faults,
	// kill and pause; zero for restart; for crash, the time before the
	// dead workers are replaced.
	Duration time.Duration
	Params   Params
}

// String describes f as "kill redis at 1s for 2s".
func (f Fault) String() string {
	s := fmt.Sprintf("%s %s at %v", f.What, f.Target, f.At)
	if f.Duration > 0 {
		s += fmt.Sprintf(" for %v", f.Duration)
	}
	return s
}

// End returns when the fault is over, from the start of the run.
func (f Fault) End() time.Duration { return f.At + f.Duration }

// End returns when the last fault is over, from the start of the run.
func (s *Schedule) End() time.Duration {
	var end time.Duration
	for _, f := range s.Faults {
		end = max(end, f.End())
	}
	return end
}

// FieldError is one problem of a schedule: where it is and what is wrong.
type FieldError struct {
	File string // file name as given to Parse, empty for a built schedule
	Line int    // 1-based line, 0 when unknown
	Path string // field path such as "faults[2].params.latency"
	Msg  string
}

// Error formats the problem as "file:line: path: message".
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// problems collects FieldErrors, locating each path in a parsed file.
type problems struct {
	s    *Schedule
	errs []error
}

func (p *problems) add(path, format string, args ...any) {
	line := 0
	for q := path; q != "" && line == 0; q = parentPath(q) {
		line = p.s.lines[q]
	}
	p.errs = append(p.errs, &FieldError{File: p.s.file, Line: line,
		Path: path, Msg: fmt.Sprintf(format, args...)})
}

func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

// Validate reports every problem of s at once, joined; each is a
// *FieldError naming the field and, for a parsed schedule, its line.
func (s *Schedule) Validate() error {
	p := &problems{s: s}
	for i := range s.Faults {
		s.Faults[i].validate(p, fmt.Sprintf("faults[%d]", i))
	}
	s.checkOverlaps(p)
	return errors.Join(p.errs...)
}

func (f *Fault) validate(p *problems, path string) {
	cat := f.What.Category()
	switch {
	case f.What == "":
		p.add(path+".what", "missing (one of %s)", kindNames())
	case cat == "":
		p.add(path+".what", "unknown kind %q (known: %s)", f.What, kindNames())
	}
	if f.Target == "" {
		p.add(path+".target", "missing: name a proxy, service or worker pool")
	}
	if f.At < 0 {
		p.add(path+".at", "must not be negative, got %v", f.At)
	}
	switch {
	case f.Duration < 0:
		p.add(path+".duration", "must not be negative, got %v", f.Duration)
	case f.What == Restart && f.Duration != 0:
		p.add(path+".duration", "restart is instantaneous: leave it out, "+
			"got %v", f.Duration)
	case (cat == NetworkFault || f.What == Kill || f.What == Pause) &&
		f.Duration == 0:
		p.add(path+".duration", "required for %s: how long the fault lasts",
			f.What)
	}
	if cat != "" {
		f.validateParams(p, path+".params")
	}
}

func (f *Fault) validateParams(p *problems, path string) {
	pr := &f.Params
	for _, spec := range paramSpecs {
		ok, required := f.What.accepts(spec.name)
		switch {
		case !ok && !spec.zero(pr):
			p.add(path+"."+spec.name, "not a parameter of %s (known: %s)",
				f.What, f.What.paramNames())
		case required && spec.zero(pr):
			p.add(path+"."+spec.name, "required for %s", f.What)
		}
	}
	nonNeg := func(name string, d time.Duration) {
		if d < 0 {
			p.add(path+"."+name, "must not be negative, got %v", d)
		}
	}
	nonNeg("latency", pr.Latency)
	nonNeg("jitter", pr.Jitter)
	nonNeg("after", pr.After)
	nonNeg("delay", pr.Delay)
	positive := func(name string, v int64) {
		if v < 0 {
			p.add(path+"."+name, "must be positive, got %d", v)
		}
	}
	positive("kilobytes_per_second", pr.KilobytesPerSecond)
	positive("average_size", pr.AverageSize)
	positive("bytes", pr.Bytes)
	positive("count", int64(pr.Count))
	if pr.SizeVariation < 0 || (pr.SizeVariation > 0 &&
		pr.SizeVariation >= pr.AverageSize) {
		p.add(path+".size_variation", "must be at least 0 and below "+
			"average_size (%d), got %d", pr.AverageSize, pr.SizeVariation)
	}
	if pr.Stream != "" && !pr.Stream.valid() {
		p.add(path+".stream", "want upstream, downstream or both, got %q",
			pr.Stream)
	}
	if pr.Toxicity < 0 || pr.Toxicity > 1 {
		p.add(path+".toxicity", "must be 0 to 1, got %v", pr.Toxicity)
	}
	if pr.Mode != "" && pr.Mode != Refuse && pr.Mode != Blackhole {
		p.add(path+".mode", "want refuse or blackhole, got %q", pr.Mode)
	}
}

// checkOverlaps reports exclusive faults that overlap on one target.
func (s *Schedule) checkOverlaps(p *problems) {
	for i, a := range s.Faults {
		for j := i + 1; j < len(s.Faults); j++ {
			b := s.Faults[j]
			if a.Target != b.Target || !a.What.exclusive() ||
				!b.What.exclusive() {
				continue
			}
			// A restart occupies an instant; treat it as 1ns long.
			aEnd, bEnd := max(a.End(), a.At+1), max(b.End(), b.At+1)
			if a.At < bEnd && b.At < aEnd {
				p.add(fmt.Sprintf("faults[%d]", j), "%s overlaps faults[%d] "+
					"(%s) on target %q", b.What, i, a.What, a.Target)
			}
		}
	}
}
