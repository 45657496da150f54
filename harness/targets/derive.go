package targets

import (
	"math"
	"slices"
	"time"
)

// Derived holds the figures every model computes from the configuration
// alone. It is the one place they are computed.
type Derived struct {
	VideosPerDay float64
	// MeanVideosPerSecond is the month's average arrival rate.
	MeanVideosPerSecond float64
	// PeakFactor is the busiest hour of the busiest weekday over the mean:
	// max(hourly)/mean(hourly) * max(weekly)/mean(weekly).
	PeakFactor float64
	// PeakVideosPerSecond is the arrival rate in the busiest hour.
	PeakVideosPerSecond float64
	// BurstVideosPerSecond is the peak rate times the burst factor.
	BurstVideosPerSecond float64
	// MeanVideoLength is the mean of the length distribution after the
	// cap at Max.
	MeanVideoLength time.Duration
	// MediaSecondsPerDay is the video seconds arriving per day.
	MediaSecondsPerDay float64
	// SourceBytesPerSecondOfMedia is the source bitrate in bytes per media
	// second.
	SourceBytesPerSecondOfMedia float64
	// SourceBytesPerDay is the bytes of sources arriving per day.
	SourceBytesPerDay float64
	// PeakSourceBitsPerSecond is the ingress bandwidth of sources in the
	// busiest hour, bit/s.
	PeakSourceBitsPerSecond float64
}

// Derive computes the shared figures. The configuration must be valid.
func (c *Config) Derive() Derived {
	var d Derived
	v := c.Targets.Volume
	d.VideosPerDay = v.VideosPerMonth / v.DaysPerMonth
	d.MeanVideosPerSecond = d.VideosPerDay / 86400
	d.PeakFactor = peakOverMean(c.Workload.HourlyShape) *
		peakOverMean(c.Workload.WeeklyShape)
	d.PeakVideosPerSecond = d.MeanVideosPerSecond * d.PeakFactor
	d.BurstVideosPerSecond = d.PeakVideosPerSecond * c.Workload.Burst.Factor
	mean := c.Workload.VideoLength.Mean()
	d.MeanVideoLength = mean
	d.MediaSecondsPerDay = d.VideosPerDay * mean.Seconds()
	d.SourceBytesPerSecondOfMedia = c.Workload.SourceMbps * 1e6 / 8
	d.SourceBytesPerDay = d.MediaSecondsPerDay * d.SourceBytesPerSecondOfMedia
	d.PeakSourceBitsPerSecond = d.PeakVideosPerSecond * mean.Seconds() *
		c.Workload.SourceMbps * 1e6
	return d
}

func peakOverMean(s []float64) float64 {
	if len(s) == 0 {
		return 1
	}
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	return slices.Max(s) / (sum / float64(len(s)))
}

// Mean returns the mean video length, min(X, Max) for the distribution X.
// For a lognormal with mu = ln(median):
//
//	E[min(X,m)] = e^(mu+s^2/2) Phi((ln m - mu - s^2)/s) + m (1 - Phi((ln m - mu)/s))
func (d LengthDistribution) Mean() time.Duration {
	med := d.Median.Seconds()
	if d.Distribution != "lognormal" || d.Sigma <= 0 {
		return time.Duration(min(med, d.Max.Seconds()) * float64(time.Second))
	}
	mu, s, m := math.Log(med), d.Sigma, d.Max.Seconds()
	lm := math.Log(m)
	e := math.Exp(mu+s*s/2)*phi((lm-mu-s*s)/s) + m*(1-phi((lm-mu)/s))
	return time.Duration(e * float64(time.Second))
}

// Quantile returns the q-quantile (0 < q < 1) of the capped length.
func (d LengthDistribution) Quantile(q float64) time.Duration {
	med := d.Median.Seconds()
	x := med
	if d.Distribution == "lognormal" {
		x = math.Exp(math.Log(med) + d.Sigma*math.Sqrt2*math.Erfinv(2*q-1))
	}
	return time.Duration(min(x, d.Max.Seconds()) * float64(time.Second))
}

// phi is the standard normal cumulative distribution function.
func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
