package targets

import "time"

// Targets are the Key Targets of DESIGN.md; each one is decided by a
// different part of the suite.
type Targets struct {
	Volume      VolumeTarget      `yaml:"volume"`
	Speed       SpeedTarget       `yaml:"speed"`
	Cluster     ClusterTarget     `yaml:"cluster"`
	Storage     StorageTarget     `yaml:"storage"`
	Network     NetworkTarget     `yaml:"network"`
	Cost        CostTarget        `yaml:"cost"`
	Reliability ReliabilityTarget `yaml:"reliability"`
	YouTube     YouTubeTarget     `yaml:"youtube"`
}

// VolumeTarget is the number of videos to publish and how fast.
type VolumeTarget struct {
	VideosPerMonth float64 `yaml:"videos_per_month"`
	DaysPerMonth   float64 `yaml:"days_per_month"`
	// PublishP99 is the 99th percentile of the time from upload to
	// published that the month must meet.
	PublishP99 time.Duration `yaml:"publish_p99"`
}

// SpeedTarget bounds processing speed as a real-time factor.
type SpeedTarget struct {
	// MaxRTF is the highest allowed processing seconds per media second
	// (RTF = processing time / media duration; below 1 is faster than
	// playback).
	MaxRTF float64 `yaml:"max_rtf"`
}

// ClusterTarget is the size of the GPU fleet the platform plans for.
type ClusterTarget struct {
	MinGPUs int `yaml:"min_gpus"`
	// SpareFraction is the share of capacity held back for failures
	// (the k of N+k, as a fraction of N).
	SpareFraction float64 `yaml:"spare_fraction"`
}

// StorageTarget bounds new storage per day, in terabytes (10^12 bytes).
type StorageTarget struct {
	MaxTBPerDay float64 `yaml:"max_tb_per_day"`
}

// NetworkTarget is the bandwidth the links must carry, in gigabits per
// second (10^9 bit/s).
type NetworkTarget struct {
	SustainedGbps float64 `yaml:"sustained_gbps"`
	BurstGbps     float64 `yaml:"burst_gbps"`
}

// CostTarget bounds the all-in cost of one published video, in US dollars.
type CostTarget struct {
	MaxUSDPerVideo float64 `yaml:"max_usd_per_video"`
}

// ReliabilityTarget is availability under peak load and lost work.
type ReliabilityTarget struct {
	// Availability is the share of operations that must succeed within
	// their deadline, 0 to 1.
	Availability float64 `yaml:"availability"`
	MaxLostJobs  int     `yaml:"max_lost_jobs"`
}

// YouTubeTarget is the number of uploads to YouTube per day.
type YouTubeTarget struct {
	UploadsPerDay float64 `yaml:"uploads_per_day"`
}

func (t *Targets) validate(p *problems) {
	p.positive("targets.volume.videos_per_month", t.Volume.VideosPerMonth)
	p.positive("targets.volume.days_per_month", t.Volume.DaysPerMonth)
	if t.Volume.DaysPerMonth > 31 {
		p.add("targets.volume.days_per_month", "must be at most 31, got %v",
			t.Volume.DaysPerMonth)
	}
	if t.Volume.PublishP99 <= 0 {
		p.add("targets.volume.publish_p99", "must be a positive duration, got %v",
			t.Volume.PublishP99)
	}
	p.positive("targets.speed.max_rtf", t.Speed.MaxRTF)
	if t.Cluster.MinGPUs < 0 {
		p.add("targets.cluster.min_gpus", "must be at least 0, got %d", t.Cluster.MinGPUs)
	}
	p.fraction("targets.cluster.spare_fraction", t.Cluster.SpareFraction)
	p.positive("targets.storage.max_tb_per_day", t.Storage.MaxTBPerDay)
	p.positive("targets.network.sustained_gbps", t.Network.SustainedGbps)
	p.positive("targets.network.burst_gbps", t.Network.BurstGbps)
	if t.Network.BurstGbps < t.Network.SustainedGbps {
		p.add("targets.network.burst_gbps", "must be at least sustained_gbps (%v), got %v",
			t.Network.SustainedGbps, t.Network.BurstGbps)
	}
	p.positive("targets.cost.max_usd_per_video", t.Cost.MaxUSDPerVideo)
	if !(t.Reliability.Availability > 0 && t.Reliability.Availability <= 1) {
		p.add("targets.reliability.availability", "must be above 0 and at most 1, got %v",
			t.Reliability.Availability)
	}
	if t.Reliability.MaxLostJobs < 0 {
		p.add("targets.reliability.max_lost_jobs", "must be at least 0, got %d",
			t.Reliability.MaxLostJobs)
	}
	p.nonNegative("targets.youtube.uploads_per_day", t.YouTube.UploadsPerDay)
}
