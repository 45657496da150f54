package targets

import (
	"fmt"
	"math"
)

// problems collects validation findings; nothing stops at the first.
type problems struct{ errs []*FieldError }

func (p *problems) add(path, format string, args ...any) {
	p.errs = append(p.errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) positive(path string, v float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		p.add(path, "must be a finite number above 0, got %v", v)
	}
}

func (p *problems) nonNegative(path string, v float64) {
	if !(v >= 0) || math.IsInf(v, 0) {
		p.add(path, "must be a finite number of at least 0, got %v", v)
	}
}

// fraction accepts 0 <= v <= 1.
func (p *problems) fraction(path string, v float64) {
	if !(v >= 0 && v <= 1) {
		p.add(path, "must be between 0 and 1, got %v", v)
	}
}

func (p *problems) oneOf(path, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	p.add(path, "must be one of %v, got %q", allowed, v)
}

// validate checks the whole configuration and returns every problem.
func (c *Config) validate() []*FieldError {
	var p problems
	if c.Version != 1 {
		p.add("version", "must be 1, got %d", c.Version)
	}
	c.Targets.validate(&p)
	c.Workload.validate(&p)
	c.Processing.validate(&p)
	c.Architecture.validate(&p)
	c.Scales.validate(&p)
	return p.errs
}

// Validate reports every problem of a configuration built in code; Parse
// already calls it for files.
func (c *Config) Validate() error {
	errs := c.validate()
	if len(errs) == 0 {
		return nil
	}
	for _, e := range errs {
		e.File = "config"
	}
	return joinFieldErrors(errs)
}
