package month

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/scaletest/scaletest/harness/targets"
)

// Setting is one knob a Sweep turns. Apply changes copies of the
// configuration and the plan for value v; it must not keep them.
type Setting struct {
	// Name says what v is ("units of cpu-workers").
	Name  string
	Apply func(cfg *targets.Config, plan *Plan, v float64) error
}

// Row is one setting of a sweep.
type Row struct {
	Value  float64
	Result *Result
	Err    error
}

// PoolUnits sets the declared units of the plan's pool named pool.
func PoolUnits(pool string) Setting {
	return Setting{Name: "units of " + pool,
		Apply: func(_ *targets.Config, plan *Plan, v float64) error {
			i := slices.IndexFunc(plan.Pools, func(p PoolSpec) bool {
				return p.Name == pool
			})
			if i < 0 || v < 1 {
				return fmt.Errorf("pool units: no pool %q or %v < 1", pool, v)
			}
			plan.Pools[i].Units = int(math.Round(v))
			return nil
		}}
}

// SpotShare sets the share of spot units of the plan's pool named pool.
func SpotShare(pool string) Setting {
	return Setting{Name: "spot share of " + pool,
		Apply: func(_ *targets.Config, plan *Plan, v float64) error {
			i := slices.IndexFunc(plan.Pools, func(p PoolSpec) bool {
				return p.Name == pool
			})
			if i < 0 || v < 0 || v > 1 {
				return fmt.Errorf("spot share: no pool %q or %v not in [0, 1]",
					pool, v)
			}
			plan.Pools[i].SpotFraction = v
			return nil
		}}
}

// QuotaMultiple multiplies the YouTube deployment: every project's
// buckets by v, and its channels by v (rounded up), each new channel with
// the cap of the one it copies, as a platform that asks for more quota
// must also publish to more channels.
func QuotaMultiple() Setting {
	return Setting{Name: "YouTube quota and channels (x configured)",
		Apply: func(cfg *targets.Config, _ *Plan, v float64) error {
			if v <= 0 {
				return fmt.Errorf("quota multiple %v: want > 0", v)
			}
			y := &cfg.Architecture.YouTube
			for i := range y.Projects {
				p := &y.Projects[i]
				p.UploadCallsPerDay = int(math.Round(
					float64(p.UploadCallsPerDay) * v))
				p.GeneralUnitsPerDay = int(math.Round(
					float64(p.GeneralUnitsPerDay) * v))
				n := int(math.Ceil(float64(len(p.Channels)) * v))
				chs := make([]targets.Channel, 0, n)
				for k := range n {
					c := p.Channels[k%len(p.Channels)]
					if k >= len(p.Channels) {
						c.ID += "-" + strconv.Itoa(k)
					}
					chs = append(chs, c)
				}
				p.Channels = chs
			}
			return nil
		}}
}

// Sweep runs one month per value of s, in parallel on up to workers
// goroutines (0 means GOMAXPROCS), each on its own copy of cfg and plan
// with the same Params: a row depends only on its value, never on the
// order of the runs. Progress in p is not called.
func Sweep(ctx context.Context, cfg *targets.Config, plan Plan, p Params,
	s Setting, values []float64, workers int) []Row {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p.Progress = nil
	rows := make([]Row, len(values))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, v := range values {
		rows[i].Value = v
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, pl := cloneConfig(cfg), clonePlan(plan)
			if err := s.Apply(c, &pl, v); err != nil {
				rows[i].Err = fmt.Errorf("sweep %s = %v: %w", s.Name, v, err)
				return
			}
			r, err := Run(ctx, c, pl, p)
			if err != nil {
				err = fmt.Errorf("sweep %s = %v: %w", s.Name, v, err)
			}
			rows[i].Result, rows[i].Err = r, err
		})
	}
	wg.Wait()
	return rows
}

// cloneConfig copies cfg deeply enough for Settings to change its
// architecture.
func cloneConfig(cfg *targets.Config) *targets.Config {
	c := *cfg
	a := &c.Architecture
	a.GPUPools = slices.Clone(a.GPUPools)
	a.CPUPools = slices.Clone(a.CPUPools)
	a.YouTube.Projects = slices.Clone(a.YouTube.Projects)
	for i := range a.YouTube.Projects {
		p := &a.YouTube.Projects[i]
		p.Channels = slices.Clone(p.Channels)
	}
	return &c
}

func clonePlan(p Plan) Plan {
	p.Pools = slices.Clone(p.Pools)
	p.Routes = slices.Clone(p.Routes)
	for i := range p.Routes {
		p.Routes[i].Stages = slices.Clone(p.Routes[i].Stages)
	}
	p.Notes = slices.Clone(p.Notes)
	return p
}
