package scalability

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

// Work is what one second of media costs to process with a profile and
// what it writes. Figures carry their source: a measured record when the
// run has one, else an assumption (source config).
type Work struct {
	Profile string
	// FrameRate (frames/s) and SourceHeight (pixels) describe the
	// sources; both are assumptions.
	FrameRate    float64
	SourceHeight int
	// CPUPath is the vCPU-seconds per media second of the whole profile
	// on CPUs: decode, the x264 ladder, audio, thumbnail and packaging.
	CPUPath Figure
	// Decode, Audio, Thumbnail and Package are the vCPU-seconds per media
	// second of the stages besides the encode ladder.
	Decode, Audio, Thumbnail, Package Figure
	// EncodeFrames is the ladder in 1080p H.264 frames per media second:
	// each rung's frames weighted by its pixels and codec cost.
	EncodeFrames float64
	// NVENCEngineFPS is the speed of one NVENC engine on this ladder's
	// presets, 1080p H.264 frames per second.
	NVENCEngineFPS Figure
	// DecodeFrames is the source in 1080p frames per media second.
	DecodeFrames float64
	// NVDECEngineFPS is the speed of one NVDEC engine, 1080p frames/s.
	NVDECEngineFPS Figure
	// OutputBytes is the bytes of every rung per media second;
	// TopRungBytes those of the highest rung alone (the YouTube upload).
	OutputBytes  Figure
	TopRungBytes Figure
	// SourceBytes is the retained source per media second (from
	// workload.source_mbps).
	SourceBytes Figure
	// MeanLengthSeconds and LengthSCV are the mean and squared
	// coefficient of variation of the capped video length.
	MeanLengthSeconds float64
	LengthSCV         float64
	// Notes records the choices made (preset fallbacks and the like).
	Notes []string
}

// x264Presets are the presets with a measured speed, fastest first; any
// other preset uses the nearest slower one here (conservative), and
// presets slower than the last use the last (optimistic, noted).
var x264Order = []string{"ultrafast", "superfast", "veryfast", "faster", "fast",
	"medium", "slow", "slower", "veryslow", "placebo"}

var x264Measured = []string{"ultrafast", "veryfast", "medium"}

// nvencPreset maps an x264 preset (or an NVENC p1-p7) to the NVENC
// preset of FACTS.md's table: an assumption of like quality.
func nvencPreset(preset string) string {
	switch p := strings.ToLower(preset); p {
	case "ultrafast", "superfast", "p1", "p2":
		return "P1"
	case "veryfast", "faster", "fast", "p3", "p4":
		return "P3"
	}
	return "P5"
}

// pixels returns width x height of a 16:9 frame of height h (the width
// rounded down to even, as the reference inputs do).
func pixels(h int) float64 { return float64(h*16/9/2*2) * float64(h) }

