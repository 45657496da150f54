package load

import (
	"fmt"
	"math"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram bounds. Values are recorded in nanoseconds with a resolution
// of 1 µs (hdrhistogram's lowest discernible value) and 3 significant
// digits; one histogram takes about 180 KB whatever it holds.
const (
	histogramLowest = int64(time.Microsecond)
	histogramDigits = 3
	// DefaultHistogramMax is the longest duration a histogram tracks;
	// longer values are recorded as this value and counted as clamped.
	DefaultHistogramMax = 10 * time.Minute
)

// Histogram is an HDR histogram of durations. It is not safe for
// concurrent use: keep one per goroutine and Merge them, which is exact
// (merging gives the same counts as recording every value into one).
type Histogram struct {
	h       *hdrhistogram.Histogram
	clamped int64
}

// NewHistogram returns an empty histogram that tracks durations up to
// highest (DefaultHistogramMax when highest <= 0).
func NewHistogram(highest time.Duration) *Histogram {
	if highest <= 0 {
		highest = DefaultHistogramMax
	}
	highest = max(highest, 2*time.Duration(histogramLowest))
	return &Histogram{h: hdrhistogram.New(histogramLowest, int64(highest), histogramDigits)}
}

// Record adds one duration. Negative durations count as 0; durations past
// the histogram's highest trackable value are recorded as that value and
// counted by Clamped.
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	if hi := h.h.HighestTrackableValue(); v > hi {
		v = hi
		h.clamped++
	}
	// Cannot fail: v is within the histogram's range.
	_ = h.h.RecordValue(v)
}

// Count is the number of durations recorded.
func (h *Histogram) Count() int64 { return h.h.TotalCount() }

// Clamped is the number of durations longer than the histogram tracks.
func (h *Histogram) Clamped() int64 { return h.clamped }

// Quantile returns the q-quantile (0 <= q <= 1) of the recorded
// durations as the top of its bucket, so at most 0.1% above the value
// recorded (3 significant digits); ok is false when nothing was recorded.
func (h *Histogram) Quantile(q float64) (time.Duration, bool) {
	if h.Count() == 0 {
		return 0, false
	}
	return time.Duration(h.h.ValueAtPercentile(100 * q)), true
}

// Max returns the longest duration recorded (within precision).
func (h *Histogram) Max() time.Duration { return time.Duration(h.h.Max()) }

// Mean returns the mean duration recorded (within precision).
func (h *Histogram) Mean() time.Duration {
	m := h.h.Mean()
	if math.IsNaN(m) {
		return 0
	}
	return time.Duration(m)
}

// Merge adds every duration of o to h. Both must have the same highest
// trackable value; Merge reports an error otherwise, having merged
// nothing.
func (h *Histogram) Merge(o *Histogram) error {
	if a, b := h.h.HighestTrackableValue(), o.h.HighestTrackableValue(); a != b {
		return fmt.Errorf("merge histogram: highest trackable %v and %v differ",
			time.Duration(a), time.Duration(b))
	}
	if dropped := h.h.Merge(o.h); dropped != 0 {
		return fmt.Errorf("merge histogram: %d values dropped", dropped)
	}
	h.clamped += o.clamped
	return nil
}

// MarshalBinary encodes the histogram in HdrHistogram's compressed V2
// form (base64 text, a few KB), so that shards of a run on other machines can be merged
// exactly. The count of clamped values is not encoded.
func (h *Histogram) MarshalBinary() ([]byte, error) {
	b, err := h.h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		return nil, fmt.Errorf("encode histogram: %w", err)
	}
	return b, nil
}

// UnmarshalBinary replaces h with the histogram encoded by MarshalBinary.
func (h *Histogram) UnmarshalBinary(b []byte) error {
	d, err := hdrhistogram.Decode(b)
	if err != nil {
		return fmt.Errorf("decode histogram: %w", err)
	}
	h.h, h.clamped = d, 0
	return nil
}
