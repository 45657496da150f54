package scorecard

import (
	"fmt"
	"strings"

	"github.com/scaletest/scaletest/harness/targets"
)

// Target ids, in the order of DESIGN.md's Key Targets table.
const (
	Volume      = "volume"
	Speed       = "speed"
	Cluster     = "cluster"
	Storage     = "storage"
	Network     = "network"
	Cost        = "cost"
	Reliability = "reliability"
	YouTube     = "youtube"
)

// IDs lists the Key Target ids in scorecard order.
var IDs = []string{Volume, Speed, Cluster, Storage, Network, Cost,
	Reliability, YouTube}

// Categories lists the category packages (directories at the module root)
// in the order scaletest run runs them.
var Categories = []string{"performance", "scalability", "costanalysis",
	"reliability", "youtubeapi", "simulation"}

// Definition is one Key Target as scale.yaml states it.
type Definition struct {
	// ID is the target id records carry in their Target field.
	ID string `json:"id"`
	// Goal states the target in words with its configured figures,
	// such as "RTF < 2 (processing seconds per media second)".
	Goal string `json:"goal"`
	// Decider says how the suite decides the target (DESIGN.md).
	Decider string `json:"decider"`
	// Categories are the packages whose records decide the target, the
	// first one the package that writes its verdict.
	Categories []string `json:"categories"`
}

// measuredBy names, per target, the categories whose records decide it,
// the one that writes the verdict first.
var measuredBy = map[string][]string{
	Volume:      {"simulation"},
	Speed:       {"performance"},
	Cluster:     {"scalability", "performance"},
	Storage:     {"scalability", "performance"},
	Network:     {"scalability", "performance"},
	Cost:        {"costanalysis", "performance"},
	Reliability: {"reliability"},
	YouTube:     {"youtubeapi"},
}

// MeasuredBy returns the categories whose records decide target, the one
// that writes its verdict first; nil for an unknown target.
func MeasuredBy(target string) []string {
	return append([]string(nil), measuredBy[target]...)
}

// Definitions returns the eight Key Targets with the goals of cfg, in the
// order of IDs.
func Definitions(cfg *targets.Config) []Definition {
	t := cfg.Targets
	d := cfg.Derive()
	defs := []Definition{
		{ID: Volume, Goal: fmt.Sprintf("%s videos/month (%s/day), publish p99 <= %s",
			count(t.Volume.VideosPerMonth), count(d.VideosPerDay),
			duration(t.Volume.PublishP99.String())),
			Decider: "month simulation at full volume meets the time-to-publish SLO"},
		{ID: Speed, Goal: fmt.Sprintf("RTF < %g (processing seconds per media second)",
			t.Speed.MaxRTF),
			Decider: "measured on real encodes of reference inputs, per profile"},
		{ID: Cluster, Goal: fmt.Sprintf("%s+ GPUs, N+k margin %g%%",
			count(float64(t.Cluster.MinGPUs)), t.Cluster.SpareFraction*100),
			Decider: "capacity model from measured per-unit throughput"},
		{ID: Storage, Goal: fmt.Sprintf("<= %g TB/day of new storage", t.Storage.MaxTBPerDay),
			Decider: "measured output bytes per video x volume vs declared"},
		{ID: Network, Goal: fmt.Sprintf("%g Gbps sustained, %g Gbps burst",
			t.Network.SustainedGbps, t.Network.BurstGbps),
			Decider: "bytes per video x arrival curve vs declared links"},
		{ID: Cost, Goal: fmt.Sprintf("<= $%.2f per video", t.Cost.MaxUSDPerVideo),
			Decider: "cost model fed with measured seconds per video and dated prices"},
		{ID: Reliability, Goal: fmt.Sprintf("%g%% available under peak load, <= %d lost jobs",
			t.Reliability.Availability*100, t.Reliability.MaxLostJobs),
			Decider: "fault schedules against real services at peak rate"},
		{ID: YouTube, Goal: fmt.Sprintf("%s uploads/day within quota and channel caps",
			count(t.YouTube.UploadsPerDay)),
			Decider: "quota manager and emulator: uploads/day achievable"},
	}
	for i := range defs {
		defs[i].Categories = MeasuredBy(defs[i].ID)
	}
	return defs
}

// count formats a non-negative number with thousands separators,
// rounded to a whole number.
func count(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// duration trims the zero units Go prints ("4h0m0s" to "4h").
func duration(s string) string {
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
