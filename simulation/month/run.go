package month

import (
	"context"
	"math"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/simulation/des"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
)

// Event kinds of the scenario.
const (
	evArrive des.Kind = iota
	evStageDone
	evUnitUp
	evUnitFail
	evSpotWarn
	evSpotKill
	evAutoscale
	evUploadWake
	evUploadDone
	evMonthEnd
)

// Random streams, one per source of randomness.
const (
	streamArrivals = iota + 1
	streamLengths
	streamRoutes
	streamService
	streamFailures
	streamSpot
	streamStartup
	streamUploads
)

// job is a video in processing.
type job struct {
	arrival time.Duration
	start   time.Duration // of the current service
	media   float32       // seconds
	factor  float32       // service time factor of this video's content
	route   uint16
	stage   uint8
	alive   bool
	slot    int32
	gen     uint32
}

// upload is one running upload to YouTube.
type upload struct {
	id             string
	arrival, media float64 // seconds
}

// state is one run.
type state struct {
	cfg  *targets.Config
	p    Params
	a    Assumptions
	plan Plan
	eng  *des.Sim
	err  error

	horizon, end time.Duration
	arr          *arrivals
	length       lengths
	routeCum     []float64

	rArr, rLen, rRoute, rSvc, rFail, rSpot, rStart, rUp *des.Stream

	jobs  []job
	free  []int32
	pools []*pool
	units []int // global unit -> pool

	arrived, processed, published int64
	inProc                        des.TimeWeighted
	inProcS                       *des.Series
	inSys                         des.TimeWeighted
	procHist, pubHist             *des.Histogram
	pubSum                        float64 // seconds, published sojourns

	backlog      *backlog
	backlogS     *des.Series
	pub          *publisher
	uploads      []upload
	upFree       []int32
	blockedUntil time.Duration
	blockedSince time.Duration
	blockReason  scheduler.Reason
	blocked      map[scheduler.Reason]time.Duration
	wakeGen      uint32
	upStarted    int64
	upFailed     int64
	bytesPerSec  float64 // upload bytes per media second
	upBps        float64 // one upload's rate, bytes per second

	monthCost          []float64 // per pool, USD over the month
	monthSet           bool
	deferredAtMonthEnd int64
}

// Run plays the month of cfg through plan with parameters p.
func Run(ctx context.Context, cfg *targets.Config, plan Plan, p Params) (
	*Result, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	s, err := newState(ctx, cfg, plan, p)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	s.eng.Run(s.end, s.handle, des.RunOptions{Progress: p.Progress,
		ProgressEvery: p.ProgressEvery})
	if s.err != nil {
		return nil, s.err
	}
	return s.result(time.Since(start)), nil
}

func newState(ctx context.Context, cfg *targets.Config, plan Plan,
	p Params) (*state, error) {
	days := p.Days
	if days == 0 {
		days = cfg.Targets.Volume.DaysPerMonth
	}
	a := p.Assumptions
	s := &state{cfg: cfg, p: p, a: a, plan: plan,
		horizon:  time.Duration(days * 24 * float64(time.Hour)),
		procHist: des.NewHistogram(), pubHist: des.NewHistogram(),
		blocked: map[scheduler.Reason]time.Duration{}}
	s.end = s.horizon + a.Drain
	videos := cfg.Targets.Volume.VideosPerMonth *
		days / cfg.Targets.Volume.DaysPerMonth * p.Fraction
	s.arr = newArrivals(cfg.Workload, p.Start, s.horizon, videos)
	s.length = newLengths(cfg.Workload.VideoLength)
	streams := []**des.Stream{&s.rArr, &s.rLen, &s.rRoute, &s.rSvc,
		&s.rFail, &s.rSpot, &s.rStart, &s.rUp}
	for i, ptr := range streams {
		*ptr = des.NewStream(p.Seed, uint64(streamArrivals+i))
	}
	sum := 0.0
	for _, r := range plan.Routes {
		sum += r.Share
		s.routeCum = append(s.routeCum, sum)
	}
	s.eng = des.New(1 << 16)
	s.inProcS = des.NewSeries(s.end, p.Points, 0)
	s.backlog = newBacklog(s.end)
	s.backlogS = des.NewSeries(s.end, p.Points, 0)

	// Pools, scaled by the fraction.
	var first int32
	for i, spec := range plan.Pools {
		spec, n := scalePool(spec, p.Fraction)
		pl := newPool(i, spec, n, first, s.end, p.Points)
		pl.minUnits = n
		if p.Autoscale && !spec.Fixed {
			pl.minUnits = max(1, int(math.Ceil(float64(n)*
				a.AutoscaleMinFraction)))
		}
		for range n {
			s.units = append(s.units, i)
		}
		first += int32(n)
		s.pools = append(s.pools, pl)
	}
	for _, pl := range s.pools {
		for i := range pl.minUnits {
			s.unitUp(pl, i, true)
		}
		if p.Autoscale && !pl.spec.Fixed {
			s.eng.After(a.AutoscaleInterval, evAutoscale, int32(pl.idx), 0)
		}
	}

	// YouTube.
	yt := scaleQuota(cfg.Architecture.YouTube, p.Fraction)
	pub, err := newPublisher(ctx, yt, p.Start, a.UploadConcurrency,
		a.PublishExtraCalls, p.Seed)
	if err != nil {
		return nil, err
	}
	s.pub = pub
	s.uploads = make([]upload, a.UploadConcurrency)
	for i := a.UploadConcurrency - 1; i >= 0; i-- {
		s.upFree = append(s.upFree, int32(i))
	}
	s.bytesPerSec = plan.UploadBytesPerMediaSecond
	s.upBps = a.UploadMbps * 1e6 / 8

	if t, ok := s.arr.next(0, s.rArr); ok {
		s.eng.At(t, evArrive, 0, 0)
	}
	s.eng.At(s.horizon, evMonthEnd, 0, 0)
	return s, nil
}

