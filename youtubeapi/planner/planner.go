// Package planner works out what publishing the target volume to YouTube
// needs in API quota and channels, sets it against the configured
// projects and channels, and says what is achievable and which extension
// to request.
//
// The arithmetic, per Pacific day:
//
//  1. demand per bucket = uploads x (1 + retry overhead) x the cost of
//     each call a video makes (videos.insert, then the follow-ups such as
//     thumbnails.set and playlistItems.insert), under the quota model in
//     force (quota.Lookup);
//  2. supply per bucket = the counted projects' bucket sizes. One API
//     client may use one project (Developer Policies III.D.1.c), so unless
//     Assumptions.SeparateClients says otherwise only the project that
//     achieves most is counted;
//  3. achievable uploads per day = the least of each bucket's supply over
//     its demand per upload and the counted channels' caps added up;
//  4. channels needed = uploads / the planning cap per channel, and at the
//     lowest cap reported (FACTS.md: 4 to about 100 a day);
//  5. extension = demand - supply per bucket, for the target and for the
//     week's peak day (workload.weekly_shape).
//
// Make computes a Plan; Emit writes its records.
package planner

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Assumptions are the plan's inputs beyond scale.yaml.
type Assumptions struct {
	// RetryOverhead is the extra calls per call from retries and
	// re-opened sessions, as a fraction (0.05 is 5% more calls).
	RetryOverhead float64
	// RetrySource says where RetryOverhead comes from: record.Config for
	// an assumption, record.Measured or record.ModeledFromMeasured.
	RetrySource record.Source
	// FollowUps are the calls each video makes after videos.insert.
	// thumbnails.set is added when the default processing profile makes
	// a thumbnail.
	FollowUps []string
	// ChannelCap is the uploads per channel per day to plan channels
	// with; 0 takes the mean of the configured channels' caps.
	ChannelCap float64
	// LowestChannelCap is the least cap reported for a channel.
	LowestChannelCap float64
	// SeparateClients says the configured projects belong to distinct API
	// clients, so that their quotas add up.
	SeparateClients bool
}

// DefaultAssumptions: 5% retry overhead (an assumption), a playlist add
// per video, and the lowest reported channel cap of 4 a day (FACTS.md).
func DefaultAssumptions() Assumptions {
	return Assumptions{RetryOverhead: 0.05, RetrySource: record.Config,
		FollowUps: []string{"playlistItems.insert"}, LowestChannelCap: 4}
}

// Need is one bucket's demand and supply, in quota units per day.
type Need struct {
	Bucket quota.Bucket
	// PerUpload is the units one published video takes, retries
	// included.
	PerUpload float64
	Demand    float64 // for the target
	PeakDay   float64 // for the week's peak day
	Supply    float64
	// Achievable is the uploads per day this bucket pays for.
	Achievable float64
	// Extension is what to request for the peak day: PeakDay - Supply,
	// at least 0.
	Extension float64
}

// Plan is the verdict on the YouTube target.
type Plan struct {
	Model  string
	Target float64 // uploads per day
	// PeakDayUploads is the target on the week's busiest day.
	PeakDayUploads float64
	Calls          []string // per video, in order
	Needs          []Need
	// Projects are the projects counted.
	Projects []string
	// ChannelCap is the planning cap per channel and ChannelsNeeded the
	// channels it takes for the peak day; ChannelsNeededLowCap the same
	// at the lowest reported cap.
	ChannelCap           float64
	ChannelsNeeded       int
	ChannelsNeededLowCap int
	ChannelsConfigured   int
	// ChannelCapacity is the counted channels' caps added up, uploads
	// per day; channels without a cap are left out.
	ChannelCapacity float64
	Achievable      float64
	// Binding names what limits Achievable: a bucket or "channels".
	Binding  string
	Warnings []string
	Source   record.Source
}

