package month

import (
	"fmt"
	"strings"

	"github.com/scaletest/scaletest/costanalysis"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

// PerVideoCosts are the parts of the bill the simulation does not play
// but takes from the cost model: what one video costs besides compute.
type PerVideoCosts struct {
	// Storage, Egress and Database are USD per video (the database tier
	// is a monthly bill spread over the month's volume).
	Storage, Egress, Database units.USD
	// DeclaredCompute is the cost model's compute per video with every
	// declared unit paid around the clock, for comparison with the
	// simulated, autoscaled figure.
	DeclaredCompute units.USD
	// Note says where the figures come from and what the model warned.
	Note string
}

// Total returns Storage + Egress + Database.
func (c PerVideoCosts) Total() units.USD {
	return c.Storage + c.Egress + c.Database
}

// CostModelPerVideo prices cp's architecture with the cost model of
// package costanalysis (package catalog's prices) and returns its
// non-compute lines per video.
func CostModelPerVideo(cp *scalability.CapacityPlan, p *CatalogPrices) (
	PerVideoCosts, error) {
	c, err := costanalysis.Declared(cp, costanalysis.Options{
		Catalog: p.Catalog})
	if err != nil {
		return PerVideoCosts{}, fmt.Errorf("cost model: %w", err)
	}
	out := PerVideoCosts{
		Storage:  c.Component(costanalysis.Storage),
		Egress:   c.Component(costanalysis.Egress),
		Database: c.Component(costanalysis.Database),
		DeclaredCompute: c.Component(costanalysis.ComputeGPU) +
			c.Component(costanalysis.ComputeCPU),
	}
	notes := []string{fmt.Sprintf("costanalysis.Declared on %s (source %s)",
		p.Catalog.Name(), c.Source)}
	for _, w := range c.Warnings {
		notes = append(notes, w.Error())
	}
	out.Note = strings.Join(notes, "; ")
	return out, nil
}