// NewWork builds the work of cfg's default profile from measurements,
// falling back to the assumptions.
func NewWork(cfg *targets.Config, m Measurements, a *Assumptions) (Work, error) {
	prof, ok := cfg.Processing.Profile(cfg.Processing.DefaultProfile)
	if !ok {
		return Work{}, fmt.Errorf("work: no profile %q", cfg.Processing.DefaultProfile)
	}
	w := Work{
		Profile:      prof.Name,
		FrameRate:    a.value("video/frame-rate"),
		SourceHeight: int(a.value("video/source-height")),
		Decode:       a.figure("cpu/decode"),
		Audio:        a.figure("cpu/audio"),
		Thumbnail:    a.figure("cpu/thumbnail"),
		Package:      a.figure("cpu/package"),
	}
	ref := pixels(1080)
	srcRatio := pixels(w.SourceHeight) / ref

	// The ladder on CPUs (x264) and on NVENC, rung by rung.
	x264PerMedia, engineSeconds, bytesPerMedia := 0.0, 0.0, 0.0
	top := slices.MaxFunc(prof.Ladder, func(a, b targets.Rung) int { return a.Height - b.Height })
	topBytes := 0.0
	hard := a.value("content/hard-share")
	for _, r := range prof.Ladder {
		ratio := pixels(r.Height) / ref
		frames := w.FrameRate * ratio

		preset := w.x264Preset(r.Preset)
		perFrame := a.value("x264/measured-vcpus") *
			((1-hard)/a.value("x264/"+preset+"/easy-fps") + hard/a.value("x264/"+preset+"/hard-fps"))
		x264PerMedia += frames * perFrame * w.codecFactor(a, r.Codec, "cpu")

		nvFrames := frames * w.codecFactor(a, r.Codec, "nvenc")
		w.EncodeFrames += nvFrames
		engineSeconds += nvFrames / a.value("nvenc/"+nvencPreset(r.Preset)+"-fps")

		mbps := a.value("bitrate/1080p-mbps")*math.Pow(ratio, a.value("bitrate/pixel-exponent")) +
			a.value("bitrate/audio-mbps")
		bytesPerMedia += mbps * 1e6 / 8
		if r == top {
			topBytes = mbps * 1e6 / 8
		}
	}
	w.NVENCEngineFPS = Figure{Value: w.EncodeFrames / engineSeconds, Source: record.Config,
		From: "assumption nvenc/<preset>-fps (FACTS.md, Ada H.264 1080p); presets mapped " +
			"from x264 by like quality (assumption)"}
	w.DecodeFrames = w.FrameRate * srcRatio
	w.NVDECEngineFPS = a.figure("nvdec/fps")

	// CPU path: measured whole-profile CPU time, else the model.
	aux := w.Decode.Value*srcRatio + w.Audio.Value + w.Thumbnail.Value + w.Package.Value
	if f, ok := pick(m.CPUSecondsPerMediaSecond[prof.Name], w.SourceHeight, 0); ok {
		w.CPUPath = f
	} else {
		w.CPUPath = Figure{Value: x264PerMedia + aux, Source: record.Config,
			From: fmt.Sprintf("model: x264 ladder %.3f (assumptions x264/<preset>/*-fps, "+
				"content/hard-share %.2f) + decode, audio, thumbnail, package %.3f",
				x264PerMedia, hard, aux)}
	}

	// Output bytes: measured ladder, else the bitrate model.
	w.OutputBytes = Figure{Value: bytesPerMedia, Source: record.Config,
		From: "model: assumptions bitrate/1080p-mbps, bitrate/pixel-exponent, " +
			"bitrate/audio-mbps over the ladder"}
	if f, ok := pick(m.OutputBytesPerMediaSecond[prof.Name], w.SourceHeight, 0); ok {
		w.OutputBytes = f
	}
	w.TopRungBytes = Figure{Value: topBytes, Source: record.Config,
		From: fmt.Sprintf("model: %dp rung of the bitrate model", top.Height)}
	if f, ok := pick(m.OutputBytesPerMediaSecond[prof.Name], w.SourceHeight, top.Height); ok {
		w.TopRungBytes = f
	} else if w.OutputBytes.Source != record.Config {
		// Scale the measured ladder by the model's share of the top rung.
		w.TopRungBytes = Figure{Value: w.OutputBytes.Value * topBytes / bytesPerMedia,
			Source: record.ModeledFromMeasured,
			From:   w.OutputBytes.From + ", times the bitrate model's top-rung share"}
	}
	w.SourceBytes = Figure{Value: cfg.Workload.SourceMbps * 1e6 / 8, Source: record.Config,
		From: "config workload.source_mbps"}

	w.MeanLengthSeconds, w.LengthSCV = lengthMoments(cfg.Workload.VideoLength)
	return w, nil
}

// x264Preset returns the measured preset whose speed stands for p.
func (w *Work) x264Preset(p string) string {
	p = strings.ToLower(p)
	i := slices.Index(x264Order, p)
	if i < 0 {
		w.note("x264 preset %q unknown: costed as medium", p)
		return "medium"
	}
	for _, q := range x264Order[i:] {
		if slices.Contains(x264Measured, q) {
			if q != p {
				w.note("x264 preset %s has no measured speed: costed as %s (slower, "+
					"conservative)", p, q)
			}
			return q
		}
	}
	w.note("x264 preset %s is slower than any measured: costed as medium (optimistic)", p)
	return "medium"
}

// codecFactor is the cost of a codec relative to H.264 on engine "cpu"
// or "nvenc".
func (w *Work) codecFactor(a *Assumptions, codec, engine string) float64 {
	if codec == "h264" {
		return 1
	}
	name := "codec/" + codec + "/" + engine + "-factor"
	if f, ok := a.Get(name); ok {
		return f.Value
	}
	w.note("no %s: %s costed as h264", name, codec)
	return 1
}

func (w *Work) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !slices.Contains(w.Notes, s) {
		w.Notes = append(w.Notes, s)
	}
}

// lengthMoments returns the mean (seconds) and squared coefficient of
// variation of min(X, Max). For a lognormal with mu = ln(median),
// E[min(X,m)^k] = e^(k mu + k^2 s^2/2) Phi((ln m - mu - k s^2)/s)
// + m^k (1 - Phi((ln m - mu)/s)).
func lengthMoments(d targets.LengthDistribution) (mean, scv float64) {
	med, m := d.Median.Seconds(), d.Max.Seconds()
	if d.Distribution != "lognormal" || d.Sigma <= 0 {
		return math.Min(med, m), 0
	}
	mu, s := math.Log(med), d.Sigma
	lm := math.Log(m)
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	moment := func(k float64) float64 {
		return math.Exp(k*mu+k*k*s*s/2)*phi((lm-mu-k*s*s)/s) + math.Pow(m, k)*(1-phi((lm-mu)/s))
	}
	m1, m2 := moment(1), moment(2)
	return m1, m2/(m1*m1) - 1
}

// PerVideo scales a per-media-second figure to one mean video.
func (w Work) PerVideo(perMediaSecond float64) float64 {
	return perMediaSecond * w.MeanLengthSeconds
}
