package costanalysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/costanalysis/lp"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

// OptimizeOptions are Options plus the optimizer's policies.
type OptimizeOptions struct {
	Options
	// MaxSpotShare bounds the share of the requirement covered by spot
	// capacity: on-demand and committed capacity must cover the rest, so
	// that a reclaim of every spot node degrades the service instead of
	// stopping it. 0 means DefaultMaxSpotShare; below 0, no spot at all.
	MaxSpotShare float64
	// InterruptionsPerMonth and Replacement derate spot capacity by its
	// expected unavailability, rate x replacement time / month. Zero
	// values mean FACTS.md's 10% per month and 10 minutes.
	InterruptionsPerMonth float64
	Replacement           time.Duration
	// LP bounds the branch and bound; zero means a 1e-4 relative gap.
	LP lp.Settings
}

// DefaultMaxSpotShare is an assumption: half of the peak requirement may
// be on spot.
const DefaultMaxSpotShare = 0.5

// Candidate is one instance type and purchase option the optimizer may
// buy.
type Candidate struct {
	Instance *catalog.Instance
	Option   catalog.Option
	Price    *catalog.Price
	// Path is how it encodes: "nvenc" on the card's engines, "x264" on
	// its CPUs (GPU instances whose cards cannot encode included).
	Path string
	// Needed is how many instances of this type alone meet the plan's
	// wait objective with the N+k margin in every period.
	Needed float64
	// Cover is the share of the requirement one instance covers, 1 /
	// Needed, derated for spot.
	Cover float64
	// Count is how many the optimizer buys.
	Count int
}

// Optimized is the optimizer's answer.
type Optimized struct {
	// Candidates is every option of the winning candidate set (all
	// candidates, or one instance type alone); Chosen those bought.
	Candidates []Candidate
	Chosen     []Candidate
	// Relaxed and Integer are the linear programme's solutions.
	Relaxed lp.Solution
	Integer lp.Solution
	// Architecture is the mix as pools, with the database tier the plan
	// requires; Plan is its capacity plan (every compute resource
	// passes).
	Architecture targets.Architecture
	Plan         *scalability.CapacityPlan
	// Grown counts the instances added after rounding because a queue
	// of the mix still missed its objective; Shrunk those taken away
	// because the mix met the plan without them.
	Grown  int
	Shrunk int
	// FellBack is set when the declared architecture met the plan and
	// cost less than the optimizer's mix, and was kept instead.
	FellBack bool
	Cost     *Cost
	Notes    []string

	maxSpot float64
}

// Optimize finds the cheapest instance mix for plan's workload and
// prices it (see the package documentation).
func Optimize(plan *scalability.CapacityPlan, o OptimizeOptions) (*Optimized, error) {
	opts, err := o.Options.filled()
	if err != nil {
		return nil, err
	}
	o.Options = opts
	if o.MaxSpotShare == 0 {
		o.MaxSpotShare = DefaultMaxSpotShare
	}
	if o.InterruptionsPerMonth == 0 {
		o.InterruptionsPerMonth = 0.10
	}
	if o.Replacement == 0 {
		o.Replacement = 10 * time.Minute
	}
	if o.LP.RelGap == 0 {
		o.LP.RelGap = 1e-4
	}
	var notes []string
	cands, err := candidates(plan, o, &notes)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("optimize: catalog %s offers nothing that can encode",
			o.Catalog.Name())
	}

	// Solve over every candidate, and over each instance type alone: the
	// covers add linearly, but a load split over pools needs a little
	// more than that (each pool queues on its own), so a mix can lose to
	// one type once re-planned.
	sets := [][]int{nil}
	byType := map[*catalog.Instance][]int{}
	var types []*catalog.Instance
	for i, c := range cands {
		sets[0] = append(sets[0], i)
		if byType[c.Instance] == nil {
			types = append(types, c.Instance)
		}
		byType[c.Instance] = append(byType[c.Instance], i)
	}
	for _, t := range types {
		sets = append(sets, byType[t])
	}
	var best *Optimized
	for n, set := range sets {
		r, err := solveSet(plan, o, cands, set)
		if errors.Is(err, lp.ErrInfeasible) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			r.note("the mix of all %d candidates costs %v per month after re-planning",
				len(cands), r.Cost.PerMonth)
		}
		if best == nil || r.Cost.PerMonth < best.Cost.PerMonth {
			if best != nil {
				r.Notes = append(best.Notes, r.Notes...)
			}
			best = r
		}
	}
	if best == nil {
		return nil, fmt.Errorf("optimize: no candidate set is feasible")
	}
	best.Notes = append(notes, best.Notes...)

	// The declared architecture is a feasible point too: keep it when it
	// is cheaper (it can be, when rounding and regrowth cost more than
	// the declaration's slack).
	if decl, err := Declared(plan, o.Options); err == nil && meets(plan) &&
		decl.PerMonth < best.Cost.PerMonth {
		best.FellBack = true
		best.note("the declared architecture meets the plan and costs %v per video, "+
			"less than the optimizer's %v: kept", decl.PerVideo, best.Cost.PerVideo)
		best.Architecture, best.Plan = plan.Config.Architecture, plan
		best.Cost = decl
		best.Cost.Name = "optimized"
	}
	return best, nil
}

