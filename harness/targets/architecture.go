package targets

import "fmt"

// Architecture is the platform declared to meet the targets.
type Architecture struct {
	GPUPools []GPUPool         `yaml:"gpu_pools"`
	CPUPools []CPUPool         `yaml:"cpu_pools"`
	Storage  StorageTier       `yaml:"storage"`
	Network  NetworkTier       `yaml:"network"`
	Database DatabaseTier      `yaml:"database"`
	YouTube  YouTubeDeployment `yaml:"youtube"`
}

// GPUPool is a set of identical GPU cards with one role.
type GPUPool struct {
	Name string `yaml:"name"`
	// Card is the card model ("A100", "H100", "L4", ...); what it can do
	// is data in the scalability package.
	Card  string `yaml:"card"`
	Count int    `yaml:"count"`
	// Role is "encode", "decode" or "ai".
	Role string `yaml:"role"`
	// SpotFraction is the share of the pool on interruptible capacity.
	SpotFraction float64 `yaml:"spot_fraction"`
}

// CPUPool is a set of identical CPU nodes with one role.
type CPUPool struct {
	Name         string `yaml:"name"`
	Instance     string `yaml:"instance"`
	VCPUsPerNode int    `yaml:"vcpus_per_node"`
	Nodes        int    `yaml:"nodes"`
	// Role is "encode", "package" or "general".
	Role         string  `yaml:"role"`
	SpotFraction float64 `yaml:"spot_fraction"`
}

// StorageTier is the object store for sources and renditions.
type StorageTier struct {
	// WriteGbps is the sustained write bandwidth, gigabits per second.
	WriteGbps float64 `yaml:"write_gbps"`
	// CapacityPB is the usable capacity in petabytes (10^15 bytes).
	CapacityPB float64 `yaml:"capacity_pb"`
}

// NetworkTier lists the platform's network links.
type NetworkTier struct {
	Links []Link `yaml:"links"`
}

// Link is one network link; rates in gigabits per second.
type Link struct {
	Name      string  `yaml:"name"`
	Gbps      float64 `yaml:"gbps"`
	BurstGbps float64 `yaml:"burst_gbps"`
	// Direction is "in" (sources arriving) or "out" (uploads, delivery).
	Direction string `yaml:"direction"`
}

// DatabaseTier is the number of database and cache servers.
type DatabaseTier struct {
	Postgres DBCluster `yaml:"postgres"`
	Redis    DBCluster `yaml:"redis"`
	Neo4j    DBCluster `yaml:"neo4j"`
}

// DBCluster is a database deployment.
type DBCluster struct {
	Instances      int `yaml:"instances"`
	MaxConnections int `yaml:"max_connections"`
}

// YouTubeDeployment is the API projects and channels that upload.
type YouTubeDeployment struct {
	// QuotaModel names the dated cost table in force, such as
	// "2026-06-01" (see youtubeapi).
	QuotaModel string           `yaml:"quota_model"`
	Projects   []YouTubeProject `yaml:"projects"`
}

// YouTubeProject is one Google Cloud project of the API client, with its
// daily quota.
type YouTubeProject struct {
	ID string `yaml:"id"`
	// UploadCallsPerDay is the videos.insert bucket, calls per day.
	UploadCallsPerDay int `yaml:"upload_calls_per_day"`
	// GeneralUnitsPerDay is the shared bucket, quota units per day.
	GeneralUnitsPerDay int       `yaml:"general_units_per_day"`
	Channels           []Channel `yaml:"channels"`
}

// Channel is a YouTube channel that videos are published to.
type Channel struct {
	ID string `yaml:"id"`
	// UploadsPerDay is the channel's rolling 24-hour upload cap as far as
	// it is known; the scheduler also learns it from errors.
	UploadsPerDay int  `yaml:"uploads_per_day"`
	Verified      bool `yaml:"verified"`
}

func (a *Architecture) validate(p *problems) {
	names := map[string]bool{}
	unique := func(path, name string) {
		if name == "" {
			p.add(path, "must not be empty")
		} else if names[name] {
			p.add(path, "duplicate pool name %q", name)
		}
		names[name] = true
	}
	for i, g := range a.GPUPools {
		path := fmt.Sprintf("architecture.gpu_pools[%d]", i)
		unique(path+".name", g.Name)
		if g.Card == "" {
			p.add(path+".card", "must name a card model")
		}
		if g.Count < 0 {
			p.add(path+".count", "must be at least 0, got %d", g.Count)
		}
		p.oneOf(path+".role", g.Role, "encode", "decode", "ai")
		p.fraction(path+".spot_fraction", g.SpotFraction)
	}
	for i, c := range a.CPUPools {
		path := fmt.Sprintf("architecture.cpu_pools[%d]", i)
		unique(path+".name", c.Name)
		if c.VCPUsPerNode <= 0 {
			p.add(path+".vcpus_per_node", "must be above 0, got %d", c.VCPUsPerNode)
		}
		if c.Nodes < 0 {
			p.add(path+".nodes", "must be at least 0, got %d", c.Nodes)
		}
		p.oneOf(path+".role", c.Role, "encode", "package", "general")
		p.fraction(path+".spot_fraction", c.SpotFraction)
	}
	p.nonNegative("architecture.storage.write_gbps", a.Storage.WriteGbps)
	p.nonNegative("architecture.storage.capacity_pb", a.Storage.CapacityPB)
	for i, l := range a.Network.Links {
		path := fmt.Sprintf("architecture.network.links[%d]", i)
		if l.Name == "" {
			p.add(path+".name", "must not be empty")
		}
		p.positive(path+".gbps", l.Gbps)
		if l.BurstGbps < l.Gbps {
			p.add(path+".burst_gbps", "must be at least gbps (%v), got %v", l.Gbps, l.BurstGbps)
		}
		p.oneOf(path+".direction", l.Direction, "in", "out")
	}
	for _, d := range []struct {
		name string
		db   DBCluster
	}{{"postgres", a.Database.Postgres}, {"redis", a.Database.Redis}, {"neo4j", a.Database.Neo4j}} {
		path, db := "architecture.database."+d.name, d.db
		if db.Instances < 0 {
			p.add(path+".instances", "must be at least 0, got %d", db.Instances)
		}
		if db.MaxConnections < 0 {
			p.add(path+".max_connections", "must be at least 0, got %d", db.MaxConnections)
		}
	}
	a.YouTube.validate(p)
}

func (y *YouTubeDeployment) validate(p *problems) {
	if y.QuotaModel == "" {
		p.add("architecture.youtube.quota_model", "must name a quota model")
	}
	ids := map[string]bool{}
	for i, pr := range y.Projects {
		path := fmt.Sprintf("architecture.youtube.projects[%d]", i)
		if pr.ID == "" {
			p.add(path+".id", "must not be empty")
		}
		if pr.UploadCallsPerDay < 0 {
			p.add(path+".upload_calls_per_day", "must be at least 0, got %d",
				pr.UploadCallsPerDay)
		}
		if pr.GeneralUnitsPerDay < 0 {
			p.add(path+".general_units_per_day", "must be at least 0, got %d",
				pr.GeneralUnitsPerDay)
		}
		for j, c := range pr.Channels {
			cp := fmt.Sprintf("%s.channels[%d]", path, j)
			if c.ID == "" {
				p.add(cp+".id", "must not be empty")
			} else if ids[c.ID] {
				p.add(cp+".id", "duplicate channel %q", c.ID)
			}
			ids[c.ID] = true
			if c.UploadsPerDay < 0 {
				p.add(cp+".uploads_per_day", "must be at least 0, got %d", c.UploadsPerDay)
			}
		}
	}
}
