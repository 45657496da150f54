package month

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
)

// queued lists the kinds of capacity-plan resource a video queues at.
var queued = []scalability.Kind{scalability.KindNVDEC,
	scalability.KindNVENC, scalability.KindCPUEncode,
	scalability.KindHostEncode, scalability.KindHostCPU,
	scalability.KindCPUPackage}

// PlanFromRecords builds the capacity plan of cfg from the measured
// records recs (none means assumptions only) and turns it into a Plan;
// see PlanFrom.
func PlanFromRecords(cfg *targets.Config, recs []record.Record, a Assumptions,
	prices Prices) (Plan, *scalability.CapacityPlan, error) {
	cp, err := scalability.Plan(cfg, scalability.MeasurementsFromRecords(recs))
	if err != nil {
		return Plan{}, nil, fmt.Errorf("month plan: %w", err)
	}
	p, err := PlanFrom(cp, a, prices)
	if err != nil {
		return p, cp, err
	}
	if cat, ok := prices.(*CatalogPrices); ok {
		if p.PerVideo, err = CostModelPerVideo(cp, cat); err != nil {
			return p, cp, err
		}
	} else {
		p.Notes = append(p.Notes, "no cost catalog: storage, egress and "+
			"databases are not priced")
	}
	return p, cp, nil
}

// PlanFrom turns the capacity model's plan into the pools and routes the
// simulation runs, so that both use the same placement (where encoding
// lands), slot sizes and service times:
//
//   - each queued resource with declared units becomes a pool: its
//     units, servers per unit as job slots, and the service seconds per
//     media second of one server;
//   - a route is an encoding resource (the capacity model's carrier,
//     with its share of videos) with the decoders and host CPUs of the
//     same configured pool around it, followed by a package pool when
//     the architecture has one;
//   - a configured pool is paid for once, by the resource that owns its
//     hardware (the encoder, else the first); pools with no video work
//     are kept, idle and paid for;
//   - spot share and failure rates come from the configured pools and
//     the assumptions.
func PlanFrom(cp *scalability.CapacityPlan, a Assumptions, prices Prices) (
	Plan, error) {
	cfg := cp.Config
	plan := Plan{Source: record.ModeledFromMeasured,
		UploadBytesPerMediaSecond: cp.Work.TopRungBytes.Value}
	if d, ok := prices.(interface{ Describe() string }); ok {
		plan.Prices = d.Describe()
	}
	if cp.Work.TopRungBytes.Source == record.Config {
		plan.Notes = append(plan.Notes, "upload size from assumed bitrates")
	}
	mean := cp.Work.MeanLengthSeconds
	index := map[*scalability.Resource]int{}
	billed := map[string]bool{}

	// Owners first, so that each configured pool is billed once.
	order := slices.Clone(cp.Resources)
	slices.SortStableFunc(order, func(x, y *scalability.Resource) int {
		return ownerRank(x) - ownerRank(y)
	})
	for _, r := range order {
		if !slices.Contains(queued, r.Kind) && r.Kind != scalability.KindUnmodeled {
			continue
		}
		if r.Declared < 1 {
			if r.Share > 0 && r.Kind != scalability.KindUnmodeled {
				plan.Notes = append(plan.Notes, fmt.Sprintf("%s: no units "+
					"declared; its share of videos is not simulated here", r.Name))
			}
			continue
		}
		spec, err := poolSpec(cfg, cp, r, a, prices, !billed[r.Pool])
		if err != nil {
			return Plan{}, err
		}
		billed[r.Pool] = true
		if r.Kind == scalability.KindUnmodeled || r.Share == 0 ||
			r.ServiceSeconds == 0 {
			spec.Fixed = true
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s: no video work; "+
				"idle and paid for all month", r.Name))
		} else if isEncoder(r) && r.Source != record.ModeledFromMeasured {
			// As the cost model judges: the source is the encoders'; the
			// small stages around them are always assumed.
			plan.Source = record.Config
		}
		index[r] = len(plan.Pools)
		plan.Pools = append(plan.Pools, spec)
	}

	// Routes: encoders with their followers, then packaging.
	stage := func(r *scalability.Resource) Stage {
		return Stage{Name: r.Name, Pool: index[r],
			SecondsPerMediaSecond: r.ServiceSeconds / mean}
	}
	var pkgs []*scalability.Resource
	for _, r := range cp.Resources {
		if _, ok := index[r]; ok && r.Kind == scalability.KindCPUPackage {
			pkgs = append(pkgs, r)
		}
	}
	for _, enc := range cp.Resources {
		if _, ok := index[enc]; !ok || !isEncoder(enc) || enc.Share <= 0 {
			continue
		}
		var stages []Stage
		for _, r := range cp.Resources {
			if _, ok := index[r]; ok && r.Kind == scalability.KindNVDEC &&
				r.Pool == enc.Pool {
				stages = append(stages, stage(r))
			}
		}
		stages = append(stages, stage(enc))
		for _, r := range cp.Resources {
			if _, ok := index[r]; ok && r.Kind == scalability.KindHostCPU &&
				r.Pool == enc.Pool {
				stages = append(stages, stage(r))
			}
		}
		if len(pkgs) == 0 {
			plan.Routes = append(plan.Routes, Route{Share: enc.Share,
				Stages: stages})
			continue
		}
		for _, pk := range pkgs {
			plan.Routes = append(plan.Routes, Route{Share: enc.Share * pk.Share,
				Stages: append(slices.Clone(stages), stage(pk))})
		}
	}
	// The carriers' shares add up to 1 only over resources with units.
	total := 0.0
	for _, r := range plan.Routes {
		total += r.Share
	}
	if total > 0 && math.Abs(total-1) > 1e-9 {
		plan.Notes = append(plan.Notes, fmt.Sprintf("routes with declared "+
			"units carry %.1f%% of the planned shares; rescaled to 100%%",
			100*total))
		for i := range plan.Routes {
			plan.Routes[i].Share /= total
		}
	}
	plan.Notes = append(plan.Notes, cp.Notes...)
	return plan, nil
}

