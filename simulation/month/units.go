package month

import (
	"math"
	"time"

	"github.com/scaletest/scaletest/harness/units"
)

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
