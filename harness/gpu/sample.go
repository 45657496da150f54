package gpu

import (
	"math"
	"time"
)

// Metrics is a set of telemetry fields; a Sample says which it holds.
type Metrics uint16

// The fields of a Sample. Encoder and decoder utilisation are missing
// under MIG; the energy counter on old cards.
const (
	MetricUtil Metrics = 1 << iota
	MetricEncoder
	MetricDecoder
	MetricMemory
	MetricPower
	MetricEnergy
	MetricClocks
	MetricTemperature
)

// Sample is one reading of one device.
type Sample struct {
	Device int
	Time   time.Time
	// Have says which fields below were read.
	Have Metrics
	// UtilPct and MemUtilPct are the GPU and memory-controller busy
	// percentages over the driver's last sampling period.
	UtilPct, MemUtilPct float64
	// EncoderPct and DecoderPct are NVENC and NVDEC busy percentages.
	EncoderPct, DecoderPct float64
	// MemUsedBytes and MemTotalBytes are frame-buffer memory.
	MemUsedBytes, MemTotalBytes uint64
	// PowerWatts is the board power draw.
	PowerWatts float64
	// EnergyMillijoules is the energy counter since the driver loaded.
	EnergyMillijoules uint64
	// SMClockMHz, MemClockMHz and VideoClockMHz are current clocks.
	SMClockMHz, MemClockMHz, VideoClockMHz float64
	// TemperatureC is the GPU core temperature in degrees Celsius.
	TemperatureC float64
}

// Has reports whether s holds every field in m.
func (s Sample) Has(m Metrics) bool { return s.Have&m == m }

// Summary condenses the samples of one device over a stage.
type Summary struct {
	Device  int
	Samples int
	// Duration is the time from the first sample to the last.
	Duration time.Duration
	// Means and peaks of the percentages; NaN where no sample had them.
	MeanUtilPct, PeakUtilPct       float64
	MeanEncoderPct, PeakEncoderPct float64
	MeanDecoderPct, PeakDecoderPct float64
	// PeakMemUsedBytes is the most frame-buffer memory in use.
	PeakMemUsedBytes uint64
	// MeanPowerWatts is the mean of the power readings; NaN without.
	MeanPowerWatts float64
	// EnergyJoules is the energy used between the first and the last
	// sample; NaN when neither the counter nor power was read.
	EnergyJoules float64
	// EnergyFromCounter is set when EnergyJoules comes from the energy
	// counter rather than from integrating power.
	EnergyFromCounter bool
	// MeanSMClockMHz is the mean SM clock; NaN without clocks.
	MeanSMClockMHz float64
	// PeakTemperatureC is the highest temperature; NaN without.
	PeakTemperatureC float64
}

// Summarize condenses the samples of device dev, taken in time order.
func Summarize(samples []Sample, dev int) Summary {
	var ss []Sample
	for _, s := range samples {
		if s.Device == dev {
			ss = append(ss, s)
		}
	}
	sum := Summary{Device: dev, Samples: len(ss)}
	if len(ss) == 0 {
		nan := math.NaN()
		sum.MeanUtilPct, sum.PeakUtilPct = nan, nan
		sum.MeanEncoderPct, sum.PeakEncoderPct = nan, nan
		sum.MeanDecoderPct, sum.PeakDecoderPct = nan, nan
		sum.MeanPowerWatts, sum.EnergyJoules = nan, nan
		sum.MeanSMClockMHz, sum.PeakTemperatureC = nan, nan
		return sum
	}
	first, last := ss[0], ss[len(ss)-1]
	sum.Duration = last.Time.Sub(first.Time)
	sum.MeanUtilPct, sum.PeakUtilPct = stat(ss, MetricUtil,
		func(s Sample) float64 { return s.UtilPct })
	sum.MeanEncoderPct, sum.PeakEncoderPct = stat(ss, MetricEncoder,
		func(s Sample) float64 { return s.EncoderPct })
	sum.MeanDecoderPct, sum.PeakDecoderPct = stat(ss, MetricDecoder,
		func(s Sample) float64 { return s.DecoderPct })
	sum.MeanPowerWatts, _ = stat(ss, MetricPower,
		func(s Sample) float64 { return s.PowerWatts })
	sum.MeanSMClockMHz, _ = stat(ss, MetricClocks,
		func(s Sample) float64 { return s.SMClockMHz })
	_, sum.PeakTemperatureC = stat(ss, MetricTemperature,
		func(s Sample) float64 { return s.TemperatureC })
	for _, s := range ss {
		if s.Has(MetricMemory) {
			sum.PeakMemUsedBytes = max(sum.PeakMemUsedBytes, s.MemUsedBytes)
		}
	}
	sum.EnergyJoules, sum.EnergyFromCounter = energy(ss)
	return sum
}

// stat returns the mean and the maximum of field over the samples that
// have metric m, or NaN, NaN when none has it.
func stat(ss []Sample, m Metrics, field func(Sample) float64) (mean, peak float64) {
	n, total, peak := 0, 0.0, math.Inf(-1)
	for _, s := range ss {
		if s.Has(m) {
			v := field(s)
			n++
			total += v
			peak = max(peak, v)
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	return total / float64(n), peak
}

// energy is the counter difference between the first and last samples
// when both have it and it did not go back (a driver reload resets it);
// otherwise power integrated by the trapezoid rule.
func energy(ss []Sample) (joules float64, fromCounter bool) {
	first, last := ss[0], ss[len(ss)-1]
	if len(ss) > 1 && first.Has(MetricEnergy) && last.Has(MetricEnergy) &&
		last.EnergyMillijoules >= first.EnergyMillijoules {
		return float64(last.EnergyMillijoules-first.EnergyMillijoules) / 1000, true
	}
	var prev *Sample
	j, any := 0.0, false
	for i := range ss {
		s := &ss[i]
		if !s.Has(MetricPower) {
			continue
		}
		if prev != nil {
			dt := s.Time.Sub(prev.Time).Seconds()
			j += dt * (s.PowerWatts + prev.PowerWatts) / 2
		}
		prev, any = s, true
	}
	if !any {
		return math.NaN(), false
	}
	return j, false
}
