package targets

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// Scale is how large a run is. The same code runs at every scale; only
// rates, durations and counts change.
type Scale string

// The three scales of DESIGN.md.
const (
	ScaleShort Scale = "short" // go test -short: CI, minutes on 2 cores
	ScaleLocal Scale = "local" // go test: a developer's machine
	ScaleFull  Scale = "full"  // scaletest run: what the targets name
)

// EnvScale names the environment variable that sets the scale explicitly;
// scaletest run sets it to "full".
const EnvScale = "SCALETEST_SCALE"

// CurrentScale returns the scale of this process: SCALETEST_SCALE when set,
// else short when the test binary runs with -short, else local. An unknown
// value of SCALETEST_SCALE yields an error and ScaleLocal.
func CurrentScale() (Scale, error) {
	if v := os.Getenv(EnvScale); v != "" {
		s := Scale(v)
		switch s {
		case ScaleShort, ScaleLocal, ScaleFull:
			return s, nil
		}
		return ScaleLocal, fmt.Errorf("%s=%q: want short, local or full", EnvScale, v)
	}
	if f := flag.Lookup("test.short"); f != nil && f.Value.String() == "true" {
		return ScaleShort, nil
	}
	return ScaleLocal, nil
}

// Scales sizes each scale.
type Scales struct {
	Short ScaleSettings `yaml:"short"`
	Local ScaleSettings `yaml:"local"`
	Full  ScaleSettings `yaml:"full"`
}

// ScaleSettings are the knobs that change with the scale.
type ScaleSettings struct {
	// RateFraction is the share of the platform's peak rate that load and
	// reliability tests drive against one machine's services.
	RateFraction float64 `yaml:"rate_fraction"`
	// Duration is how long a load or fault run lasts.
	Duration time.Duration `yaml:"duration"`
	// Clip is the length of each reference video that is encoded.
	Clip time.Duration `yaml:"clip"`
	// SimFraction is the share of the month's volume the simulation plays.
	SimFraction float64 `yaml:"sim_fraction"`
	// Inputs names the set of reference videos that are encoded: "pair"
	// (a code screen and a talking head at 1080p30), "standard" (every
	// content kind at 1080p30 and a few other sizes and rates) or
	// "catalog" (every kind at 720p, 1080p and 1440p, 30 and 60 fps).
	Inputs string `yaml:"inputs"`
}

// For returns the settings of scale s (local for an unknown one).
func (s *Scales) For(sc Scale) ScaleSettings {
	switch sc {
	case ScaleShort:
		return s.Short
	case ScaleFull:
		return s.Full
	}
	return s.Local
}

func (s *Scales) validate(p *problems) {
	for _, sc := range []struct {
		name string
		v    ScaleSettings
	}{{"short", s.Short}, {"local", s.Local}, {"full", s.Full}} {
		path, v := "scales."+sc.name, sc.v
		if !(v.RateFraction > 0 && v.RateFraction <= 1) {
			p.add(path+".rate_fraction", "must be above 0 and at most 1, got %v", v.RateFraction)
		}
		if v.Duration <= 0 {
			p.add(path+".duration", "must be a positive duration, got %v", v.Duration)
		}
		if v.Clip <= 0 {
			p.add(path+".clip", "must be a positive duration, got %v", v.Clip)
		}
		if !(v.SimFraction > 0 && v.SimFraction <= 1) {
			p.add(path+".sim_fraction", "must be above 0 and at most 1, got %v", v.SimFraction)
		}
		p.oneOf(path+".inputs", v.Inputs, "pair", "standard", "catalog")
	}
}
