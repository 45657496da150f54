package scalability

import (
	"math"

	"github.com/scaletest/scaletest/harness/record"
)

// Kind is what a resource does in the model.
type Kind string

// Kinds of resources.
const (
	// KindCPUEncode is a CPU pool running the profile with x264.
	KindCPUEncode Kind = "cpu-encode"
	// KindHostEncode is the host CPUs of a GPU pool whose cards cannot
	// encode: where its encoding really lands.
	KindHostEncode Kind = "host-cpu-encode"
	// KindHostCPU is the host CPUs of an NVENC pool, running the stages
	// besides the encode (audio, thumbnail, packaging).
	KindHostCPU Kind = "host-cpu"
	// KindNVENC and KindNVDEC are a GPU pool's encoder and decoder
	// engines.
	KindNVENC Kind = "nvenc"
	KindNVDEC Kind = "nvdec"
	// KindNoEncoder is a GPU pool with role encode whose cards cannot
	// encode the ladder: the NVENC engines its share of videos would need
	// against the none it has. It always fails; the work is on the
	// pool's host CPUs (KindHostEncode).
	KindNoEncoder Kind = "no-encoder"
	// KindCPUPackage is a CPU pool making thumbnails and packages.
	KindCPUPackage Kind = "cpu-package"
	// KindUnmodeled is a pool with a role the model has no work for.
	KindUnmodeled Kind = "unmodeled"
	// KindDatabase is PostgreSQL, Redis or Neo4j.
	KindDatabase Kind = "database"
	// KindStorageWrite and KindStorageCapacity are the object store's
	// write bandwidth and retained bytes.
	KindStorageWrite    Kind = "storage-write"
	KindStorageCapacity Kind = "storage-capacity"
	// KindLink is a declared network link.
	KindLink Kind = "link"
)

// PeriodLoad is one resource in one period.
type PeriodLoad struct {
	// Offered is the offered load: erlangs for queued resources (busy
	// servers on average), else the resource's rate (ops/s, Gbit/s).
	Offered float64
	// Servers is the fewest servers that meet the wait objective, for
	// queued resources; 0 for the others.
	Servers int
	// Units is the requirement in the resource's Unit, before the N+k
	// margin.
	Units float64
}

// Resource is one resource of the declared architecture with its load
// in every period and its verdict.
type Resource struct {
	Name string
	Kind Kind
	// Pool and Card name the configured pool and its card, when any.
	Pool string
	Card string
	// Unit is what Required and Declared count: "nodes", "GPUs",
	// "hosts", "instances", "Gbit/s", "PB".
	Unit string
	// Server describes one server of a queued resource ("4-vCPU slot",
	// "NVENC engine"); ServersPerUnit is how many one Unit holds.
	Server         string
	ServersPerUnit float64
	// ServiceSeconds is the mean time one server spends on one video.
	ServiceSeconds float64
	// Share is the fraction of all videos this resource serves.
	Share float64
	// Loads holds one entry per period of CapacityPlan.Periods, or a
	// single entry for a figure that is not per period (retained
	// capacity, a link's peak hour or busiest minute).
	Loads []PeriodLoad
	// Busiest indexes the period with the highest requirement.
	Busiest int
	// Required is the requirement in the busiest period; Spare the N+k
	// margin on top (targets.cluster.spare_fraction of Required, rounded
	// up to whole units); WithSpare their sum.
	Required  float64
	Spare     float64
	WithSpare float64
	// Declared is what the architecture provides, in Unit.
	Declared float64
	// MeanUtilisation is the week's mean offered load over the declared
	// capacity (0 when nothing is declared): the share of what is paid
	// for that does work.
	MeanUtilisation float64
	// Verdict is pass when WithSpare <= Declared, fail otherwise, info
	// for a pool without modeled work.
	Verdict record.Verdict
	// Source says where the per-unit figure behind the load came from.
	Source record.Source
	// Notes explains the figure: inputs, placement, caveats.
	Notes []string

	secPerMedia float64 // service seconds per media second on one server
	integral    bool    // whole units (servers, nodes) or a rate
}

// Headroom returns Declared / WithSpare - 1: 0.25 means a quarter more
// than needed, -0.5 half of what is needed. It is +Inf when nothing is
// required.
func (r *Resource) Headroom() float64 {
	if r.WithSpare == 0 {
		return math.Inf(1)
	}
	return r.Declared/r.WithSpare - 1
}

// finish picks the busiest period, adds the N+k margin and judges.
func (r *Resource) finish(spare float64, weekly int) {
	for i, l := range r.Loads {
		b := r.Loads[r.Busiest]
		if l.Units > b.Units || (l.Units == b.Units && l.Offered > b.Offered) {
			r.Busiest = i
		}
	}
	if len(r.Loads) > 0 {
		r.Required = r.Loads[r.Busiest].Units
	}
	r.Spare = spare * r.Required
	if r.integral {
		r.Spare = math.Ceil(r.Spare)
	}
	r.WithSpare = r.Required + r.Spare

	capacity := r.Declared
	if r.ServersPerUnit > 0 {
		capacity *= r.ServersPerUnit
	}
	if capacity > 0 && weekly > 0 {
		sum := 0.0
		for _, l := range r.Loads[:weekly] {
			sum += l.Offered
		}
		r.MeanUtilisation = sum / float64(weekly) / capacity
	}
	r.Verdict = record.Judge(r.WithSpare, r.Declared, record.Lower)
}

func (r *Resource) note(s string) { r.Notes = append(r.Notes, s) }

// sourceOf is modeled-from-measured when every per-unit figure was
// measured (or modeled from measured), else config: a figure resting on
// any assumption is not called measured.
func sourceOf(figs ...Figure) record.Source {
	for _, f := range figs {
		if f.Source != record.Measured && f.Source != record.ModeledFromMeasured {
			return record.Config
		}
	}
	return record.ModeledFromMeasured
}
