package des

import "math"

// Histogram counts non-negative values in logarithmic buckets: 128 per
// power of two, so a quantile is within 0.4% of the true value. It covers
// 2^-20 (about 1e-6) to 2^36 (about 6.9e10) in the caller's unit (the
// month scenario uses seconds); smaller values share one underflow bucket,
// larger ones an overflow bucket. Count, sum, minimum and maximum are
// exact. Its size is fixed (57 KB), so memory does not grow with the
// number of values, and two histograms merge exactly. The zero value is
// not usable; call NewHistogram.
type Histogram struct {
	counts   []uint64
	n        uint64
	sum      float64
	min, max float64
}

const (
	histSubBits = 7
	histMinExp  = -20
	histMaxExp  = 36
	// histBuckets counts the underflow bucket (0), the logarithmic ones
	// and the overflow bucket (the last).
	histBuckets = (histMaxExp-histMinExp)<<histSubBits + 2
)

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, histBuckets),
		min: math.Inf(1), max: math.Inf(-1)}
}

func histIndex(v float64) int {
	if v < 0x1p-20 {
		return 0
	}
	bits := math.Float64bits(v)
	exp := int(bits>>52&0x7ff) - 1023
	if exp >= histMaxExp {
		return histBuckets - 1
	}
	sub := int(bits>>(52-histSubBits)) & (1<<histSubBits - 1)
	return (exp-histMinExp)<<histSubBits | sub + 1
}

// bucketMid returns the midpoint of logarithmic bucket i.
func bucketMid(i int) float64 {
	i--
	exp := i>>histSubBits + histMinExp
	sub := i & (1<<histSubBits - 1)
	lo := math.Ldexp(1+float64(sub)/(1<<histSubBits), exp)
	return lo * (1 + 0.5/(1<<histSubBits+float64(sub)))
}

// Record adds one value; negative values and NaN count as zero.
func (h *Histogram) Record(v float64) {
	if !(v >= 0) {
		v = 0
	}
	h.counts[histIndex(v)]++
	h.n++
	h.sum += v
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Count returns the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Sum returns the sum of the values recorded.
func (h *Histogram) Sum() float64 { return h.sum }

// Mean returns the exact mean, NaN when empty.
func (h *Histogram) Mean() float64 {
	if h.n == 0 {
		return math.NaN()
	}
	return h.sum / float64(h.n)
}

// Min returns the smallest value recorded, +Inf when empty.
func (h *Histogram) Min() float64 { return h.min }

// Max returns the largest value recorded, -Inf when empty.
func (h *Histogram) Max() float64 { return h.max }

// Quantile returns the q-quantile (0 <= q <= 1): the midpoint of the bucket
// holding the value of rank ceil(q n), clamped to the exact minimum and
// maximum; the minimum for the underflow bucket and the maximum for the
// overflow bucket. NaN when empty.
func (h *Histogram) Quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = max(rank, 1)
	if rank >= h.n {
		return h.max
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen < rank {
			continue
		}
		switch i {
		case 0:
			return h.min
		case histBuckets - 1:
			return h.max
		}
		return min(max(bucketMid(i), h.min), h.max)
	}
	return h.max
}

// CountAbove returns the number of values in buckets wholly above v, a
// lower bound on the count of values greater than v that is exact up to
// one bucket.
func (h *Histogram) CountAbove(v float64) uint64 {
	var n uint64
	for i := histIndex(v) + 1; i < histBuckets; i++ {
		n += h.counts[i]
	}
	return n
}

// Merge adds every value of o to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}
