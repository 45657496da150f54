package month

import (
	"math"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
)

// Unit states.
const (
	unitOff      uint8 = iota
	unitStarting       // launched, paid for, not yet taking work
	unitUp             // taking work
	unitDraining       // spot warning received: finishing, taking nothing
)

type unit struct {
	state uint8
	spot  bool
	gen   uint32 // bumped on every state change, to cancel stale events
	busy  int32
}

// pool is one PoolSpec at run time: units with job slots, a FIFO queue
// (des.Resource) whose capacity is the slots of the units that are up,
// and the counters behind the pool's results.
type pool struct {
	idx   int
	spec  PoolSpec
	res   *des.Resource
	units []unit
	first int32 // global index of units[0]
	slots int   // per unit

	slotJob []int32 // job in each slot, -1 when free
	// free is a min-heap of free slots, so jobs pack into the lowest
	// units and the highest ones drain for the autoscaler to stop (a
	// bin-packing scheduler). It may hold slots of units not up; they
	// are dropped when they surface.
	free   slotHeap
	inFree []bool

	// onDemand and spot are the units paid for (starting, up or
	// draining), time-weighted; unitsS their series.
	onDemand, spot des.TimeWeighted
	unitsS         *des.Series
	active         int // units starting or up
	minUnits       int
	lowSince       time.Duration // demand below the active units since; -1 none

	failures, spotKills, stops, launches int64
	lostSeconds                          float64 // service discarded
	served                               int64
}

func newPool(idx int, spec PoolSpec, units int, first int32, end time.Duration,
	points int) *pool {
	p := &pool{idx: idx, spec: spec, res: des.NewResource(0),
		units: make([]unit, units), first: first, slots: spec.SlotsPerUnit,
		lowSince: -1}
	n := units * p.slots
	p.slotJob = make([]int32, n)
	p.inFree = make([]bool, n)
	for i := range p.slotJob {
		p.slotJob[i] = -1
	}
	// Spread spot units evenly over the indices, so that any prefix of
	// units (the autoscaler launches lowest first) has the spot share.
	f := spec.SpotFraction
	for i := range p.units {
		p.units[i].spot = math.Floor(float64(i+1)*f) > math.Floor(float64(i)*f)
	}
	p.res.Track(end, points)
	p.unitsS = des.NewSeries(end, points, 0)
	return p
}

// pay adds d units to the paid counters of kind spot or on-demand.
func (p *pool) pay(now time.Duration, u *unit, d float64) {
	if u.spot {
		p.spot.Add(now, d)
	} else {
		p.onDemand.Add(now, d)
	}
	p.unitsS.Add(now, d)
}

// addSlots makes unit i's slots available.
func (p *pool) addSlots(i int) {
	for s := i * p.slots; s < (i+1)*p.slots; s++ {
		if !p.inFree[s] && p.slotJob[s] < 0 {
			p.free.push(int32(s))
			p.inFree[s] = true
		}
	}
}

// takeSlot returns a free slot on a unit that is up. The resource's
// count guarantees one exists when it admits a job.
func (p *pool) takeSlot() int32 {
	for {
		s := p.free.pop()
		p.inFree[s] = false
		if p.slotJob[s] < 0 && p.units[int(s)/p.slots].state == unitUp {
			return s
		}
	}
}

// releaseSlot frees slot s after its job ended normally.
func (p *pool) releaseSlot(s int32) {
	p.slotJob[s] = -1
	u := &p.units[int(s)/p.slots]
	u.busy--
	if u.state == unitUp && !p.inFree[s] {
		p.free.push(s)
		p.inFree[s] = true
	}
}

// slotHeap is a binary min-heap of slot indices.
type slotHeap []int32

func (h *slotHeap) push(s int32) {
	*h = append(*h, s)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p] <= s {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = s
}

// pop removes and returns the smallest slot; h must not be empty.
func (h *slotHeap) pop() int32 {
	a := *h
	top := a[0]
	n := len(a) - 1
	last := a[n]
	a = a[:n]
	*h = a
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1] < a[c] {
			c++
		}
		if last <= a[c] {
			break
		}
		a[i] = a[c]
		i = c
	}
	if n > 0 {
		a[i] = last
	}
	return top
}
