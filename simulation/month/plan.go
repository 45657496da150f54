package month

import (
	"errors"
	"fmt"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/units"
)

// Plan is what the simulation runs: pools of units and the routes videos
// take through them. PlanFromConfig builds it from scale.yaml through the
// capacity model; tests build small ones by hand.
type Plan struct {
	Pools  []PoolSpec
	Routes []Route
	// UploadBytesPerMediaSecond is the size of what is uploaded to
	// YouTube, bytes per second of media.
	UploadBytesPerMediaSecond float64
	// Source says where the encoders' service times came from: measured
	// figures (record.ModeledFromMeasured) or configuration and
	// assumptions (record.Config). The small stages around them
	// (thumbnail, packaging) are always assumed, as in the cost model.
	Source record.Source
	// Prices says where the units' prices come from.
	Prices string
	// PerVideo holds the costs besides compute, from the cost model;
	// zero when none was given.
	PerVideo PerVideoCosts
	// Notes explain the plan: placements, idle pools, fallbacks.
	Notes []string
}

// PoolSpec is a pool of identical units (nodes, hosts or GPUs), each
// running SlotsPerUnit jobs at once.
type PoolSpec struct {
	Name string
	// Unit names what Units counts: "nodes", "hosts", "GPUs".
	Unit string
	// Units is the declared count at full volume.
	Units        int
	SlotsPerUnit int
	// SpotFraction is the share of units on interruptible capacity.
	SpotFraction float64
	// MTBF is one unit's mean time between failures; 0 means none.
	MTBF time.Duration
	// Hourly and SpotHourly are what one unit costs per hour on demand
	// and on spot; both zero when the pool is paid for elsewhere (it
	// shares another pool's hardware) or no price is known (PriceNote
	// says which).
	Hourly, SpotHourly units.USD
	PriceNote          string
	// Fixed keeps the pool at its declared size even when the autoscaler
	// is on, as for work that rides on another pool's hosts.
	Fixed bool
}

// Stage is one step of a video on one pool.
type Stage struct {
	Name string
	// Pool indexes Plan.Pools.
	Pool int
	// SecondsPerMediaSecond is the mean time one slot spends per second
	// of the video's media.
	SecondsPerMediaSecond float64
}

// Route is a path through the stages that a Share of videos take.
type Route struct {
	Share  float64
	Stages []Stage
}

// Validate reports every inconsistency of the plan.
func (p *Plan) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	for i, pl := range p.Pools {
		if pl.Units < 0 || pl.SlotsPerUnit < 1 {
			bad("pool %d (%s): want units >= 0 and slots per unit >= 1, got "+
				"%d and %d", i, pl.Name, pl.Units, pl.SlotsPerUnit)
		}
		if !(pl.SpotFraction >= 0 && pl.SpotFraction <= 1) {
			bad("pool %s: spot fraction %v not in [0, 1]", pl.Name,
				pl.SpotFraction)
		}
	}
	if len(p.Routes) == 0 {
		bad("no routes")
	}
	share := 0.0
	for i, r := range p.Routes {
		if r.Share < 0 {
			bad("route %d: negative share %v", i, r.Share)
		}
		share += r.Share
		for _, s := range r.Stages {
			if s.Pool < 0 || s.Pool >= len(p.Pools) {
				bad("route %d stage %s: no pool %d", i, s.Name, s.Pool)
				continue
			}
			if p.Pools[s.Pool].Units == 0 {
				bad("route %d stage %s: pool %s has no units", i, s.Name,
					p.Pools[s.Pool].Name)
			}
			if !(s.SecondsPerMediaSecond > 0) {
				bad("route %d stage %s: service %v s per media second", i,
					s.Name, s.SecondsPerMediaSecond)
			}
		}
	}
	if len(p.Routes) > 0 && (share < 0.999 || share > 1.001) {
		bad("route shares add up to %v, want 1", share)
	}
	if p.UploadBytesPerMediaSecond < 0 {
		bad("negative upload bytes per media second")
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	return nil
}
