package pipeline

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
)

// Kind is what a stage does.
type Kind string

// Stage kinds, in the order of a plan.
const (
	Decode        Kind = "decode"
	LoudnessScan  Kind = "loudness-scan"
	LoudnessApply Kind = "loudness"
	AudioCopy     Kind = "audio"
	Encode        Kind = "encode"
	Thumbnail     Kind = "thumbnail"
	Package       Kind = "package"
)

// Stage is one step of a plan.
type Stage struct {
	// Name is unique in the plan: "decode", "loudness-scan", "loudness",
	// "audio", "encode-1080p-h264", "thumbnail", "package-mp4",
	// "package-hls".
	Name string
	Kind Kind
	// Rung is the ladder rung of an encode stage.
	Rung targets.Rung
	// Outputs are the files or directories the stage writes; their
	// bytes are its OutputBytes.
	Outputs []string
}

// RungLabel names a rung in stage and record names: "1080p-h264".
func RungLabel(r targets.Rung) string {
	return fmt.Sprintf("%dp-%s", r.Height, r.Codec)
}

// Options tune a plan.
type Options struct {
	// Threads pins the encoders' threads (x264 -threads, x265 pools,
	// SVT-AV1 lp) so that output bytes are reproducible on one machine;
	// 0 means runtime.NumCPU().
	Threads int
	// LoudnessLUFS is the integrated loudness target in LUFS; 0 means -16,
	// the usual target for online video.
	LoudnessLUFS float64
	// ThumbnailHeight is the height of the thumbnail in pixels; 0 means
	// 720 (or the source height when smaller).
	ThumbnailHeight int
	// HLSSegment is the HLS segment length; 0 means 4s. Keyframes are
	// forced every 2s in every rung.
	HLSSegment time.Duration
	// Accel moves encode stages onto an NVIDIA GPU; CPU by default.
	Accel Accel
}

// Accel is where the encode stages decode and encode.
type Accel string

// Accelerations. NVDEC suits cards without encoders (A100, H100, H200):
// the GPU decodes, the CPU scales and encodes.
const (
	CPU   Accel = ""      // decode and encode on the CPU
	NVDEC Accel = "nvdec" // decode on the GPU (-hwaccel cuda), encode on the CPU
	NVENC Accel = "nvenc" // decode and encode on the GPU (h264_nvenc, ...)
)

// Plan is the list of stages that process one source with one profile,
// writing under Dir.
type Plan struct {
	Profile targets.Profile
	Source  string
	Media   ffmpeg.Media
	Dir     string
	Stages  []Stage
	// Skipped lists the rungs left out because they are taller than the
	// source.
	Skipped []targets.Rung

	opts  Options
	video ffmpeg.Stream
	audio bool
	rungs []rungOutput
	// loud is the measurement of the loudness scan, set when it runs.
	loud *loudness
}

type rungOutput struct {
	rung targets.Rung
	file string
}

// NewPlan builds the plan that processes source (probed as media) with
// profile prof, writing its outputs under dir.
func NewPlan(prof targets.Profile, source string, media ffmpeg.Media,
	dir string, opts Options) (*Plan, error) {
	v, ok := media.Video()
	if !ok {
		return nil, fmt.Errorf("plan %s for %s: source has no video stream",
			prof.Name, source)
	}
	if media.Duration <= 0 {
		return nil, fmt.Errorf("plan %s for %s: source has no duration",
			prof.Name, source)
	}
	opts = withDefaults(opts)
	_, hasAudio := media.Audio()
	p := &Plan{Profile: prof, Source: source, Media: media, Dir: dir,
		opts: opts, video: v, audio: hasAudio}

	if prof.Decode {
		p.add(Stage{Name: string(Decode), Kind: Decode})
	}
	if hasAudio {
		if prof.Loudness {
			p.add(Stage{Name: string(LoudnessScan), Kind: LoudnessScan})
			p.add(Stage{Name: string(LoudnessApply), Kind: LoudnessApply,
				Outputs: []string{p.audioFile()}})
		} else {
			p.add(Stage{Name: string(AudioCopy), Kind: AudioCopy,
				Outputs: []string{p.audioFile()}})
		}
	}
	for _, r := range prof.Ladder {
		if r.Height > v.Height {
			p.Skipped = append(p.Skipped, r)
			continue
		}
		out := filepath.Join(dir, "rung-"+RungLabel(r)+".mp4")
		p.rungs = append(p.rungs, rungOutput{r, out})
		p.add(Stage{Name: "encode-" + RungLabel(r), Kind: Encode, Rung: r,
			Outputs: []string{out}})
	}
	if len(p.rungs) == 0 {
		return nil, fmt.Errorf("plan %s for %s: every rung is taller "+
			"than the %dp source", prof.Name, source, v.Height)
	}
	if prof.Thumbnail {
		p.add(Stage{Name: string(Thumbnail), Kind: Thumbnail,
			Outputs: []string{filepath.Join(dir, "thumbnail.jpg")}})
	}
	p.add(Stage{Name: "package-" + prof.Package, Kind: Package,
		Outputs: []string{filepath.Join(dir, "package")}})
	return p, nil
}

func withDefaults(o Options) Options {
	if o.Threads <= 0 {
		o.Threads = runtime.NumCPU()
	}
	if o.LoudnessLUFS == 0 {
		o.LoudnessLUFS = -16
	}
	if o.ThumbnailHeight <= 0 {
		o.ThumbnailHeight = 720
	}
	if o.HLSSegment <= 0 {
		o.HLSSegment = 4 * time.Second
	}
	return o
}

func (p *Plan) add(s Stage) { p.Stages = append(p.Stages, s) }

func (p *Plan) audioFile() string { return filepath.Join(p.Dir, "audio.m4a") }

// Threads is the pinned encoder thread count of the plan.
func (p *Plan) Threads() int { return p.opts.Threads }

// StageIndex returns the index of the stage called name, or -1.
func (p *Plan) StageIndex(name string) int {
	for i, s := range p.Stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// PackageFiles returns the published rendition files or playlists:
// one MP4 per rung, or the HLS master playlist.
func (p *Plan) PackageFiles() []string {
	dir := filepath.Join(p.Dir, "package")
	if p.Profile.Package == "hls" {
		return []string{filepath.Join(dir, "master.m3u8")}
	}
	var fs []string
	for _, r := range p.rungs {
		fs = append(fs, filepath.Join(dir, RungLabel(r.rung)+".mp4"))
	}
	return fs
}

// seconds formats d for ffmpeg, in seconds with millisecond precision.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