// solveSet runs the programme over the candidates in set, rounds, grows
// and prices the mix.
func solveSet(plan *scalability.CapacityPlan, o OptimizeOptions, all []Candidate,
	set []int) (*Optimized, error) {
	out := &Optimized{maxSpot: o.MaxSpotShare}
	for _, i := range set {
		out.Candidates = append(out.Candidates, all[i])
	}
	prob := coverProblem(out.Candidates, o.MaxSpotShare,
		plan.Config.Targets.Volume.DaysPerMonth*24)
	var err error
	if out.Relaxed, err = lp.Relax(prob); err != nil {
		return nil, fmt.Errorf("optimize: relaxation: %w", err)
	}
	if out.Integer, err = lp.Integer(prob, o.LP); err != nil {
		return nil, fmt.Errorf("optimize: integer: %w", err)
	}
	if !out.Integer.Optimal {
		out.note("branch and bound stopped at its node cap: cost within %.2f%% of the bound",
			100*(out.Integer.Cost/out.Integer.Bound-1))
	}
	for i, x := range out.Integer.X {
		out.Candidates[i].Count = int(math.Round(x))
	}
	if err := out.recheck(plan); err != nil {
		return nil, err
	}
	if err := out.shrink(plan); err != nil {
		return nil, err
	}
	for _, c := range out.Candidates {
		if c.Count > 0 {
			out.Chosen = append(out.Chosen, c)
		}
	}
	out.Cost = priceMix(out.Plan, out.Chosen, o.Options)
	return out, nil
}

func (o *Optimized) note(format string, args ...any) {
	o.Notes = append(o.Notes, fmt.Sprintf(format, args...))
}

