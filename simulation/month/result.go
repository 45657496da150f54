package month

import (
	"math"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/simulation/des"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
)

// Result is what one run found. Durations are virtual time.
type Result struct {
	Seed     uint64
	Fraction float64
	// Horizon is the month; End is the month plus the drain.
	Horizon, End time.Duration
	// Source says where the service times came from (see Plan.Source).
	Source record.Source

	Videos Videos
	// Publish is the time from upload (arrival) to published on YouTube;
	// Processing the time from upload to ready for YouTube.
	Publish, Processing Latency
	// TargetP99 is targets.volume.publish_p99.
	TargetP99 time.Duration

	Pools   []PoolResult
	Cost    Cost
	YouTube YouTube
	Little  Little
	// Backlog is the number of processed videos waiting for YouTube;
	// InProcessing the number of videos arrived and not yet processed.
	Backlog, InProcessing []des.SeriesPoint

	// Events is the number of events handled; Wall the real time the run
	// took.
	Events uint64
	Wall   time.Duration
	// Notes carry the plan's notes and what the run noticed.
	Notes []string
}

// Videos counts videos over the run.
type Videos struct {
	Arrived, Processed, Published int64
	// Unpublished are the videos not on YouTube when the run ended.
	Unpublished int64
}

// Latency is a distribution of waits.
type Latency struct {
	P50, P95, P99, Max time.Duration
	Mean               time.Duration
	// Count is the number of videos behind the figures, Censored those
	// among them that had not finished when the run ended: they count
	// with their age then, so each percentile is a lower bound when
	// LowerBound is set (more than 1% of videos censored for p99).
	Count, Censored int64
	LowerBound      bool
}

// PoolResult is one pool over the run.
type PoolResult struct {
	Name string
	Unit string
	// Declared is the pool's units at this fraction; MeanUnits and
	// MaxUnits what was paid for (starting, up or draining) over the
	// month.
	Declared            int
	MeanUnits, MaxUnits float64
	// Utilisation is busy slots over slots up, time-averaged over the
	// month.
	Utilisation float64
	// MeanQueue and MaxQueue are the jobs waiting; WaitP99 the 99th
	// percentile of one admission's wait.
	MeanQueue, MaxQueue float64
	WaitP99             time.Duration
	Served              int64
	// Failures and SpotReclaims count units lost; Launches units
	// started after the first instant; Interrupted jobs cut short.
	Failures, SpotReclaims, Launches, Stops int64
	Interrupted                             uint64
	// LostWork is the service time of interrupted jobs, thrown away.
	LostWork time.Duration
	// Cost is what the pool's units cost over the month.
	Cost units.USD
	// Busy, Slots, Queue and Units are time series over [0, End).
	Busy, Slots, Queue, Units []des.SeriesPoint
}

// Cost is the month's bill as far as the plan prices it.
type Cost struct {
	// Compute is what the pools' units cost over the month: the units
	// paid for as the run used them (autoscaled, replaced, on spot).
	Compute units.USD
	// ComputePerVideo is Compute over the videos that arrived in the
	// month; Other the cost model's storage, egress and database per
	// video (Plan.PerVideo); PerVideo their sum.
	ComputePerVideo units.USD
	Other           PerVideoCosts
	PerVideo        units.USD
	// Unpriced names pools that have units but no price.
	Unpriced []string
	// Prices says where the prices come from (Plan.Prices).
	Prices string
}

// YouTube is what happened at the upload end.
type YouTube struct {
	// UploadsStarted counts calls; Retried those that failed and put
	// their video back to wait.
	UploadsStarted, Retried int64
	// ExhaustedDays is the number of Pacific days on which a project ran
	// out of upload quota; FirstExhausted the run time of the first
	// exhaustion.
	ExhaustedDays  int
	FirstExhausted time.Duration
	// DeferredAtMonthEnd is the processed videos still waiting for
	// YouTube when the month ended; PeakDeferred the most that waited at
	// once.
	DeferredAtMonthEnd, PeakDeferred int64
	// Blocked is the time uploads could not start, by the scheduler's
	// reason ("quota-exhausted", "channel-cap", ...), in a stable order.
	Blocked []Blocked
	// ExtraCalls and ExtraDeferred count the thumbnail and playlist calls
	// made after publishing and those refused for quota.
	ExtraCalls, ExtraDeferred int64
}

// Blocked is time spent unable to upload for one reason.
type Blocked struct {
	Reason string
	Time   time.Duration
}

// Little is Little's law checked on the run: L, the time-average number
// of videos in a system, against lambda W, the arrival rate times the
// mean time in it. They must agree for the processing system (every
// video is accounted for); for the whole system publish times are
// exact only to a minute (see backlog) and unpublished videos count
// with their age at the end.
type Little struct {
	// L (videos), Lambda (videos/s) and W (s) of the processing system.
	L, Lambda, W float64
	// RelErr is |L - lambda W| / L.
	RelErr float64
	// SystemRelErr is the same check over upload to publish.
	SystemRelErr float64
}

