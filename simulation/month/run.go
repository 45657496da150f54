package month

import (
	"context"
	"math"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/simulation/des"
	"github.com/scaletest/scaletest/youtubeapi"
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

// unitUp makes unit i of pl take work; warm units start the month up.
func (s *state) unitUp(pl *pool, i int, warm bool) {
	now := s.eng.Now()
	u := &pl.units[i]
	if warm {
		pl.pay(now, u, 1)
		pl.active++
	}
	u.state = unitUp
	u.gen++
	pl.addSlots(i)
	pl.res.SetCapacity(now, pl.res.Capacity()+pl.slots)
	g := pl.first + int32(i)
	if pl.spec.MTBF > 0 {
		s.eng.After(s.rFail.Exp(pl.spec.MTBF), evUnitFail, g, u.gen)
	}
	if u.spot && s.a.SpotInterruptionsPerMonth > 0 {
		mean := time.Duration(float64(30*24*time.Hour) /
			s.a.SpotInterruptionsPerMonth)
		s.eng.After(s.rSpot.Exp(mean), evSpotWarn, g, u.gen)
	}
	s.admit(pl)
}

// launch starts unit i of pl; it takes work after the start-up delay.
func (s *state) launch(pl *pool, i int) {
	now := s.eng.Now()
	u := &pl.units[i]
	u.state = unitStarting
	u.gen++
	pl.pay(now, u, 1)
	pl.active++
	pl.launches++
	d := s.rStart.Uniform(s.a.StartupMin, s.a.StartupMax)
	s.eng.After(d, evUnitUp, pl.first+int32(i), u.gen)
}

// unitDown takes unit i of pl away (failure, spot reclaim or scale-down):
// its jobs lose their work and go back to the head of the queue.
func (s *state) unitDown(pl *pool, i int, relaunch bool) {
	now := s.eng.Now()
	u := &pl.units[i]
	for sl := i * pl.slots; sl < (i+1)*pl.slots; sl++ {
		id := pl.slotJob[sl]
		if id < 0 {
			continue
		}
		j := &s.jobs[id]
		pl.lostSeconds += (now - j.start).Seconds()
		pl.slotJob[sl] = -1
		j.slot = -1
		j.gen++ // its completion event is now stale
		pl.res.Interrupt(now)
		pl.res.Requeue(now, id)
	}
	u.busy = 0
	switch u.state {
	case unitUp:
		pl.res.SetCapacity(now, pl.res.Capacity()-pl.slots)
		pl.active--
	case unitStarting:
		pl.active--
	}
	if u.state != unitOff {
		pl.pay(now, u, -1)
	}
	u.state = unitOff
	u.gen++
	if relaunch {
		s.launch(pl, i)
	}
	s.admit(pl)
}

// spotWarn starts the two-minute notice of a spot unit: it takes no new
// work and is reclaimed when the notice ends.
func (s *state) spotWarn(pl *pool, i int) {
	now := s.eng.Now()
	u := &pl.units[i]
	if u.state != unitUp {
		return
	}
	u.state = unitDraining
	pl.active--
	pl.res.SetCapacity(now, pl.res.Capacity()-pl.slots)
	s.eng.After(s.a.SpotWarning, evSpotKill, pl.first+int32(i), u.gen)
	if s.p.Autoscale && !pl.spec.Fixed {
		s.autoscale(pl) // order a replacement now, not in a minute
	}
}

// autoscale sizes pl to its demand: busy and waiting jobs over the
// target utilisation, within the pool's minimum and its declared units.
func (s *state) autoscale(pl *pool) {
	now := s.eng.Now()
	demand := float64(pl.res.Busy() + pl.res.Queued())
	want := int(math.Ceil(demand / (float64(pl.slots) *
		s.a.AutoscaleTargetUtilisation)))
	want = min(max(want, pl.minUnits), len(pl.units))
	switch {
	case want > pl.active:
		pl.lowSince = -1
		for i := range pl.units {
			if pl.active >= want {
				break
			}
			if pl.units[i].state == unitOff {
				s.launch(pl, i)
			}
		}
	case want < pl.active:
		if pl.lowSince < 0 {
			pl.lowSince = now
		}
		if now-pl.lowSince < s.a.AutoscaleScaleDownAfter {
			return
		}
		for i := len(pl.units) - 1; i >= 0 && pl.active > want; i-- {
			if u := &pl.units[i]; u.state == unitUp && u.busy == 0 {
				pl.stops++
				s.unitDown(pl, i, false)
			}
		}
	default:
		pl.lowSince = -1
	}
}

// closeMonth fixes the month's cost: what runs after it (the drain)
// serves the month's late videos but is not billed to it.
func (s *state) closeMonth() {
	now := s.eng.Now()
	s.monthCost = make([]float64, len(s.pools))
	for i, pl := range s.pools {
		od := pl.onDemand.Integral(now) / 3600
		sp := pl.spot.Integral(now) / 3600
		s.monthCost[i] = od*float64(pl.spec.Hourly) +
			sp*float64(pl.spec.SpotHourly)
	}
	s.monthSet = true
	s.deferredAtMonthEnd = s.backlog.total
}

// dispatch starts uploads while slots, videos and the scheduler allow.
func (s *state) dispatch() {
	now := s.eng.Now()
	if now < s.blockedUntil {
		return
	}
	for len(s.upFree) > 0 && s.backlog.total > 0 {
		id, ok, wake, hasWake, err := s.pub.begin(now)
		if err != nil {
			s.err = err
			return
		}
		if !ok {
			s.block(wake, hasWake)
			return
		}
		s.unblock()
		arrival, media, _ := s.backlog.take()
		s.backlogS.Add(now, -1)
		n := len(s.upFree) - 1
		slot := s.upFree[n]
		s.upFree = s.upFree[:n]
		s.uploads[slot] = upload{id: id, arrival: arrival, media: media}
		s.upStarted++
		d := media * s.bytesPerSec / s.upBps
		s.eng.After(des.Seconds(d), evUploadDone, slot, 0)
	}
}

// block stops dispatching until wake (or, without one, until an upload
// ends) and starts counting the time blocked by the scheduler's reason.
func (s *state) block(wake time.Duration, hasWake bool) {
	now := s.eng.Now()
	if s.blockReason == scheduler.ReasonNone {
		s.blockReason = s.pub.blockReason(now)
		s.blockedSince = now
	}
	s.blockedUntil = time.Duration(math.MaxInt64)
	if hasWake {
		s.blockedUntil = wake
		s.wakeGen++
		s.eng.At(max(wake, now), evUploadWake, 0, s.wakeGen)
	}
}

func (s *state) unblock() {
	now := s.eng.Now()
	if s.blockReason != scheduler.ReasonNone {
		s.blocked[s.blockReason] += now - s.blockedSince
		s.blockReason = scheduler.ReasonNone
	}
	s.blockedUntil = 0
}

func (s *state) uploadDone(slot int32) {
	now := s.eng.Now()
	u := s.uploads[slot]
	s.upFree = append(s.upFree, slot)
	o := youtubeapi.Success
	if s.rUp.Float64() < s.a.UploadBackendErrorRate {
		o = youtubeapi.Outcome{Status: 503,
			Reason: youtubeapi.ReasonBackendError}
	}
	published, err := s.pub.finish(u.id, o, now)
	if err != nil {
		s.err = err
		return
	}
	if published {
		w := now.Seconds() - u.arrival
		s.published++
		s.pubHist.Record(w)
		s.pubSum += w
		s.inSys.Add(now, -1)
	} else {
		s.upFailed++
		s.backlog.add(u.arrival, u.media)
		s.backlogS.Add(now, 1)
	}
	s.blockedUntil = 0 // a finished upload may free a channel slot
	s.dispatch()
}

// scalePool shrinks spec to fraction f of its capacity: the units are
// rounded (at least one), and the slots per unit adjusted so that the
// pool's slots stay within half a unit's slots of f times the declared
// slots; a unit's prices follow its slots. At f = 1 nothing changes.
func scalePool(spec PoolSpec, f float64) (PoolSpec, int) {
	if spec.Units <= 0 || f == 1 {
		return spec, max(spec.Units, 0)
	}
	n := max(1, int(math.Round(float64(spec.Units)*f)))
	want := float64(spec.Units*spec.SlotsPerUnit) * f
	slots := max(1, int(math.Round(want/float64(n))))
	k := float64(slots) / float64(spec.SlotsPerUnit)
	spec.Hourly *= units.USD(k)
	spec.SpotHourly *= units.USD(k)
	spec.SlotsPerUnit = slots
	return spec, n
}