// candidates sizes every catalog instance (one per GPU card: the shape
// the card table knows, or the cheapest) for the whole workload.
func candidates(plan *scalability.CapacityPlan, o OptimizeOptions,
	notes *[]string) ([]Candidate, error) {
	w := plan.Work
	cards := plan.Options.Cards
	prof, _ := plan.Config.Processing.Profile(plan.Config.Processing.DefaultProfile)
	slot := float64(plan.SlotVCPUs)
	month := plan.Config.Targets.Volume.DaysPerMonth * 24 * float64(time.Hour)
	unavail := o.InterruptionsPerMonth * float64(o.Replacement) / month

	var out2 []Candidate
	for i := range o.Catalog.Instances {
		inst := &o.Catalog.Instances[i]
		path, needed := "x264", 0.0
		if inst.GPUs > 0 {
			if gpuInstance(o.Catalog, cards, inst.GPU) != inst {
				continue // one shape per card
			}
			card, ok := cards.Get(inst.GPU)
			if !ok {
				*notes = append(*notes, fmt.Sprintf("%s carries %s, which the card "+
					"table does not know: left out", inst.Name, inst.GPU))
				continue
			}
			capable := card.NVENC > 0
			for _, r := range prof.Ladder {
				capable = capable && card.CanEncode(r.Codec)
			}
			if capable {
				path = "nvenc"
				n, err := nvencNeeded(plan, inst, card)
				if err != nil {
					return nil, err
				}
				needed = n
			}
		}
		if path == "x264" {
			slots := math.Floor(float64(inst.VCPUs) / slot)
			if slots < 1 {
				continue
			}
			r, err := plan.Size(inst.Name, w.CPUPath.Value/slot, slots, 1)
			if err != nil {
				return nil, fmt.Errorf("optimize: %w", err)
			}
			needed = r.WithSpare
		}
		if needed <= 0 {
			continue
		}
		for _, opt := range catalog.Options {
			p := inst.Price(opt)
			if p == nil || (opt == catalog.Spot && o.MaxSpotShare < 0) {
				continue
			}
			cover := 1 / needed
			if opt == catalog.Spot {
				cover *= 1 - unavail
			}
			out2 = append(out2, Candidate{Instance: inst, Option: opt, Price: p, Path: path,
				Needed: needed, Cover: cover})
		}
	}
	return out2, nil
}

// nvencNeeded is how many instances of a card with encoders carry the
// whole workload: the most of what NVENC, NVDEC and the host CPUs need.
func nvencNeeded(plan *scalability.CapacityPlan, inst *catalog.Instance,
	card scalability.Card) (float64, error) {
	w := plan.Work
	engine := w.NVENCEngineFPS.Value
	if f, ok := plan.Measurements.GPUEncodeFPS[strings.ToUpper(card.Name)]; ok {
		engine = f.Value / float64(card.NVENC)
	}
	need := 0.0
	r, err := plan.Size(inst.Name, w.EncodeFrames/engine, float64(inst.GPUs*card.NVENC), 1)
	if err != nil {
		return 0, fmt.Errorf("optimize: %w", err)
	}
	need = r.WithSpare
	aux := w.Audio.Value + w.Thumbnail.Value + w.Package.Value
	if card.NVDEC > 0 {
		dec := w.NVDECEngineFPS.Value
		if f, ok := plan.Measurements.GPUDecodeFPS[strings.ToUpper(card.Name)]; ok {
			dec = f.Value / float64(card.NVDEC)
		}
		r, err := plan.Size(inst.Name, w.DecodeFrames/dec, float64(inst.GPUs*card.NVDEC), 1)
		if err != nil {
			return 0, fmt.Errorf("optimize: %w", err)
		}
		need = math.Max(need, r.WithSpare)
	} else {
		aux += w.Decode.Value
	}
	r, err = plan.Size(inst.Name, aux, float64(inst.VCPUs), 1)
	if err != nil {
		return 0, fmt.Errorf("optimize: %w", err)
	}
	return math.Max(need, r.WithSpare), nil
}

// TODO: size on-demand and spot capacity per hour of the arrival curve
// (autoscaling) instead of one static fleet for the peak; the static
// fleet pays for the idle night hours, which the cost lines show.
//
// coverProblem is the programme: minimise the month's bill subject to
// the covers summing to at least 1, and the non-spot covers to at least
// 1 - maxSpot.
func coverProblem(cands []Candidate, maxSpot, hours float64) lp.Problem {
	n := len(cands)
	p := lp.Problem{Cost: make([]float64, n), Rows: [][]float64{make([]float64, n)},
		Min: []float64{1}}
	for j, c := range cands {
		p.Cost[j] = float64(c.Price.USD) * hours
		p.Rows[0][j] = c.Cover
	}
	if maxSpot < 1 {
		row := make([]float64, n)
		for j, c := range cands {
			if c.Option != catalog.Spot {
				row[j] = c.Cover
			}
		}
		p.Rows = append(p.Rows, row)
		p.Min = append(p.Min, 1-math.Max(maxSpot, 0))
	}
	return p
}