func isEncoder(r *scalability.Resource) bool {
	switch r.Kind {
	case scalability.KindNVENC, scalability.KindCPUEncode,
		scalability.KindHostEncode:
		return true
	}
	return false
}

// ownerRank orders the resources of one configured pool: the encoder
// owns the hardware, then anything else.
func ownerRank(r *scalability.Resource) int {
	if isEncoder(r) {
		return 0
	}
	return 1
}

func poolSpec(cfg *targets.Config, cp *scalability.CapacityPlan,
	r *scalability.Resource, a Assumptions, prices Prices, owner bool) (
	PoolSpec, error) {
	slots := int(math.Floor(r.ServersPerUnit + 1e-9))
	spec := PoolSpec{Name: r.Name, Unit: r.Unit, Units: int(r.Declared),
		SlotsPerUnit: max(slots, 1)}
	var pu PricedUnit
	gpusPerHost := 1
	if i := slices.IndexFunc(cfg.Architecture.GPUPools,
		func(g targets.GPUPool) bool { return g.Name == r.Pool }); i >= 0 {
		g := cfg.Architecture.GPUPools[i]
		spec.SpotFraction = g.SpotFraction
		pu = PricedUnit{Card: g.Card, GPUs: 1}
		if card, ok := scalability.DefaultCards().Get(g.Card); ok &&
			card.Host.GPUs > 0 {
			gpusPerHost = card.Host.GPUs
			pu.Host = card.Host.Instance
		}
		spec.MTBF = a.GPUHostMTBF
		if r.Unit == "hosts" {
			pu.GPUs = gpusPerHost
		} else {
			// TODO: a host failure takes all its GPUs at once; here each
			// GPU fails alone at the host's rate spread over its GPUs,
			// which keeps the lost capacity but not its clumping.
			spec.MTBF = a.GPUHostMTBF * time.Duration(gpusPerHost)
		}
	} else if i := slices.IndexFunc(cfg.Architecture.CPUPools,
		func(c targets.CPUPool) bool { return c.Name == r.Pool }); i >= 0 {
		c := cfg.Architecture.CPUPools[i]
		spec.SpotFraction = c.SpotFraction
		spec.MTBF = a.CPUNodeMTBF
		pu = PricedUnit{Instance: c.Instance}
	}
	if !owner {
		// TODO: a follower (an NVENC pool's decoders and host CPUs) is a
		// pool of its own here: it neither fails nor scales with the
		// hardware it shares, which the capacity plan does not link.
		spec.Fixed = true
		spec.PriceNote = "paid for with the other resources of pool " + r.Pool
		return spec, nil
	}
	if prices == nil {
		spec.PriceNote = "no prices given"
		return spec, nil
	}
	od, sp, src, err := prices.UnitHour(pu)
	if err != nil {
		spec.PriceNote = err.Error()
		return spec, nil
	}
	spec.Hourly, spec.SpotHourly, spec.PriceNote = od, sp, src
	return spec, nil
}
