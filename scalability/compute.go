package scalability

import (
	"fmt"
	"math"
	"slices"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability/queue"
)

// planner holds what every part of the plan reads.
type planner struct {
	cfg     *targets.Config
	m       Measurements
	a       *Assumptions
	cards   *Cards
	slo     queue.WaitSLO
	work    Work
	periods []Period
	weekly  int // periods before the burst
	slot    int // vCPUs of one CPU encode job
	notes   []string
}

func (p *planner) notef(format string, args ...any) {
	p.notes = append(p.notes, fmt.Sprintf(format, args...))
}

// size runs the wait-objective search for r in every period.
func (p *planner) size(r *Resource) error {
	r.ServiceSeconds = p.work.MeanLengthSeconds * r.secPerMedia
	r.integral = true
	r.Loads = make([]PeriodLoad, len(p.periods))
	for i, per := range p.periods {
		q := queue.GGc{
			MMC: queue.MMC{ArrivalsPerSecond: per.VideosPerSecond * r.Share,
				ServiceSeconds: r.ServiceSeconds},
			ArrivalSCV: 1, ServiceSCV: p.work.LengthSCV,
		}
		c, err := queue.ServersFor(q, p.slo)
		if err != nil {
			return fmt.Errorf("size %s in %s: %w", r.Name, per.Label, err)
		}
		r.Loads[i] = PeriodLoad{Offered: q.Load(), Servers: c,
			Units: math.Ceil(float64(c)/r.ServersPerUnit - 1e-9)}
	}
	r.finish(p.cfg.Targets.Cluster.SpareFraction, p.weekly)
	return nil
}

// slotVCPUs is the assumed vCPUs of one CPU encode job, doubled until
// the job's real-time factor meets targets.speed.max_rtf.
func (p *planner) slotVCPUs() int {
	slot := max(int(p.a.value("queue/slot-vcpus")), 1)
	for p.work.CPUPath.Value/float64(slot) > p.cfg.Targets.Speed.MaxRTF && slot < 1024 {
		slot *= 2
	}
	return slot
}

// carrier is a resource that takes a share of the encoding, with its
// capacity in media seconds per second and the resources that follow
// its share.
type carrier struct {
	res     *Resource
	weight  float64
	follows []*Resource
}

