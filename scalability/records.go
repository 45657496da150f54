package scalability

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
)

// Records returns the plan's figures as records: per resource the
// requirement with its N+k margin against what is declared (targets
// cluster, storage and network), the storage and network figures against
// the Key Targets, the alternatives and any USL fits as info. Figures
// that are not finite are left out with a note on the record that would
// have carried them.
func Records(c *CapacityPlan) []record.Record {
	var out []record.Record
	add := func(r record.Record, notes ...string) {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			return
		}
		r.Note = strings.Join(notes, "; ")
		out = append(out, r)
	}
	t := c.Config.Targets

	for _, r := range c.Resources {
		target, name := "cluster", "cluster/"+slug(r.Name)+"/required"
		switch r.Kind {
		case KindStorageWrite:
			target, name = "storage", "storage/write-gbps"
		case KindStorageCapacity:
			target, name = "storage", "storage/retained-pb"
		case KindLink:
			target, name = "network", "network/link/"+slug(r.Name)+"-gbps"
		case KindUnmodeled:
			add(record.Record{Target: "cluster", Name: "cluster/" + slug(r.Name) + "/declared",
				Value: r.Declared, Unit: r.Unit, Verdict: record.Info, Source: r.Source},
				r.Notes...)
			continue
		}
		add(record.Judged(target, name, r.WithSpare, r.Unit, record.Lower, r.Declared,
			r.Source), append([]string{c.describe(r)}, r.Notes...)...)
	}

	declared := 0
	for _, g := range c.Config.Architecture.GPUPools {
		declared += g.Count
	}
	add(record.Record{Target: "cluster", Name: "cluster/declared-gpus",
		Value: float64(declared), Unit: "GPUs", Verdict: record.Info, Source: record.Config},
		fmt.Sprintf("targets.cluster.min_gpus is %d; whether the GPUs do the work is "+
			"judged by the cluster/*/required records", t.Cluster.MinGPUs))
	for _, a := range c.Alternatives {
		add(record.Record{Target: "cluster", Name: "cluster/alternative/" + slug(a.Name),
			Value: a.WithSpare, Unit: a.Unit, Verdict: record.Info, Source: a.Source},
			append([]string{fmt.Sprintf("all videos, with N+k; %.0f before spare",
				a.Required)}, a.Notes...)...)
	}

	s := c.Storage
	add(record.Judged("storage", "storage/tb-per-day", s.TBPerDay, "TB/day", record.Lower,
		t.Storage.MaxTBPerDay, s.Source), append([]string{fmt.Sprintf(
		"%.0f MB per video: %.0f MB source retained + %.0f MB outputs",
		s.BytesPerVideo/1e6, s.SourceBytesPerVideo/1e6, s.OutputBytesPerVideo/1e6)},
		s.Notes...)...)
	add(record.Record{Target: "storage", Name: "storage/bytes-per-video",
		Value: s.BytesPerVideo, Unit: "B", Verdict: record.Info, Source: s.Source}, s.Notes...)

	for _, d := range c.Network {
		add(record.Judged("network", "network/"+d.Direction+"/peak-hour-gbps",
			d.PeakHourGbps, "Gbit/s", record.Lower, t.Network.SustainedGbps, d.Source),
			append([]string{fmt.Sprintf("%.0f MB per video at the busiest hour's rate",
				d.BytesPerVideo/1e6)}, d.Notes...)...)
		add(record.Judged("network", "network/"+d.Direction+"/busiest-minute-gbps",
			d.BusiestMinuteGbps, "Gbit/s", record.Lower, t.Network.BurstGbps, d.Source),
			append([]string{"99.9th percentile minute of the burst (compound Poisson)"},
				d.Notes...)...)
	}

	for _, name := range slices.Sorted(maps.Keys(c.USL)) {
		f := c.USL[name]
		note := fmt.Sprintf("USL fit of %d points: lambda %.4g, sigma %.4g, kappa %.4g, "+
			"R2 %.4f", f.Points, f.Lambda, f.Sigma, f.Kappa, f.R2)
		for _, v := range []struct {
			what, unit string
			v          float64
		}{
			{"sigma", "1", f.Sigma}, {"kappa", "1", f.Kappa}, {"lambda", "1/s", f.Lambda},
			{"peak-concurrency", "1", f.PeakConcurrency()},
			{"peak-throughput", "1/s", f.PeakThroughput()}, {"r2", "1", f.R2},
		} {
			add(record.Record{Name: "usl-fit/" + name + "/" + v.what, Value: v.v,
				Unit: v.unit, Verdict: record.Info, Source: record.ModeledFromMeasured}, note)
		}
	}
	return out
}

// describe says in one line how the requirement of r came about.
func (c *CapacityPlan) describe(r *Resource) string {
	s := fmt.Sprintf("needs %s %s + %s spare (N+k, %.0f%%) against %s declared",
		num(r.Required), r.Unit, num(r.Spare), c.Config.Targets.Cluster.SpareFraction*100,
		num(r.Declared))
	if len(r.Loads) == len(c.Periods) {
		l := r.Loads[r.Busiest]
		s += fmt.Sprintf("; busiest period %s", c.Periods[r.Busiest].Label)
		if r.Server != "" {
			s += fmt.Sprintf(" offers %.4g erlangs to %d servers (%s, %.1f s per video, "+
				"%.1f%% of videos), P(wait > %v) <= %g", l.Offered, l.Servers, r.Server,
				r.ServiceSeconds, r.Share*100, c.WaitSLO.MaxWait, c.WaitSLO.Probability)
		}
	}
	if r.MeanUtilisation > 0 {
		s += fmt.Sprintf("; mean utilisation of what is declared %.1f%%", r.MeanUtilisation*100)
	}
	return s
}

// slug turns a resource name into a record name element:
// "ingress link (peak hour)" -> "ingress-link-peak-hour".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
