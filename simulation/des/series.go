package des

import (
	"math"
	"time"
)

// Series records a piecewise-constant signal over a known horizon as a
// fixed number of points, each the time average and the maximum of the
// signal over an equal slice of the horizon. Memory is fixed when the
// Series is made; time past the horizon falls into the last point.
type Series struct {
	horizon time.Duration
	width   time.Duration
	last    time.Duration
	v       float64
	area    []float64 // value x seconds per slice
	max     []float64
	cur     int           // slice of last
	curEnd  time.Duration // end of slice cur (the horizon's end for the last)
}

// SeriesPoint is one slice of a Series.
type SeriesPoint struct {
	// Start is the beginning of the slice, virtual time since the start.
	Start time.Duration
	// Mean is the time average of the signal over the slice.
	Mean float64
	// Max is the highest value the signal took during the slice.
	Max float64
}

// NewSeries returns a Series of points slices over [0, horizon), starting
// with value v. It panics if points or horizon is not positive.
func NewSeries(horizon time.Duration, points int, v float64) *Series {
	if points <= 0 || horizon <= 0 {
		panic("des: NewSeries needs a positive horizon and point count")
	}
	width := (horizon + time.Duration(points) - 1) / time.Duration(points)
	s := &Series{horizon: horizon, width: width, v: v,
		area: make([]float64, points), max: make([]float64, points)}
	for i := range s.max {
		s.max[i] = math.Inf(-1)
	}
	s.max[0] = v
	s.curEnd = width
	if points == 1 {
		s.curEnd = math.MaxInt64
	}
	return s
}

func (s *Series) slice(t time.Duration) int {
	return min(int(t/s.width), len(s.area)-1)
}

// Set changes the value at time now; now must not go backwards.
func (s *Series) Set(now time.Duration, v float64) {
	if now < s.curEnd { // the common case: still in the same slice
		s.area[s.cur] += s.v * sec(now-s.last)
		s.last = now
	} else {
		s.advance(now)
	}
	s.v = v
	s.max[s.cur] = max(s.max[s.cur], v)
}

// Add changes the value by d at time now.
func (s *Series) Add(now time.Duration, d float64) { s.Set(now, s.v+d) }

// advance integrates the current value from the last change up to now.
func (s *Series) advance(now time.Duration) {
	for s.last < now {
		i := s.slice(s.last)
		end := now
		if i < len(s.area)-1 {
			end = min(now, time.Duration(i+1)*s.width)
		}
		s.area[i] += s.v * sec(end-s.last)
		s.max[i] = max(s.max[i], s.v)
		s.last = end
	}
	s.cur = s.slice(s.last)
	s.curEnd = time.Duration(s.cur+1) * s.width
	if s.cur == len(s.area)-1 {
		s.curEnd = math.MaxInt64
	}
}

// Points returns the series up to now (usually the end of the run).
// Slices that lie wholly after now are left out.
func (s *Series) Points(now time.Duration) []SeriesPoint {
	s.advance(now)
	n := min(s.slice(max(now-1, 0))+1, len(s.area))
	out := make([]SeriesPoint, n)
	for i := range n {
		start := time.Duration(i) * s.width
		end := start + s.width
		if i == len(s.area)-1 || end > now {
			end = now
		}
		p := SeriesPoint{Start: start, Max: s.max[i]}
		if span := (end - start).Seconds(); span > 0 {
			p.Mean = s.area[i] / span
		}
		out[i] = p
	}
	return out
}