// recheck plans the rounded mix as an architecture and grows it where a
// queue still misses its objective: the covers add linearly, but
// splitting the load over pools costs a little more than that.
func (o *Optimized) recheck(base *scalability.CapacityPlan) error {
	for range 50 {
		arch, cards := o.architecture(base)
		cfg := *base.Config
		cfg.Architecture = arch
		opts := base.Options
		opts.Cards, opts.NoAlternatives = cards, true
		plan, err := scalability.PlanWith(&cfg, base.Measurements, opts)
		if err != nil {
			return fmt.Errorf("optimize: re-check: %w", err)
		}
		o.Architecture, o.Plan = arch, plan
		grown := false
		for _, r := range plan.Resources {
			if !isCompute(r.Kind) || r.WithSpare <= r.Declared {
				continue
			}
			i := o.growable(r.Pool)
			if i < 0 {
				return fmt.Errorf("optimize: re-check: %s misses its objective and "+
					"belongs to no pool of the mix", r.Name)
			}
			c := o.Candidates[i]
			add := math.Ceil(r.WithSpare - r.Declared)
			if r.Unit == "GPUs" {
				add = math.Ceil(add / float64(c.Instance.GPUs))
			}
			o.Candidates[i].Count += int(add)
			o.Grown += int(add)
			grown = true
		}
		if !grown {
			if o.Grown > 0 {
				o.note("the rounded mix needed %d more instances after re-planning", o.Grown)
			}
			return nil
		}
	}
	return fmt.Errorf("optimize: re-check: the mix still misses its objective after 50 rounds")
}

// shrink takes instances away, the dearest first, while the re-planned
// mix still meets the plan: rounding up and growing can overshoot.
func (o *Optimized) shrink(base *scalability.CapacityPlan) error {
	order := make([]int, len(o.Candidates))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmpUSD(o.Candidates[b].Price.USD, o.Candidates[a].Price.USD)
	})
	keep := func() (*scalability.CapacityPlan, targets.Architecture, bool, error) {
		arch, cards := o.architecture(base)
		cfg := *base.Config
		cfg.Architecture = arch
		opts := base.Options
		opts.Cards, opts.NoAlternatives = cards, true
		plan, err := scalability.PlanWith(&cfg, base.Measurements, opts)
		if err != nil {
			return nil, arch, false, fmt.Errorf("optimize: shrink: %w", err)
		}
		return plan, arch, meets(plan) && o.spotWithin(), nil
	}
	for _, i := range order {
		for o.Candidates[i].Count > 0 {
			o.Candidates[i].Count--
			plan, arch, ok, err := keep()
			if err != nil {
				return err
			}
			if !ok {
				o.Candidates[i].Count++
				break
			}
			o.Plan, o.Architecture = plan, arch
			o.Shrunk++
		}
	}
	if o.Shrunk > 0 {
		o.note("%d instances taken away after re-planning", o.Shrunk)
	}
	return nil
}

// spotWithin reports whether the counts keep the non-spot cover at the
// programme's bound.
func (o *Optimized) spotWithin() bool {
	if o.maxSpot >= 1 {
		return true
	}
	cover := 0.0
	for _, c := range o.Candidates {
		if c.Option != catalog.Spot {
			cover += c.Cover * float64(c.Count)
		}
	}
	return cover >= 1-math.Max(o.maxSpot, 0)-1e-9
}

// growable returns the candidate to grow for pool: the mix's cheapest
// non-spot option of that instance (so the spot share does not rise).
func (o *Optimized) growable(pool string) int {
	best := -1
	for i, c := range o.Candidates {
		if poolName(c.Instance) != pool || c.Option == catalog.Spot {
			continue
		}
		if best < 0 || c.Price.USD < o.Candidates[best].Price.USD {
			best = i
		}
	}
	return best
}

