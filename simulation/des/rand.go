package des

import (
	"math"
	"math/rand/v2"
	"time"
)

// Stream is one independent source of random numbers: a PCG generator
// keyed by the run's seed and a stream number. Two Streams with the same
// seed and number produce the same sequence on every platform.
type Stream struct {
	r *rand.Rand
}

// NewStream returns the stream number id of the run seeded with seed.
func NewStream(seed, id uint64) *Stream {
	// Mix the id so that neighbouring ids start far apart in the sequence.
	return &Stream{r: rand.New(rand.NewPCG(seed, splitmix(id)))}
}

// splitmix is the SplitMix64 finaliser, a cheap bijective scrambler.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Float64 returns a uniform number in [0, 1).
func (s *Stream) Float64() float64 { return s.r.Float64() }

// IntN returns a uniform integer in [0, n); n must be positive.
func (s *Stream) IntN(n int) int { return s.r.IntN(n) }

// ExpFloat64 returns an exponential number with mean 1.
func (s *Stream) ExpFloat64() float64 { return s.r.ExpFloat64() }

// NormFloat64 returns a standard normal number.
func (s *Stream) NormFloat64() float64 { return s.r.NormFloat64() }

// Exp returns an exponentially distributed duration with the given mean.
func (s *Stream) Exp(mean time.Duration) time.Duration {
	return time.Duration(s.r.ExpFloat64() * float64(mean))
}

// Uniform returns a duration uniform in [lo, hi).
func (s *Stream) Uniform(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(s.r.Float64()*float64(hi-lo))
}

// LogNormal returns e^(mu + sigma Z) for a standard normal Z.
func (s *Stream) LogNormal(mu, sigma float64) float64 {
	return math.Exp(mu + sigma*s.r.NormFloat64())
}

// Seconds converts a float number of seconds to a Duration, rounding to
// the nearest nanosecond.
func Seconds(sec float64) time.Duration {
	return time.Duration(math.Round(sec * 1e9))
}