func (s *state) result(wall time.Duration) *Result {
	now := s.eng.Now()
	r := &Result{Seed: s.p.Seed, Fraction: s.p.Fraction, Horizon: s.horizon,
		End: now, Source: s.plan.Source, TargetP99: s.cfg.Targets.Volume.PublishP99,
		Events: s.eng.Events(), Wall: wall,
		Notes: slices.Clone(s.plan.Notes)}
	r.Videos = Videos{Arrived: s.arrived, Processed: s.processed,
		Published: s.published, Unpublished: s.arrived - s.published}

	// Censored ages: videos in processing, waiting and uploading.
	procCens, sysCens := des.NewHistogram(), des.NewHistogram()
	var sysCensSum float64
	age := func(arrival float64) float64 { return now.Seconds() - arrival }
	for id := range s.jobs {
		j := &s.jobs[id]
		if j.alive {
			a := age(j.arrival.Seconds())
			procCens.Record(a)
			sysCens.Record(a)
			sysCensSum += a
		}
	}
	for i, n := range s.backlog.n {
		if n > 0 {
			a := age(s.backlog.arrSum[i] / float64(n))
			for range n {
				sysCens.Record(a)
			}
			sysCensSum += float64(n) * a
		}
	}
	for i := range s.uploads {
		if !slices.Contains(s.upFree, int32(i)) {
			a := age(s.uploads[i].arrival)
			sysCens.Record(a)
			sysCensSum += a
		}
	}
	r.Processing = latency(s.procHist, procCens)
	r.Publish = latency(s.pubHist, sysCens)

	// Little's law.
	T := s.horizon.Seconds()
	lambda := float64(s.arrived) / T
	var sojourn float64 = s.procHist.Sum() + procCens.Sum()
	L := s.inProc.Integral(now) / T
	W := 0.0
	if s.arrived > 0 {
		W = sojourn / float64(s.arrived)
	}
	r.Little = Little{L: L, Lambda: lambda, W: W, RelErr: relErr(L, lambda*W)}
	Ls := s.inSys.Integral(now) / T
	Ws := 0.0
	if s.arrived > 0 {
		Ws = (s.pubSum + sysCensSum) / float64(s.arrived)
	}
	r.Little.SystemRelErr = relErr(Ls, lambda*Ws)

	r.Pools = s.poolResults(now)
	r.Cost = s.cost()
	r.YouTube = s.youtube()
	r.Backlog = s.backlogS.Points(now)
	r.InProcessing = s.inProcS.Points(now)
	return r
}

func relErr(a, b float64) float64 {
	if a == 0 && b == 0 {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

func latency(done, censored *des.Histogram) Latency {
	all := des.NewHistogram()
	all.Merge(done)
	all.Merge(censored)
	d := func(sec float64) time.Duration {
		if math.IsNaN(sec) || math.IsInf(sec, 0) {
			return 0
		}
		return des.Seconds(sec)
	}
	n, c := int64(all.Count()), int64(censored.Count())
	return Latency{P50: d(all.Quantile(0.5)), P95: d(all.Quantile(0.95)),
		P99: d(all.Quantile(0.99)), Max: d(all.Max()), Mean: d(all.Mean()),
		Count: n, Censored: c, LowerBound: float64(c) > 0.01*float64(n)}
}

func (s *state) poolResults(now time.Duration) []PoolResult {
	out := make([]PoolResult, len(s.pools))
	h := s.horizon
	for i, pl := range s.pools {
		busy, slots, queue := pl.res.Series(now)
		util := 0.0
		if c := pl.res.CapacityTW.Integral(h); c > 0 {
			util = pl.res.BusyTW.Integral(h) / c
		}
		pr := PoolResult{Name: pl.spec.Name, Unit: pl.spec.Unit,
			Declared: len(pl.units),
			MeanUnits: (pl.onDemand.Integral(h) + pl.spot.Integral(h)) /
				h.Seconds(),
			MaxUnits:    pl.onDemand.Max() + pl.spot.Max(),
			Utilisation: util, MeanQueue: pl.res.QueueTW.Mean(h),
			MaxQueue: pl.res.QueueTW.Max(),
			WaitP99:  des.Seconds(nan0(pl.res.Waits.Quantile(0.99))),
			Served:   pl.served, Failures: pl.failures,
			SpotReclaims: pl.spotKills, Launches: pl.launches,
			Stops: pl.stops, Interrupted: pl.res.Interrupted,
			LostWork: des.Seconds(pl.lostSeconds),
			Busy:     busy, Slots: slots, Queue: queue,
			Units: pl.unitsS.Points(now)}
		if s.monthSet {
			pr.Cost = units.USD(s.monthCost[i])
		}
		out[i] = pr
	}
	return out
}

func nan0(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

func (s *state) cost() Cost {
	c := Cost{Prices: s.plan.Prices}
	for i, pl := range s.pools {
		if s.monthSet {
			c.Compute += units.USD(s.monthCost[i])
		}
		if len(pl.units) > 0 && pl.spec.Hourly == 0 && pl.spec.PriceNote != "" {
			c.Unpriced = append(c.Unpriced, pl.spec.Name)
		}
	}
	if s.arrived > 0 {
		c.ComputePerVideo = c.Compute / units.USD(s.arrived)
	}
	c.Other = s.plan.PerVideo
	c.PerVideo = c.ComputePerVideo + c.Other.Total()
	return c
}

func (s *state) youtube() YouTube {
	y := YouTube{UploadsStarted: s.upStarted, Retried: s.upFailed,
		ExhaustedDays: len(s.pub.exhausted),
		PeakDeferred:  s.backlog.maxSeen,
		ExtraCalls:    s.pub.extraDone, ExtraDeferred: s.pub.extraDeferred}
	first := time.Duration(-1)
	for _, t := range s.pub.exhausted {
		if first < 0 || t < first {
			first = t
		}
	}
	y.FirstExhausted = max(first, 0)
	y.DeferredAtMonthEnd = s.deferredAtMonthEnd
	s.unblock()
	for r := range scheduler.ReasonNotBefore + 1 {
		if t := s.blocked[r]; t > 0 {
			y.Blocked = append(y.Blocked, Blocked{Reason: r.String(), Time: t})
		}
	}
	return y
}
