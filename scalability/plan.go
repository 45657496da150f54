package scalability

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability/queue"
	"github.com/scaletest/scaletest/scalability/usl"
)

// Options changes what Plan assumes. The zero value uses the embedded
// data files and their wait objective.
type Options struct {
	// Assumptions replaces DefaultAssumptions (see LoadAssumptions).
	Assumptions *Assumptions
	// Cards replaces DefaultCards (see LoadCards).
	Cards *Cards
	// WaitSLO, when its Probability is above 0, replaces the assumed
	// queue/max-wait-seconds and queue/wait-probability.
	WaitSLO queue.WaitSLO
	// AdjustWork, when set, may change the work figures before sizing;
	// sensitivity analyses scale them through it.
	AdjustWork func(*Work)
	// NoAlternatives skips CapacityPlan.Alternatives, for callers that
	// re-plan many times and do not read them.
	NoAlternatives bool
}

// CapacityPlan is the answer of Plan: every resource of the declared
// architecture sized for every period of the week.
type CapacityPlan struct {
	Config  *targets.Config
	Derived targets.Derived
	// Options are the options the plan was made with, defaults filled
	// in; Measurements the figures it was fed.
	Options      Options
	Measurements Measurements
	// Work is the per-media-second figures in use, with their sources.
	Work Work
	// WaitSLO is the queueing objective every queued resource meets.
	WaitSLO queue.WaitSLO
	// SlotVCPUs is the vCPUs of one CPU encode job.
	SlotVCPUs int
	// Periods are the 168 hours of the week and the burst.
	Periods   []Period
	Resources []*Resource
	Storage   StoragePlan
	Network   []DirectionPlan
	// Alternatives is what the whole workload needs on each way of
	// encoding: every NVENC card, x264 on CPUs, the hosts of cards
	// without NVENC.
	Alternatives []Alternative
	// USL holds a fit per resource with measured points.
	USL map[string]*usl.Fit
	// Notes holds warnings and choices: measurements passed over, a slot
	// raised to meet the RTF target, what was not measured.
	Notes []string
}

// Alternative is the fleet one way of encoding needs for all videos.
type Alternative struct {
	Name string
	// Card is the GPU card, empty for CPUs.
	Card string
	// Unit counts Required and WithSpare: "GPUs" or "vCPUs".
	Unit      string
	Required  float64
	WithSpare float64
	Source    record.Source
	Notes     []string
}

// Plan sizes cfg's architecture for cfg's workload with the measured
// figures in m (empty Measurements mean: assumptions only). See
// PlanWith.
func Plan(cfg *targets.Config, m Measurements) (*CapacityPlan, error) {
	return PlanWith(cfg, m, Options{})
}