func (s *state) handle(e *des.Sim, ev des.Event) {
	switch ev.Kind {
	case evArrive:
		s.arrive()
		if t, ok := s.arr.next(e.Now(), s.rArr); ok {
			e.At(t, evArrive, 0, 0)
		}
	case evStageDone:
		if j := &s.jobs[ev.Arg]; j.gen == ev.Gen {
			s.stageDone(ev.Arg)
		}
	case evUnitUp, evUnitFail, evSpotWarn, evSpotKill:
		pl := s.pools[s.units[ev.Arg]]
		i := int(ev.Arg - pl.first)
		if pl.units[i].gen != ev.Gen {
			return // the unit changed state since this was scheduled
		}
		switch ev.Kind {
		case evUnitUp:
			s.unitUp(pl, i, false)
		case evUnitFail:
			pl.failures++
			s.unitDown(pl, i, !s.p.Autoscale || pl.spec.Fixed)
		case evSpotWarn:
			s.spotWarn(pl, i)
		case evSpotKill:
			pl.spotKills++
			s.unitDown(pl, i, !s.p.Autoscale || pl.spec.Fixed)
		}
	case evAutoscale:
		s.autoscale(s.pools[ev.Arg])
		e.After(s.a.AutoscaleInterval, evAutoscale, ev.Arg, 0)
	case evUploadWake:
		if ev.Gen == s.wakeGen {
			s.unblock()
			s.dispatch()
		}
	case evUploadDone:
		s.uploadDone(ev.Arg)
	case evMonthEnd:
		s.closeMonth()
	}
	if s.err != nil {
		e.Stop()
	}
}

// arrive creates a video and sends it to its first stage.
func (s *state) arrive() {
	now := s.eng.Now()
	var id int32
	if n := len(s.free); n > 0 {
		id = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.jobs = append(s.jobs, job{})
		id = int32(len(s.jobs) - 1)
	}
	route := 0
	if len(s.routeCum) > 1 {
		x := s.rRoute.Float64() * s.routeCum[len(s.routeCum)-1]
		for route < len(s.routeCum)-1 && x >= s.routeCum[route] {
			route++
		}
	}
	factor := 1.0
	if sg := s.a.ServiceSigma; sg > 0 {
		factor = s.rSvc.LogNormal(-sg*sg/2, sg)
	}
	s.jobs[id] = job{arrival: now, media: float32(s.length.draw(s.rLen)),
		factor: float32(factor), route: uint16(route), slot: -1,
		alive: true, gen: s.jobs[id].gen + 1}
	s.arrived++
	s.inProc.Add(now, 1)
	s.inProcS.Add(now, 1)
	s.inSys.Add(now, 1)
	s.enter(id)
}

// enter queues job id at the pool of its current stage.
func (s *state) enter(id int32) {
	j := &s.jobs[id]
	pl := s.pools[s.plan.Routes[j.route].Stages[j.stage].Pool]
	if pl.res.Request(s.eng.Now(), id) {
		s.startJob(pl, id)
	}
}

func (s *state) startJob(pl *pool, id int32) {
	now := s.eng.Now()
	j := &s.jobs[id]
	slot := pl.takeSlot()
	pl.slotJob[slot] = id
	pl.units[int(slot)/pl.slots].busy++
	j.slot, j.start = slot, now
	st := s.plan.Routes[j.route].Stages[j.stage]
	d := float64(j.media) * st.SecondsPerMediaSecond * float64(j.factor)
	s.eng.After(des.Seconds(d), evStageDone, id, j.gen)
}

func (s *state) admit(pl *pool) {
	now := s.eng.Now()
	for {
		id, _, ok := pl.res.Admit(now)
		if !ok {
			return
		}
		s.startJob(pl, id)
	}
}

func (s *state) stageDone(id int32) {
	now := s.eng.Now()
	j := &s.jobs[id]
	route := s.plan.Routes[j.route]
	pl := s.pools[route.Stages[j.stage].Pool]
	pl.releaseSlot(j.slot)
	pl.res.Release(now)
	pl.served++
	j.slot = -1
	s.admit(pl)
	j.stage++
	if int(j.stage) < len(route.Stages) {
		s.enter(id)
		return
	}

	// Processed: the video waits for YouTube.
	s.processed++
	s.procHist.Record((now - j.arrival).Seconds())
	s.inProc.Add(now, -1)
	s.inProcS.Add(now, -1)
	s.backlog.add(j.arrival.Seconds(), float64(j.media))
	s.backlogS.Add(now, 1)
	j.gen++
	j.alive = false
	s.free = append(s.free, id)
	s.dispatch()
}
