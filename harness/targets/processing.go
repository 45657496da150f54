package targets

import "fmt"

// Processing declares the stages that turn one source into what is
// published.
type Processing struct {
	Profiles       []Profile `yaml:"profiles"`
	DefaultProfile string    `yaml:"default_profile"`
}

// Profile is one way of processing a video: decode, an encode ladder,
// a thumbnail, loudness normalisation and packaging.
type Profile struct {
	Name      string `yaml:"name"`
	Decode    bool   `yaml:"decode"`
	Ladder    []Rung `yaml:"ladder"`
	Thumbnail bool   `yaml:"thumbnail"`
	Loudness  bool   `yaml:"loudness"`
	// Package is the container of the outputs: "mp4" or "hls".
	Package string `yaml:"package"`
}

// Rung is one output of the encode ladder.
type Rung struct {
	Height int `yaml:"height"` // pixels; width follows the 16:9 source
	// Codec is "h264", "hevc" or "av1".
	Codec  string `yaml:"codec"`
	Preset string `yaml:"preset"`
	// CRF is the constant-rate quality factor (lower is better quality).
	CRF int `yaml:"crf"`
}

// Profile returns the profile called name.
func (p *Processing) Profile(name string) (Profile, bool) {
	for _, pr := range p.Profiles {
		if pr.Name == name {
			return pr, true
		}
	}
	return Profile{}, false
}

func (pr *Processing) validate(p *problems) {
	if len(pr.Profiles) == 0 {
		p.add("processing.profiles", "must declare at least one profile")
	}
	seen := map[string]bool{}
	for i, f := range pr.Profiles {
		path := fmt.Sprintf("processing.profiles[%d]", i)
		if f.Name == "" {
			p.add(path+".name", "must not be empty")
		} else if seen[f.Name] {
			p.add(path+".name", "duplicate profile %q", f.Name)
		}
		seen[f.Name] = true
		if len(f.Ladder) == 0 {
			p.add(path+".ladder", "must hold at least one rung")
		}
		for j, r := range f.Ladder {
			rp := fmt.Sprintf("%s.ladder[%d]", path, j)
			if r.Height < 144 || r.Height > 4320 || r.Height%2 != 0 {
				p.add(rp+".height", "must be an even number of pixels from 144 to 4320, got %d",
					r.Height)
			}
			p.oneOf(rp+".codec", r.Codec, "h264", "hevc", "av1")
			if r.CRF < 0 || r.CRF > 63 {
				p.add(rp+".crf", "must be from 0 to 63, got %d", r.CRF)
			}
		}
		p.oneOf(path+".package", f.Package, "mp4", "hls")
	}
	if _, ok := pr.Profile(pr.DefaultProfile); !ok && len(pr.Profiles) > 0 {
		p.add("processing.default_profile", "names no declared profile: %q",
			pr.DefaultProfile)
	}
}