func isCompute(k scalability.Kind) bool {
	switch k {
	case scalability.KindCPUEncode, scalability.KindHostEncode, scalability.KindHostCPU,
		scalability.KindNVENC, scalability.KindNVDEC:
		return true
	}
	return false
}

func poolName(i *catalog.Instance) string { return "opt-" + i.Name }

// architecture turns the counts into pools; the database tier is what
// the base plan requires, storage and links stay as declared.
func (o *Optimized) architecture(base *scalability.CapacityPlan) (targets.Architecture,
	*scalability.Cards) {
	arch := base.Config.Architecture
	arch.GPUPools, arch.CPUPools = nil, nil
	cards := base.Options.Cards
	type agg struct{ total, spot int }
	counts := map[*catalog.Instance]*agg{}
	var order []*catalog.Instance
	for _, c := range o.Candidates {
		if c.Count == 0 {
			continue
		}
		a := counts[c.Instance]
		if a == nil {
			a = &agg{}
			counts[c.Instance] = a
			order = append(order, c.Instance)
		}
		a.total += c.Count
		if c.Option == catalog.Spot {
			a.spot += c.Count
		}
	}
	for _, inst := range order {
		a := counts[inst]
		spot := float64(a.spot) / float64(a.total)
		if inst.GPUs > 0 {
			arch.GPUPools = append(arch.GPUPools, targets.GPUPool{Name: poolName(inst),
				Card: inst.GPU, Count: a.total * inst.GPUs, Role: "encode", SpotFraction: spot})
			cards = cards.WithHost(inst.GPU, scalability.Host{Instance: inst.Name,
				GPUs: inst.GPUs, VCPUs: inst.VCPUs})
			continue
		}
		arch.CPUPools = append(arch.CPUPools, targets.CPUPool{Name: poolName(inst),
			Instance: inst.Name, VCPUsPerNode: inst.VCPUs, Nodes: a.total, Role: "encode",
			SpotFraction: spot})
	}
	for _, s := range []struct {
		name string
		db   *targets.DBCluster
	}{{"postgres", &arch.Database.Postgres}, {"redis", &arch.Database.Redis},
		{"neo4j", &arch.Database.Neo4j}} {
		if r := base.Resource(s.name); r != nil {
			s.db.Instances = int(r.WithSpare)
		}
	}
	return arch, cards
}

// priceMix prices the chosen counts option by option.
func priceMix(plan *scalability.CapacityPlan, chosen []Candidate, o Options) *Cost {
	b := newBill("optimized", plan, o)
	b.workInputs()
	for _, c := range chosen {
		comp := ComputeCPU
		if c.Instance.GPUs > 0 {
			comp = ComputeGPU
		}
		b.price("instance "+c.Instance.Name+" "+string(c.Option), c.Price, "USD/h")
		b.monthly(comp, fmt.Sprintf("%s: %d x %s %s (%s path)", poolName(c.Instance),
			c.Count, c.Instance.Name, c.Option, c.Path),
			units.USD(float64(c.Count)*b.hours)*c.Price.USD,
			poolUtilisation(plan, poolName(c.Instance)), true,
			fmt.Sprintf("%.0f alone would meet the plan", c.Needed))
	}
	b.storage()
	b.egress()
	arch := plan.Config.Architecture
	b.databases(func(s string) int {
		switch s {
		case "postgres":
			return arch.Database.Postgres.Instances
		case "redis":
			return arch.Database.Redis.Instances
		}
		return arch.Database.Neo4j.Instances
	})
	return b.finish()
}

// meets reports whether every compute resource of plan passes.
func meets(plan *scalability.CapacityPlan) bool {
	return !slices.ContainsFunc(plan.Resources, func(r *scalability.Resource) bool {
		return isCompute(r.Kind) && r.WithSpare > r.Declared
	})
}
