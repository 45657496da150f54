package costanalysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

// Declared prices the architecture of plan.Config as declared, at
// on-demand prices with each pool's spot fraction on spot.
func Declared(plan *scalability.CapacityPlan, o Options) (*Cost, error) {
	o, err := o.filled()
	if err != nil {
		return nil, err
	}
	b := newBill("declared", plan, o)
	b.workInputs()
	arch := plan.Config.Architecture

	for _, g := range arch.GPUPools {
		inst := gpuInstance(o.Catalog, plan.Options.Cards, g.Card)
		if inst == nil {
			b.warn("catalog %s has no instance with %s: pool %s not counted",
				o.Catalog.Name(), g.Card, g.Name)
			continue
		}
		nodes := math.Ceil(float64(g.Count) / float64(inst.GPUs))
		b.pool(ComputeGPU, g.Name, inst, nodes, g.SpotFraction, poolUtilisation(plan, g.Name))
	}
	for _, c := range arch.CPUPools {
		inst := o.Catalog.Instance(c.Instance)
		if inst == nil {
			b.warn("catalog %s has no price for %s: pool %s not counted",
				o.Catalog.Name(), c.Instance, c.Name)
			continue
		}
		if inst.VCPUs != c.VCPUsPerNode {
			b.warn("pool %s declares %d vCPUs per %s; the catalog says %d", c.Name,
				c.VCPUsPerNode, c.Instance, inst.VCPUs)
		}
		comp := ComputeCPU
		if inst.GPUs > 0 {
			comp = ComputeGPU
		}
		b.pool(comp, c.Name, inst, float64(c.Nodes), c.SpotFraction,
			poolUtilisation(plan, c.Name))
	}
	b.storage()
	b.egress()
	b.databases(func(s string) int {
		switch s {
		case "postgres":
			return arch.Database.Postgres.Instances
		case "redis":
			return arch.Database.Redis.Instances
		}
		return arch.Database.Neo4j.Instances
	})
	return b.finish(), nil
}

// workInputs lists the per-media-second figures the plan used.
func (b *bill) workInputs() {
	w := b.plan.Work
	b.figure("CPU seconds per media second", "cpu-s/s", w.CPUPath)
	b.figure("NVENC engine speed", "frames/s", w.NVENCEngineFPS)
	b.figure("output bytes per media second", "B/s", w.OutputBytes)
	b.figure("top rung bytes per media second", "B/s", w.TopRungBytes)
	b.figure("source bytes per media second", "B/s", w.SourceBytes)
}

// pool adds a compute line: nodes of inst around the clock, spot of
// them on spot.
func (b *bill) pool(comp Component, name string, inst *catalog.Instance, nodes,
	spot, util float64) {
	od := inst.OnDemand
	if od == nil {
		od = inst.Committed
		b.warn("%s has no on-demand price: pool %s costed at its committed price",
			inst.Name, name)
	}
	hourly := units.USD(0)
	parts := []string{}
	if od != nil && spot < 1 {
		b.price("instance "+inst.Name+" "+string(catalog.OnDemand), od, "USD/h")
		hourly += units.USD(1-spot) * od.USD
		parts = append(parts, fmt.Sprintf("%.0f%% on-demand", (1-spot)*100))
	}
	if spot > 0 {
		sp := inst.Spot
		if sp == nil {
			sp = od
			b.warn("%s has no spot price: the spot share of %s costed on-demand",
				inst.Name, name)
		}
		b.price("instance "+inst.Name+" "+string(catalog.Spot), sp, "USD/h")
		hourly += units.USD(spot) * sp.USD
		parts = append(parts, fmt.Sprintf("%.0f%% spot", spot*100))
	}
	note := fmt.Sprintf("%s/h per instance, paid around the clock", hourly)
	if util == 0 {
		note += "; no modeled work uses it"
	}
	b.monthly(comp, fmt.Sprintf("%s: %.0f x %s (%s)", name, nodes, inst.Name,
		strings.Join(parts, ", ")), units.USD(nodes*b.hours)*hourly, util, true, note)
}

// gpuInstance picks the catalog's instance for card: the card's usual
// host when the catalog has it, else the cheapest per GPU.
func gpuInstance(cat *catalog.Catalog, cards *scalability.Cards, card string) *catalog.Instance {
	list := cat.WithGPU(card)
	if len(list) == 0 {
		return nil
	}
	if c, ok := cards.Get(card); ok {
		for _, i := range list {
			if i.Name == c.Host.Instance {
				return i
			}
		}
	}
	best := list[0]
	for _, i := range list[1:] {
		if perGPU(i) < perGPU(best) {
			best = i
		}
	}
	return best
}

func perGPU(i *catalog.Instance) float64 {
	for _, o := range catalog.Options {
		if p := i.Price(o); p != nil {
			return float64(p.USD) / float64(i.GPUs)
		}
	}
	return math.Inf(1)
}

// poolUtilisation is the highest mean utilisation among a pool's
// resources: the engine (or host CPU) that binds first.
func poolUtilisation(plan *scalability.CapacityPlan, pool string) float64 {
	u := 0.0
	for _, r := range plan.Resources {
		if r.Pool == pool {
			u = math.Max(u, r.MeanUtilisation)
		}
	}
	return u
}
