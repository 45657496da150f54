package costanalysis

import (
	"fmt"
	"math"
	"slices"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

// Sensitivity is one input moved down and up by Change.
type Sensitivity struct {
	Input string
	// Change is the relative move, 0.2 for +-20%.
	Change float64
	// Declared and Optimized hold the cost per video at -Change and
	// +Change; Base* at no change.
	Declared, Optimized [2]units.USD
	BaseDeclared        units.USD
	BaseOptimized       units.USD
}

// Swing returns the larger move of the optimized cost per video, in USD.
func (s Sensitivity) Swing() units.USD {
	return units.USD(math.Max(math.Abs(float64(s.Optimized[0]-s.BaseOptimized)),
		math.Abs(float64(s.Optimized[1]-s.BaseOptimized))))
}

// perturbation changes one input by factor f: in the configuration, the
// work figures, the catalog or the optimizer's policy.
type perturbation struct {
	name  string
	apply func(f float64, cfg *targets.Config, so *scalability.Options, o *OptimizeOptions)
}

func scaleWork(pick func(w *scalability.Work) []*scalability.Figure) func(float64,
	*targets.Config, *scalability.Options, *OptimizeOptions) {
	return func(f float64, _ *targets.Config, so *scalability.Options, _ *OptimizeOptions) {
		prev := so.AdjustWork
		so.AdjustWork = func(w *scalability.Work) {
			if prev != nil {
				prev(w)
			}
			for _, fig := range pick(w) {
				fig.Value *= f
			}
		}
	}
}

func scalePrices(k catalog.Kind) func(float64, *targets.Config, *scalability.Options,
	*OptimizeOptions) {
	return func(f float64, _ *targets.Config, _ *scalability.Options, o *OptimizeOptions) {
		o.Catalog = o.Catalog.Scaled(k, f)
	}
}

var perturbations = []perturbation{
	{"CPU seconds per media second", scaleWork(func(w *scalability.Work) []*scalability.Figure {
		return []*scalability.Figure{&w.CPUPath}
	})},
	{"NVENC engine speed", scaleWork(func(w *scalability.Work) []*scalability.Figure {
		return []*scalability.Figure{&w.NVENCEngineFPS}
	})},
	{"output bytes per media second", scaleWork(func(w *scalability.Work) []*scalability.Figure {
		return []*scalability.Figure{&w.OutputBytes, &w.TopRungBytes}
	})},
	{"source bitrate", func(f float64, cfg *targets.Config, _ *scalability.Options,
		_ *OptimizeOptions) {
		cfg.Workload.SourceMbps *= f
	}},
	{"median video length", func(f float64, cfg *targets.Config, _ *scalability.Options,
		_ *OptimizeOptions) {
		cfg.Workload.VideoLength.Median = scaleDuration(cfg.Workload.VideoLength.Median, f)
		cfg.Workload.VideoLength.Max = max(cfg.Workload.VideoLength.Max,
			cfg.Workload.VideoLength.Median)
	}},
	{"videos per month", func(f float64, cfg *targets.Config, _ *scalability.Options,
		_ *OptimizeOptions) {
		cfg.Targets.Volume.VideosPerMonth *= f
	}},
	{"retention days", func(f float64, cfg *targets.Config, _ *scalability.Options,
		_ *OptimizeOptions) {
		cfg.Workload.RetentionDays *= f
	}},
	{"GPU instance prices", scalePrices(catalog.GPUInstances)},
	{"CPU instance prices", scalePrices(catalog.CPUInstances)},
	{"storage prices", scalePrices(catalog.Storage)},
	{"egress prices", scalePrices(catalog.Egress)},
	{"database prices", scalePrices(catalog.Databases)},
	{"max spot share", func(f float64, _ *targets.Config, _ *scalability.Options,
		o *OptimizeOptions) {
		o.MaxSpotShare = math.Min(o.MaxSpotShare*f, 1)
	}},
}

// SensitivityInputs lists the inputs Sensitivities can move.
func SensitivityInputs() []string {
	out := make([]string, len(perturbations))
	for i, p := range perturbations {
		out[i] = p.name
	}
	return out
}

// Sensitivities moves each input down and up by change (0.2 for +-20%),
// re-plans, re-prices the declared architecture and re-optimizes, and
// returns the rows sorted by the optimized cost's swing, largest first.
// m and so are what the base plan was made with; inputs, when given,
// restricts the inputs moved (names from SensitivityInputs).
func Sensitivities(cfg *targets.Config, m scalability.Measurements, so scalability.Options,
	o OptimizeOptions, change float64, inputs ...string) ([]Sensitivity, error) {
	if !(change > 0 && change < 1) {
		return nil, fmt.Errorf("sensitivity: change must be in (0, 1), got %v", change)
	}
	for _, in := range inputs {
		if !slices.Contains(SensitivityInputs(), in) {
			return nil, fmt.Errorf("sensitivity: unknown input %q (known: %v)", in,
				SensitivityInputs())
		}
	}
	filled, err := o.Options.filled()
	if err != nil {
		return nil, err
	}
	o.Options = filled
	if o.MaxSpotShare == 0 {
		o.MaxSpotShare = DefaultMaxSpotShare
	}
	run := func(p *perturbation, f float64) (units.USD, units.USD, error) {
		c, sopt, oo := *cfg, so, o
		if p != nil {
			p.apply(f, &c, &sopt, &oo)
		}
		sopt.NoAlternatives = true
		plan, err := scalability.PlanWith(&c, m, sopt)
		if err != nil {
			return 0, 0, err
		}
		decl, err := Declared(plan, oo.Options)
		if err != nil {
			return 0, 0, err
		}
		opt, err := Optimize(plan, oo)
		if err != nil {
			return 0, 0, err
		}
		return decl.PerVideo, opt.Cost.PerVideo, nil
	}
	baseD, baseO, err := run(nil, 1)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: base: %w", err)
	}
	var out []Sensitivity
	for i := range perturbations {
		p := &perturbations[i]
		if len(inputs) > 0 && !slices.Contains(inputs, p.name) {
			continue
		}
		s := Sensitivity{Input: p.name, Change: change, BaseDeclared: baseD,
			BaseOptimized: baseO}
		for k, f := range []float64{1 - change, 1 + change} {
			d, op, err := run(p, f)
			if err != nil {
				return nil, fmt.Errorf("sensitivity: %s x%.2f: %w", p.name, f, err)
			}
			s.Declared[k], s.Optimized[k] = d, op
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Sensitivity) int { return cmpUSD(b.Swing(), a.Swing()) })
	return out, nil
}