// compute builds the resources of the GPU and CPU pools: who encodes,
// decodes and packages, and where encoding lands when a card cannot.
func (p *planner) compute() ([]*Resource, error) {
	arch := p.cfg.Architecture
	prof, _ := p.cfg.Processing.Profile(p.cfg.Processing.DefaultProfile)
	w := p.work
	p.slot = p.slotVCPUs()
	slot := float64(p.slot)
	if int(p.a.value("queue/slot-vcpus")) != p.slot {
		p.notef("CPU encode jobs get %d vCPUs so that one job's RTF (%.2f) meets max_rtf %.2f",
			p.slot, w.CPUPath.Value/slot, p.cfg.Targets.Speed.MaxRTF)
	}

	hasPackage := slices.ContainsFunc(arch.CPUPools, func(c targets.CPUPool) bool {
		return c.Role == "package"
	})
	hasDecode := slices.ContainsFunc(arch.GPUPools, func(g targets.GPUPool) bool {
		return g.Role == "decode"
	})
	pkgStages := w.Thumbnail.Value + w.Package.Value
	cpuJob := w.CPUPath.Value
	if hasPackage {
		cpuJob -= pkgStages
	}
	if hasDecode {
		cpuJob -= w.Decode.Value
	}
	hostAux := w.Audio.Value
	if !hasPackage {
		hostAux += pkgStages
	}
	codecs := map[string]bool{}
	for _, r := range prof.Ladder {
		codecs[r.Codec] = true
	}

	var out []*Resource
	var carriers []carrier
	for _, g := range arch.GPUPools {
		card, known := p.cards.Get(g.Card)
		switch {
		case g.Role == "ai":
			out = append(out, unmodeled(g.Name, g.Card, "GPUs", float64(g.Count),
				"role ai: no AI workload is modeled; this pool takes no video work"))
			continue
		case !known:
			r := &Resource{Name: g.Name, Kind: KindNVENC, Pool: g.Name, Card: g.Card,
				Unit: "GPUs", Declared: float64(g.Count), Verdict: record.Fail,
				Source: record.Config}
			r.note(fmt.Sprintf("card %q is not in %s: its video engines are unknown; "+
				"add it to the card table", g.Card, CardsFile))
			out = append(out, r)
			continue
		case g.Role == "decode":
			continue // sized with the decode pools below
		}

		// Role encode.
		capable := card.NVENC > 0
		for c := range codecs {
			capable = capable && card.CanEncode(c)
		}
		engineFPS := w.NVENCEngineFPS
		if f, ok := p.m.GPUEncodeFPS[upper(card.Name)]; ok && card.NVENC > 0 {
			engineFPS = Figure{Value: f.Value / float64(card.NVENC), Source: f.Source,
				From: f.From + fmt.Sprintf(" / %d engines", card.NVENC)}
		}
		nv := &Resource{Name: g.Name + " NVENC", Kind: KindNVENC, Pool: g.Name,
			Card: card.Name, Unit: "GPUs", Server: "NVENC engine",
			ServersPerUnit: float64(card.NVENC), Declared: float64(g.Count),
			secPerMedia: w.EncodeFrames / engineFPS.Value, Source: sourceOf(engineFPS)}
		nv.note(fmt.Sprintf("NVENC engine speed %.0f frames/s (%s)", engineFPS.Value,
			engineFPS.From))
		hosts := 0.0
		if card.Host.GPUs > 0 {
			hosts = math.Ceil(float64(g.Count) / float64(card.Host.GPUs))
		}

		if capable {
			c := carrier{res: nv, weight: float64(g.Count*card.NVENC) / nv.secPerMedia}
			out = append(out, nv)
			if !hasDecode && card.NVDEC > 0 {
				decFPS := w.NVDECEngineFPS
				if f, ok := p.m.GPUDecodeFPS[upper(card.Name)]; ok {
					decFPS = Figure{Value: f.Value / float64(card.NVDEC), Source: f.Source,
						From: f.From + fmt.Sprintf(" / %d engines", card.NVDEC)}
				}
				dec := &Resource{Name: g.Name + " NVDEC", Kind: KindNVDEC, Pool: g.Name,
					Card: card.Name, Unit: "GPUs", Server: "NVDEC engine",
					ServersPerUnit: float64(card.NVDEC), Declared: float64(g.Count),
					secPerMedia: w.DecodeFrames / decFPS.Value, Source: sourceOf(decFPS)}
				out = append(out, dec)
				c.follows = append(c.follows, dec)
			}
			if card.Host.VCPUs > 0 {
				aux := hostAux
				if hasDecode || card.NVDEC == 0 {
					aux += w.Decode.Value
				}
				h := &Resource{Name: g.Name + " host CPUs", Kind: KindHostCPU, Pool: g.Name,
					Card: card.Name, Unit: "hosts", Server: "vCPU",
					ServersPerUnit: float64(card.Host.VCPUs), Declared: hosts,
					secPerMedia: aux, Source: record.Config}
				h.note(fmt.Sprintf("audio, thumbnail and packaging on the %s hosts "+
					"(%d vCPUs per %d GPUs; %s)", card.Host.Instance, card.Host.VCPUs,
					card.Host.GPUs, card.Host.Source))
				out = append(out, h)
				c.follows = append(c.follows, h)
			}
			carriers = append(carriers, c)
			continue
		}

		// The card cannot encode this ladder: say so, and move the work to
		// the hosts' CPUs.
		nv.Kind, nv.Unit, nv.ServersPerUnit = KindNoEncoder, "NVENC engines", 1
		nv.Declared = float64(g.Count * card.NVENC)
		why := fmt.Sprintf("%s has no NVENC", card.Name)
		if card.NVENC > 0 {
			why = fmt.Sprintf("%s's NVENC does not encode all of %v", card.Name, keys(codecs))
		}
		nv.note(fmt.Sprintf("%s (%s: %s): this pool cannot encode; the NVENC engines "+
			"its share of videos would need are shown against the %d it has", why,
			CardsFile, card.Source, g.Count*card.NVENC))
		out = append(out, nv)
		if card.Host.VCPUs == 0 {
			nv.note("no host shape known for " + card.Name + ": nothing encodes its share")
			carriers = append(carriers, carrier{res: nv})
			continue
		}
		perHost := math.Floor(float64(card.Host.VCPUs) / slot)
		he := &Resource{Name: g.Name + " host CPUs", Kind: KindHostEncode, Pool: g.Name,
			Card: card.Name, Unit: "hosts", Server: fmt.Sprintf("%d-vCPU x264 slot", p.slot),
			ServersPerUnit: perHost, Declared: hosts, secPerMedia: cpuJob / slot,
			Source: sourceOf(w.CPUPath)}
		he.note(fmt.Sprintf("encoding lands here: x264 on the %s hosts' CPUs "+
			"(%d vCPUs per %d %s; %s); CPU path %.3f vCPU-s per media second (%s)",
			card.Host.Instance, card.Host.VCPUs, card.Host.GPUs, card.Name,
			card.Host.Source, w.CPUPath.Value, w.CPUPath.From))
		if card.NVDEC > 0 {
			// TODO: put decoding on the cards' NVDEC and take it off the
			// host CPUs; the model keeps the whole CPU path on the hosts.
			he.note(fmt.Sprintf("the cards' %d NVDEC each could take decoding "+
				"(%.3f vCPU-s per media second) off the hosts; not modeled", card.NVDEC,
				w.Decode.Value))
		}
		out = append(out, he)
		carriers = append(carriers, carrier{res: he,
			weight: hosts * perHost / he.secPerMedia, follows: []*Resource{nv}})
	}

	for _, c := range p.cfg.Architecture.CPUPools {
		switch c.Role {
		case "encode":
			perNode := math.Floor(float64(c.VCPUsPerNode) / slot)
			r := &Resource{Name: c.Name, Kind: KindCPUEncode, Pool: c.Name, Unit: "nodes",
				Server: fmt.Sprintf("%d-vCPU x264 slot", p.slot), ServersPerUnit: perNode,
				Declared: float64(c.Nodes), secPerMedia: cpuJob / slot,
				Source: sourceOf(w.CPUPath)}
			r.note(fmt.Sprintf("CPU path %.3f vCPU-s per media second (%s)",
				w.CPUPath.Value, w.CPUPath.From))
			out = append(out, r)
			if perNode < 1 {
				r.note(fmt.Sprintf("%d vCPUs per node hold no %d-vCPU slot",
					c.VCPUsPerNode, p.slot))
				carriers = append(carriers, carrier{res: r})
				continue
			}
			carriers = append(carriers, carrier{res: r,
				weight: float64(c.Nodes) * perNode / r.secPerMedia})
		case "general":
			out = append(out, unmodeled(c.Name, "", "nodes", float64(c.Nodes),
				"role general: the model puts no video work here"))
		}
	}
	if len(carriers) == 0 {
		r := &Resource{Name: "encode (no pool declared)", Kind: KindCPUEncode,
			Unit: "vCPUs", Server: fmt.Sprintf("%d-vCPU x264 slot", p.slot),
			ServersPerUnit: 1 / slot, secPerMedia: cpuJob / slot,
			Source: sourceOf(w.CPUPath)}
		r.note("no pool has role encode: the vCPUs shown are what x264 would need")
		out = append(out, r)
		carriers = append(carriers, carrier{res: r, weight: 1})
	}
	shareOut(carriers)

	if err := p.sharedPools(&out, hasPackage, hasDecode, pkgStages); err != nil {
		return nil, err
	}
	for _, r := range out {
		if r.Kind == KindUnmodeled || r.secPerMedia == 0 {
			continue
		}
		if err := p.size(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// shareOut gives each carrier (and what follows it) its share of the
// videos in proportion to its capacity; with no capacity anywhere, the
// shares are equal.
func shareOut(cs []carrier) {
	total := 0.0
	for _, c := range cs {
		total += c.weight
	}
	for _, c := range cs {
		s := 1 / float64(len(cs))
		if total > 0 {
			s = c.weight / total
		}
		c.res.Share = s
		for _, f := range c.follows {
			f.Share = s
		}
	}
}

// sharedPools adds the package pools and the decode pools, which serve
// every video whoever encodes it.
func (p *planner) sharedPools(out *[]*Resource, hasPackage, hasDecode bool,
	pkgStages float64) error {
	w := p.work
	var pkg, dec []carrier
	if hasPackage {
		for _, c := range p.cfg.Architecture.CPUPools {
			if c.Role != "package" {
				continue
			}
			r := &Resource{Name: c.Name, Kind: KindCPUPackage, Pool: c.Name, Unit: "nodes",
				Server: "vCPU", ServersPerUnit: float64(c.VCPUsPerNode),
				Declared: float64(c.Nodes), secPerMedia: pkgStages,
				Source: sourceOf(w.Thumbnail, w.Package)}
			r.note(fmt.Sprintf("thumbnail and packaging, %.3f vCPU-s per media second "+
				"(assumptions cpu/thumbnail, cpu/package)", pkgStages))
			*out = append(*out, r)
			pkg = append(pkg, carrier{res: r, weight: float64(c.Nodes * c.VCPUsPerNode)})
		}
	}
	if hasDecode {
		for _, g := range p.cfg.Architecture.GPUPools {
			if g.Role != "decode" {
				continue
			}
			card, _ := p.cards.Get(g.Card)
			fps := w.NVDECEngineFPS
			if f, ok := p.m.GPUDecodeFPS[upper(g.Card)]; ok && card.NVDEC > 0 {
				fps = Figure{Value: f.Value / float64(card.NVDEC), Source: f.Source, From: f.From}
			}
			r := &Resource{Name: g.Name + " NVDEC", Kind: KindNVDEC, Pool: g.Name,
				Card: g.Card, Unit: "GPUs", Server: "NVDEC engine",
				ServersPerUnit: float64(card.NVDEC), Declared: float64(g.Count),
				secPerMedia: w.DecodeFrames / fps.Value, Source: sourceOf(fps)}
			if card.NVDEC == 0 {
				r.ServersPerUnit, r.Declared = 1, 0
				r.note(g.Card + " has no NVDEC (or is unknown): it cannot decode")
			}
			*out = append(*out, r)
			dec = append(dec, carrier{res: r, weight: float64(g.Count * card.NVDEC)})
		}
	}
	shareOut(pkg)
	shareOut(dec)
	return nil
}

func unmodeled(name, card, unit string, declared float64, why string) *Resource {
	r := &Resource{Name: name, Kind: KindUnmodeled, Pool: name, Card: card, Unit: unit,
		Declared: declared, Verdict: record.Info, Source: record.Config}
	r.note(why)
	return r
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
