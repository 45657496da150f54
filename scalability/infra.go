package scalability

import (
	"fmt"
	"math"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

// stores are the databases the architecture declares, in order.
var stores = []string{"postgres", "redis", "neo4j"}

func dbCluster(d targets.DatabaseTier, store string) targets.DBCluster {
	switch store {
	case "postgres":
		return d.Postgres
	case "redis":
		return d.Redis
	}
	return d.Neo4j
}

// TODO: check PostgreSQL's max_connections against the jobs in flight in
// the busiest period; only throughput is sized here.
//
// databases sizes each store: operations per second in every period over
// what one instance serves within its latency SLO.
func (p *planner) databases() []*Resource {
	var out []*Resource
	for _, s := range stores {
		// Capacity in videos per second per instance: measured for the
		// store's whole mix, else ops/s (measured or assumed) over the
		// assumed operations per video.
		perVideo := p.a.figure("db/" + s + "/ops-per-video")
		ops := p.a.figure("db/" + s + "/ops-per-second")
		if f, ok := p.m.DBOpsPerSecond[s]; ok {
			ops = f
		}
		capacity := Figure{Value: ops.Value / perVideo.Value, Source: sourceOf(ops),
			From: fmt.Sprintf("%.0f ops/s per instance at SLO (%s) over %.0f ops per "+
				"video (%s)", ops.Value, ops.From, perVideo.Value, perVideo.From)}
		if f, ok := p.m.DBVideosPerSecond[s]; ok {
			capacity = f
		}
		r := &Resource{Name: s, Kind: KindDatabase, Unit: "instances", Server: "instance",
			ServersPerUnit: 1, Share: 1,
			Declared: float64(dbCluster(p.cfg.Architecture.Database, s).Instances),
			Source:   sourceOf(capacity), integral: true}
		r.note(fmt.Sprintf("%.4g videos/s per instance within the latency SLO (%s)",
			capacity.Value, capacity.From))
		r.Loads = make([]PeriodLoad, len(p.periods))
		for i, per := range p.periods {
			load := per.VideosPerSecond / capacity.Value
			r.Loads[i] = PeriodLoad{Offered: load, Units: math.Ceil(load - 1e-9)}
		}
		r.finish(p.cfg.Targets.Cluster.SpareFraction, p.weekly)
		out = append(out, r)
	}
	return out
}

// StoragePlan is what the object store must take.
type StoragePlan struct {
	// SourceBytesPerVideo and OutputBytesPerVideo split BytesPerVideo,
	// the bytes one mean video leaves in the store.
	SourceBytesPerVideo float64
	OutputBytesPerVideo float64
	BytesPerVideo       float64
	// TBPerDay is new storage per day, terabytes (10^12 bytes).
	TBPerDay float64
	// PeakHourWriteGbps and BurstWriteGbps are the write bandwidth in the
	// busiest hour and in the burst, Gbit/s.
	PeakHourWriteGbps float64
	BurstWriteGbps    float64
	// RetainedPB is what retention_days of new storage holds, petabytes.
	RetainedPB float64
	Source     record.Source
	Notes      []string
}

// storage sizes the object store; it returns the plan and the write and
// capacity resources.
func (p *planner) storage() (StoragePlan, []*Resource) {
	w, d := p.work, p.cfg.Derive()
	s := StoragePlan{
		SourceBytesPerVideo: w.PerVideo(w.SourceBytes.Value),
		OutputBytesPerVideo: w.PerVideo(w.OutputBytes.Value),
		Source:              sourceOf(w.OutputBytes),
	}
	s.BytesPerVideo = s.SourceBytesPerVideo + s.OutputBytesPerVideo
	s.TBPerDay = d.VideosPerDay * s.BytesPerVideo / 1e12
	s.RetainedPB = s.TBPerDay * p.cfg.Workload.RetentionDays / 1e3
	s.Notes = append(s.Notes, fmt.Sprintf("outputs %.0f B per media second (%s); "+
		"sources retained at %.0f B per media second (%s); mean video %.1f s",
		w.OutputBytes.Value, w.OutputBytes.From, w.SourceBytes.Value, w.SourceBytes.From,
		w.MeanLengthSeconds))

	write := &Resource{Name: "storage writes", Kind: KindStorageWrite, Unit: "Gbit/s",
		Share: 1, Declared: p.cfg.Architecture.Storage.WriteGbps, Source: s.Source}
	write.note("sources and outputs written as videos arrive (fluid approximation)")
	write.Loads = make([]PeriodLoad, len(p.periods))
	for i, per := range p.periods {
		g := per.VideosPerSecond * s.BytesPerVideo * 8 / 1e9
		write.Loads[i] = PeriodLoad{Offered: g, Units: g}
		if per.Burst {
			s.BurstWriteGbps = g
		} else {
			s.PeakHourWriteGbps = math.Max(s.PeakHourWriteGbps, g)
		}
	}
	write.finish(0, p.weekly)

	capacity := &Resource{Name: "storage capacity", Kind: KindStorageCapacity, Unit: "PB",
		Share: 1, Declared: p.cfg.Architecture.Storage.CapacityPB, Source: s.Source,
		Loads: []PeriodLoad{{Offered: s.RetainedPB, Units: s.RetainedPB}}}
	capacity.note(fmt.Sprintf("%.1f TB/day kept %g days", s.TBPerDay,
		p.cfg.Workload.RetentionDays))
	capacity.finish(0, 0)
	return s, []*Resource{write, capacity}
}

// DirectionPlan is the traffic of one direction of the network.
type DirectionPlan struct {
	// Direction is "in" (sources arriving) or "out" (YouTube uploads and
	// delivery).
	Direction string
	// BytesPerVideo is what one mean video moves this way.
	BytesPerVideo float64
	// PeakHourGbps is the busiest hour's mean rate; BusiestMinuteGbps the
	// 99.9th percentile minute of the burst (or of the peak hour when
	// there is no burst), both Gbit/s.
	PeakHourGbps      float64
	BusiestMinuteGbps float64
	Source            record.Source
	Notes             []string
}

// network sizes both directions and the declared links.
func (p *planner) network() ([]DirectionPlan, []*Resource) {
	w := p.work
	uploads := p.a.figure("network/youtube-uploads-per-video")
	views := p.a.figure("network/delivery-views-per-video")
	z := p.a.value("network/busiest-minute-z")
	dirs := []DirectionPlan{
		{Direction: "in", BytesPerVideo: w.PerVideo(w.SourceBytes.Value),
			Source: record.Config},
		{Direction: "out", BytesPerVideo: w.PerVideo(w.TopRungBytes.Value) *
			(uploads.Value + views.Value), Source: sourceOf(w.TopRungBytes)},
	}
	dirs[0].Notes = append(dirs[0].Notes, "sources at "+w.SourceBytes.From)
	dirs[1].Notes = append(dirs[1].Notes, fmt.Sprintf("top rung %.0f B per media second "+
		"(%s) x (%g YouTube upload + %g delivery views)", w.TopRungBytes.Value,
		w.TopRungBytes.From, uploads.Value, views.Value))

	peak, minute := 0.0, 0.0
	for _, per := range p.periods {
		if !per.Burst {
			peak = math.Max(peak, per.VideosPerSecond)
		}
		minute = math.Max(minute, per.VideosPerSecond)
	}
	var links []*Resource
	for i := range dirs {
		d := &dirs[i]
		d.PeakHourGbps = peak * d.BytesPerVideo * 8 / 1e9
		// Bytes in a minute are compound Poisson: mean n E[B], variance
		// n E[B^2] with E[B^2] = E[B]^2 (1 + scv).
		n := minute * 60
		eb2 := d.BytesPerVideo * d.BytesPerVideo * (1 + w.LengthSCV)
		bytes := n*d.BytesPerVideo + z*math.Sqrt(n*eb2)
		d.BusiestMinuteGbps = bytes * 8 / 60 / 1e9
		links = append(links, p.links(*d)...)
	}
	return dirs, links
}

// links splits a direction's traffic over its declared links in
// proportion to their rates and judges each for the peak hour and the
// busiest minute.
func (p *planner) links(d DirectionPlan) []*Resource {
	total := 0.0
	for _, l := range p.cfg.Architecture.Network.Links {
		if l.Direction == d.Direction {
			total += l.Gbps
		}
	}
	var out []*Resource
	for _, l := range p.cfg.Architecture.Network.Links {
		if l.Direction != d.Direction {
			continue
		}
		share := l.Gbps / total
		for _, c := range []struct {
			what      string
			need, cap float64
		}{
			{"peak hour", d.PeakHourGbps * share, l.Gbps},
			{"busiest minute", d.BusiestMinuteGbps * share, l.BurstGbps},
		} {
			r := &Resource{Name: fmt.Sprintf("%s link (%s)", l.Name, c.what), Kind: KindLink,
				Unit: "Gbit/s", Share: share, Declared: c.cap, Source: d.Source,
				Loads: []PeriodLoad{{Offered: c.need, Units: c.need}}}
			r.note(fmt.Sprintf("%.0f%% of the %s traffic", share*100, d.Direction))
			r.finish(0, 0)
			out = append(out, r)
		}
	}
	if total == 0 {
		r := &Resource{Name: "no " + d.Direction + " link declared", Kind: KindLink,
			Unit: "Gbit/s", Share: 1, Source: d.Source,
			Loads: []PeriodLoad{{Offered: d.PeakHourGbps, Units: d.PeakHourGbps}}}
		r.finish(0, 0)
		out = append(out, r)
	}
	return out
}
