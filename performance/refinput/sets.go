package refinput

import (
	"time"

	"github.com/scaletest/scaletest/harness/targets"
)

// Seed is the seed of every input in the sets below.
const Seed = 1

// Heights and Rates are the frame heights (pixels) and frame rates
// (frames per second) of the full catalog.
var (
	Heights = []int{720, 1080, 1440}
	Rates   = []int{30, 60}
)

// Catalog returns every kind at every height and rate: 24 inputs of
// length clip and source bitrate sourceMbps (megabits per second).
func Catalog(clip time.Duration, sourceMbps float64) []Input {
	var ins []Input
	for _, k := range Kinds {
		for _, h := range Heights {
			for _, r := range Rates {
				ins = append(ins, Input{Kind: k, Height: h, FPS: r,
					Duration: clip, SourceMbps: sourceMbps, Seed: Seed})
			}
		}
	}
	return ins
}

// ForScale returns the inputs that scale sc processes, with the clip
// length and source bitrate of cfg, by the set the scale names (its
// inputs setting in scale.yaml):
//   - pair: a 1080p30 code screen and a 1080p30 talking head, the
//     easiest common case and the hardest;
//   - standard: every kind at 1080p30, plus the code screen at 720p30 and
//     1440p60 and the talking head at 1080p60;
//   - catalog: the whole Catalog.
func ForScale(sc targets.Scale, cfg *targets.Config) []Input {
	set := cfg.Scales.For(sc)
	clip := set.Clip
	mbps := cfg.Workload.SourceMbps
	in := func(k Kind, h, fps int) Input {
		return Input{Kind: k, Height: h, FPS: fps, Duration: clip,
			SourceMbps: mbps, Seed: Seed}
	}
	switch set.Inputs {
	case "pair":
		return []Input{in(Code, 1080, 30), in(TalkingHead, 1080, 30)}
	case "catalog":
		return Catalog(clip, mbps)
	}
	ins := make([]Input, 0, len(Kinds)+3)
	for _, k := range Kinds {
		ins = append(ins, in(k, 1080, 30))
	}
	return append(ins, in(Code, 720, 30), in(Code, 1440, 60),
		in(TalkingHead, 1080, 60))
}