// PlanWith is Plan with options. The configuration must be valid.
func PlanWith(cfg *targets.Config, m Measurements, o Options) (*CapacityPlan, error) {
	if cfg == nil {
		return nil, errors.New("plan: no configuration")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	p := &planner{cfg: cfg, m: m, a: o.Assumptions, cards: o.Cards, slo: o.WaitSLO}
	if p.a == nil {
		p.a = DefaultAssumptions()
	}
	if p.cards == nil {
		p.cards = DefaultCards()
	}
	if p.slo.Probability <= 0 {
		p.slo = queue.WaitSLO{
			MaxWait:     time.Duration(p.a.value("queue/max-wait-seconds") * float64(time.Second)),
			Probability: p.a.value("queue/wait-probability"),
		}
	}
	work, err := NewWork(cfg, m, p.a)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if o.AdjustWork != nil {
		o.AdjustWork(&work)
	}
	p.work = work
	p.periods = Periods(cfg)
	p.weekly = 7 * 24
	p.notes = append(p.notes, m.Notes...)

	res, err := p.compute()
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	res = append(res, p.databases()...)
	st, stRes := p.storage()
	res = append(res, stRes...)
	nw, links := p.network()
	res = append(res, links...)
	var alts []Alternative
	if !o.NoAlternatives {
		if alts, err = p.alternatives(); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
	}

	o.Assumptions, o.Cards, o.WaitSLO = p.a, p.cards, p.slo
	plan := &CapacityPlan{
		Config: cfg, Derived: cfg.Derive(), Options: o, Measurements: m,
		Work: work, WaitSLO: p.slo,
		SlotVCPUs: p.slot, Periods: p.periods, Resources: res, Storage: st,
		Network: nw, Alternatives: alts, USL: map[string]*usl.Fit{},
	}
	// TODO: apply a fit's efficiency X(n)/(n X(1)) to the servers of the
	// resource it describes; today fits are reported, not used in sizing.
	for _, name := range slices.Sorted(maps.Keys(m.USL)) {
		fit, err := usl.FitPoints(m.USL[name])
		if err != nil {
			p.notef("usl %s: %v", name, err)
			continue
		}
		plan.USL[name] = fit
	}
	p.notes = append(p.notes, work.Notes...)
	if work.CPUPath.Source == record.Config {
		p.notef("CPU seconds per media second not measured (no %s%s/<input> record): "+
			"modeled from assumptions", PrefixCPU, work.Profile)
	}
	if work.OutputBytes.Source == record.Config {
		p.notef("output bytes not measured (no %s%s/<input> record): modeled from "+
			"assumed bitrates", PrefixBytes, work.Profile)
	}
	plan.Notes = p.notes
	return plan, nil
}

// alternatives sizes the whole workload on each way of encoding.
func (p *planner) alternatives() ([]Alternative, error) {
	w := p.work
	slot := float64(p.slot)
	var out []Alternative
	size := func(secPerMedia, perUnit float64) (*Resource, error) {
		r := &Resource{Name: "alternative", Share: 1, secPerMedia: secPerMedia,
			ServersPerUnit: perUnit}
		return r, p.size(r)
	}
	prof, _ := p.cfg.Processing.Profile(p.cfg.Processing.DefaultProfile)

	cpu, err := size(w.CPUPath.Value/slot, 1/slot)
	if err != nil {
		return nil, err
	}
	out = append(out, Alternative{Name: "x264 on CPUs", Unit: "vCPUs",
		Required: cpu.Required, WithSpare: cpu.WithSpare, Source: sourceOf(w.CPUPath),
		Notes: []string{fmt.Sprintf("%d-vCPU slots, %.3f vCPU-s per media second (%s)",
			p.slot, w.CPUPath.Value, w.CPUPath.From)}})

	for _, card := range p.cards.All() {
		capable := card.NVENC > 0
		for _, r := range prof.Ladder {
			capable = capable && card.CanEncode(r.Codec)
		}
		if !capable {
			if card.Host.VCPUs == 0 {
				continue
			}
			gpus := math.Ceil(cpu.WithSpare/float64(card.Host.VCPUs)) * float64(card.Host.GPUs)
			out = append(out, Alternative{Name: card.Name + " hosts' CPUs (no NVENC)",
				Card: card.Name, Unit: "GPUs", Required: gpus, WithSpare: gpus,
				Source: sourceOf(w.CPUPath), Notes: []string{fmt.Sprintf(
					"x264 on %s hosts (%d vCPUs per %d GPUs); the GPUs come along unused",
					card.Host.Instance, card.Host.VCPUs, card.Host.GPUs)}})
			continue
		}
		enc, err := size(w.EncodeFrames/w.NVENCEngineFPS.Value, float64(card.NVENC))
		if err != nil {
			return nil, err
		}
		a := Alternative{Name: card.Name + " NVENC", Card: card.Name, Unit: "GPUs",
			Required: enc.Required, WithSpare: enc.WithSpare,
			Source: sourceOf(w.NVENCEngineFPS)}
		if card.NVDEC > 0 {
			dec, err := size(w.DecodeFrames/w.NVDECEngineFPS.Value, float64(card.NVDEC))
			if err != nil {
				return nil, err
			}
			if dec.WithSpare > a.WithSpare {
				a.Required, a.WithSpare = dec.Required, dec.WithSpare
				a.Notes = append(a.Notes, "NVDEC binds before NVENC")
			}
		}
		if card.Host.VCPUs > 0 {
			aux := w.Audio.Value + w.Thumbnail.Value + w.Package.Value
			h, err := size(aux, float64(card.Host.VCPUs))
			if err != nil {
				return nil, err
			}
			if g := h.WithSpare * float64(card.Host.GPUs); g > a.WithSpare {
				a.Required, a.WithSpare = h.Required*float64(card.Host.GPUs), g
				a.Notes = append(a.Notes, "host CPUs bind before NVENC")
			}
		}
		a.Notes = append(a.Notes, fmt.Sprintf("%d NVENC, %d NVDEC per card", card.NVENC,
			card.NVDEC))
		out = append(out, a)
	}
	return out, nil
}

// Size sizes a hypothetical queued resource in every period of the plan,
// with its wait objective and N+k margin: it takes share (0 to 1) of all
// videos, one server spends secPerMediaSecond per second of media, and
// one unit holds serversPerUnit servers. The cost optimizer sizes its
// candidate instance types with it.
func (c *CapacityPlan) Size(name string, secPerMediaSecond, serversPerUnit,
	share float64) (*Resource, error) {
	if !(secPerMediaSecond > 0) || !(serversPerUnit > 0) || share < 0 || share > 1 {
		return nil, fmt.Errorf("size %s: want positive service and servers, share "+
			"in [0, 1]; got %v, %v, %v", name, secPerMediaSecond, serversPerUnit, share)
	}
	p := &planner{cfg: c.Config, work: c.Work, periods: c.Periods, weekly: 7 * 24,
		slo: c.WaitSLO}
	r := &Resource{Name: name, Share: share, secPerMedia: secPerMediaSecond,
		ServersPerUnit: serversPerUnit, Source: record.Config}
	if err := p.size(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Resource returns the resource called name, or nil.
func (c *CapacityPlan) Resource(name string) *Resource {
	i := slices.IndexFunc(c.Resources, func(r *Resource) bool { return r.Name == name })
	if i < 0 {
		return nil
	}
	return c.Resources[i]
}

// Fails returns the resources whose verdict is fail.
func (c *CapacityPlan) Fails() []*Resource {
	var out []*Resource
	for _, r := range c.Resources {
		if r.Verdict == record.Fail {
			out = append(out, r)
		}
	}
	return out
}
