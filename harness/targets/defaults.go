package targets

import "time"

// Default returns the configuration of the repository's scale.yaml: the
// Key Targets of DailyDoco Pro and the architecture it declared. A file
// that leaves a key out keeps the value here. Each call returns a new
// value that the caller may change.
func Default() *Config {
	return &Config{
		Version: 1,
		Targets: Targets{
			Volume: VolumeTarget{
				VideosPerMonth: 10_000_000,
				DaysPerMonth:   30,
				PublishP99:     4 * time.Hour,
			},
			Speed:       SpeedTarget{MaxRTF: 2.0},
			Cluster:     ClusterTarget{MinGPUs: 1000, SpareFraction: 0.05},
			Storage:     StorageTarget{MaxTBPerDay: 50},
			Network:     NetworkTarget{SustainedGbps: 10, BurstGbps: 100},
			Cost:        CostTarget{MaxUSDPerVideo: 0.10},
			Reliability: ReliabilityTarget{Availability: 0.999, MaxLostJobs: 0},
			YouTube:     YouTubeTarget{UploadsPerDay: 333_333},
		},
		Workload: Workload{
			VideoLength: LengthDistribution{
				Distribution: "lognormal",
				Median:       3 * time.Minute,
				Sigma:        1.0,
				Max:          2 * time.Hour,
			},
			SourceMbps:    8,
			RetentionDays: 90,
			HourlyShape: []float64{
				0.50, 0.42, 0.40, 0.38, 0.40, 0.50, 0.70, 0.95,
				1.20, 1.40, 1.55, 1.62, 1.65, 1.60, 1.55, 1.45,
				1.35, 1.25, 1.10, 1.00, 0.85, 0.80, 0.70, 0.70,
			},
			WeeklyShape: []float64{1.15, 1.15, 1.12, 1.10, 1.03, 0.70, 0.75},
			Burst:       Burst{Factor: 1.5, Minutes: 30},
		},
		Processing: Processing{
			Profiles: []Profile{{
				Name:   "standard",
				Decode: true,
				Ladder: []Rung{
					{Height: 1080, Codec: "h264", Preset: "veryfast", CRF: 23},
					{Height: 720, Codec: "h264", Preset: "veryfast", CRF: 23},
					{Height: 480, Codec: "h264", Preset: "veryfast", CRF: 25},
				},
				Thumbnail: true,
				Loudness:  true,
				Package:   "mp4",
			}},
			DefaultProfile: "standard",
		},
		Architecture: Architecture{
			GPUPools: []GPUPool{{
				Name: "gpu-fleet", Card: "A100", Count: 1000, Role: "encode",
			}},
			CPUPools: []CPUPool{{
				Name: "cpu-workers", Instance: "c7i.8xlarge", VCPUsPerNode: 32,
				Nodes: 100, Role: "package",
			}},
			Storage: StorageTier{WriteGbps: 40, CapacityPB: 10},
			Network: NetworkTier{Links: []Link{
				{Name: "ingress", Gbps: 10, BurstGbps: 100, Direction: "in"},
				{Name: "egress", Gbps: 10, BurstGbps: 100, Direction: "out"},
			}},
			Database: DatabaseTier{
				Postgres: DBCluster{Instances: 2, MaxConnections: 500},
				Redis:    DBCluster{Instances: 3},
				Neo4j:    DBCluster{Instances: 1},
			},
			YouTube: YouTubeDeployment{
				QuotaModel: "2026-06-01",
				Projects: []YouTubeProject{{
					ID:                 "dailydoco-prod",
					UploadCallsPerDay:  100,
					GeneralUnitsPerDay: 10_000,
					Channels: []Channel{
						{ID: "dailydoco-main", UploadsPerDay: 100, Verified: true},
					},
				}},
			},
		},
		Scales: Scales{
			Short: ScaleSettings{RateFraction: 0.0005, Duration: 5 * time.Second,
				Clip: 2 * time.Second, SimFraction: 0.01, Inputs: "pair"},
			Local: ScaleSettings{RateFraction: 0.002, Duration: 15 * time.Second,
				Clip: 6 * time.Second, SimFraction: 0.1, Inputs: "standard"},
			Full: ScaleSettings{RateFraction: 0.01, Duration: 20 * time.Second,
				Clip: 10 * time.Second, SimFraction: 1.0, Inputs: "standard"},
		},
	}
}