// Make plans cfg's YouTube target under a.
func Make(cfg *targets.Config, a Assumptions) (Plan, error) {
	y := cfg.Architecture.YouTube
	m, err := quota.Lookup(y.QuotaModel)
	if err != nil {
		return Plan{}, fmt.Errorf("plan youtube: %w", err)
	}
	if a.RetryOverhead < 0 || a.LowestChannelCap <= 0 {
		return Plan{}, errors.New("plan youtube: retry overhead must be " +
			"at least 0 and the lowest channel cap above 0")
	}
	p := Plan{Model: m.ID, Target: cfg.Targets.YouTube.UploadsPerDay,
		Source: a.RetrySource}
	p.PeakDayUploads = p.Target * peakFactor(cfg.Workload.WeeklyShape)
	p.Calls = calls(cfg, a)

	perUpload := map[quota.Bucket]float64{}
	for _, c := range p.Calls {
		cost, err := m.Cost(c)
		if err != nil {
			return Plan{}, fmt.Errorf("plan youtube: %w", err)
		}
		perUpload[cost.Bucket] += float64(cost.Units) * (1 + a.RetryOverhead)
	}
	counted := p.count(y, m, perUpload, a)

	supply := map[quota.Bucket]float64{}
	for _, pr := range counted {
		p.Projects = append(p.Projects, pr.ID)
		for b := range perUpload {
			supply[b] += float64(limit(m, pr, b))
		}
		for _, ch := range pr.Channels {
			p.ChannelsConfigured++
			p.ChannelCapacity += float64(ch.UploadsPerDay)
			if ch.UploadsPerDay == 0 {
				p.Warnings = append(p.Warnings, fmt.Sprintf("channel %s has "+
					"no known cap; it adds nothing to the capacity", ch.ID))
			}
		}
	}
	p.Achievable, p.Binding = p.ChannelCapacity, "channels"
	for _, b := range m.BucketNames() {
		per, ok := perUpload[b]
		if !ok {
			continue
		}
		n := Need{Bucket: b, PerUpload: per, Demand: per * p.Target,
			PeakDay: per * p.PeakDayUploads, Supply: supply[b]}
		n.Achievable = n.Supply / per
		n.Extension = math.Max(0, n.PeakDay-n.Supply)
		p.Needs = append(p.Needs, n)
		if n.Achievable < p.Achievable {
			p.Achievable, p.Binding = n.Achievable, string(b)
		}
	}

	p.ChannelCap = a.ChannelCap
	if p.ChannelCap == 0 && p.ChannelsConfigured > 0 {
		p.ChannelCap = p.ChannelCapacity / float64(p.ChannelsConfigured)
	}
	if p.ChannelCap > 0 {
		p.ChannelsNeeded = int(math.Ceil(p.PeakDayUploads / p.ChannelCap))
	}
	p.ChannelsNeededLowCap = int(math.Ceil(p.PeakDayUploads /
		a.LowestChannelCap))
	return p, nil
}

// calls lists the API calls one video makes.
func calls(cfg *targets.Config, a Assumptions) []string {
	out := []string{"videos.insert"}
	if pr, ok := cfg.Processing.Profile(cfg.Processing.DefaultProfile); ok &&
		pr.Thumbnail && !slices.Contains(a.FollowUps, "thumbnails.set") {
		out = append(out, "thumbnails.set")
	}
	return append(out, a.FollowUps...)
}

// count returns the projects whose quota counts: all of them for
// separate clients, else the one that achieves most.
func (p *Plan) count(y targets.YouTubeDeployment, m *quota.Model,
	perUpload map[quota.Bucket]float64, a Assumptions) []targets.YouTubeProject {
	if a.SeparateClients || len(y.Projects) <= 1 {
		return y.Projects
	}
	best, bestUploads := 0, -1.0
	for i, pr := range y.Projects {
		up := math.Inf(1)
		for b, per := range perUpload {
			up = math.Min(up, float64(limit(m, pr, b))/per)
		}
		if up > bestUploads {
			best, bestUploads = i, up
		}
	}
	p.Warnings = append(p.Warnings, fmt.Sprintf("%d projects configured; "+
		"one API client may use one project (Developer Policies III.D.1.c), "+
		"so only %s is counted; set SeparateClients if they are distinct "+
		"API clients", len(y.Projects), y.Projects[best].ID))
	return y.Projects[best : best+1]
}

// limit is bucket b's size for project pr under m.
func limit(m *quota.Model, pr targets.YouTubeProject, b quota.Bucket) quota.Units {
	l, err := quota.NewLedger(quota.NewMemStore(), m,
		quota.ProjectFromConfig(pr))
	if err != nil {
		return 0
	}
	return l.Limit(b)
}

// peakFactor is the busiest weekday over the mean weekday.
func peakFactor(weekly []float64) float64 {
	if len(weekly) == 0 {
		return 1
	}
	sum := 0.0
	for _, v := range weekly {
		sum += v
	}
	return slices.Max(weekly) / (sum / float64(len(weekly)))
}
