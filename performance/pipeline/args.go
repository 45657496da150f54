package pipeline

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/scaletest/scaletest/harness/targets"
)

// bitexact keeps version strings and metadata out of outputs so that
// their bytes depend only on the pixels and the settings.
var bitexact = []string{"-map_metadata", "-1", "-fflags", "+bitexact",
	"-flags:v", "+bitexact", "-flags:a", "+bitexact"}

// Args returns the ffmpeg command line of stage i (without the options
// the Runner adds). The loudness stage needs the scan's measurement
// first: without it Args returns an error.
func (p *Plan) Args(i int) ([]string, error) {
	if i < 0 || i >= len(p.Stages) {
		return nil, fmt.Errorf("plan %s: no stage %d", p.Profile.Name, i)
	}
	s := p.Stages[i]
	in := []string{"-i", p.Source}
	switch s.Kind {
	case Decode:
		return append(in, "-map", "0", "-f", "null", "-"), nil
	case LoudnessScan:
		return append(in, "-map", "0:a:0", "-af",
			p.loudnormFilter()+":print_format=json", "-f", "null", "-"), nil
	case LoudnessApply:
		if p.loud == nil {
			return nil, fmt.Errorf("plan %s: stage %s needs %s first",
				p.Profile.Name, s.Name, LoudnessScan)
		}
		aac := []string{"-c:a", "aac", "-b:a", "128k", "-ar", "48000"}
		if p.loud.Silent {
			return p.audioArgs(in, aac...), nil
		}
		return p.audioArgs(in, append([]string{"-af", p.loudnormFilter() +
			":" + p.loud.filterArgs() + ":linear=true"}, aac...)...), nil
	case AudioCopy:
		return p.audioArgs(in, "-c:a", "copy"), nil
	case Encode:
		return p.encodeArgs(s), nil
	case Thumbnail:
		h := min(p.opts.ThumbnailHeight, p.video.Height)
		return []string{"-ss", seconds(p.Media.Duration / 3),
			"-i", p.Source, "-map", "0:v:0", "-frames:v", "1",
			"-vf", fmt.Sprintf("scale=-2:%d", h), "-q:v", "3",
			"-f", "image2", s.Outputs[0]}, nil
	case Package:
		return p.packageArgs(s), nil
	}
	return nil, fmt.Errorf("plan %s: stage %s: unknown kind %q",
		p.Profile.Name, s.Name, s.Kind)
}

func (p *Plan) loudnormFilter() string {
	return fmt.Sprintf("loudnorm=I=%g:TP=-1.5:LRA=11", p.opts.LoudnessLUFS)
}

func (p *Plan) audioArgs(in []string, codec ...string) []string {
	args := append(in, "-map", "0:a:0", "-vn")
	args = append(args, codec...)
	args = append(args, bitexact...)
	return append(args, "-f", "mp4", p.audioFile())
}

// encodeArgs decodes, scales to the rung height keeping the aspect
// ratio, and encodes with a keyframe every two seconds.
func (p *Plan) encodeArgs(s Stage) []string {
	r := s.Rung
	var args []string
	if p.opts.Accel != CPU {
		// Frames come back to system memory for the CPU scaler.
		args = append(args, "-hwaccel", "cuda")
	}
	args = append(args, "-i", p.Source, "-map", "0:v:0", "-an",
		"-vf", fmt.Sprintf("scale=-2:%d", r.Height),
		"-pix_fmt", "yuv420p",
		"-force_key_frames", "expr:gte(t,n_forced*2)")
	if p.opts.Accel == NVENC {
		args = append(args, nvencArgs(r)...)
	} else {
		args = append(args, codecArgs(r, p.opts.Threads)...)
	}
	args = append(args, bitexact...)
	return append(args, "-f", "mp4", s.Outputs[0])
}

// codecArgs selects the encoder of a rung with its threads pinned.
func codecArgs(r targets.Rung, threads int) []string {
	t := strconv.Itoa(threads)
	crf := strconv.Itoa(r.CRF)
	switch r.Codec {
	case "hevc":
		return []string{"-c:v", "libx265", "-preset", r.Preset,
			"-crf", crf, "-x265-params", "log-level=error:pools=" + t,
			"-tag:v", "hvc1"}
	case "av1":
		return []string{"-c:v", "libsvtav1", "-preset", svtPreset(r.Preset),
			"-crf", crf, "-svtav1-params", "lp=" + t}
	}
	return []string{"-c:v", "libx264", "-preset", r.Preset, "-crf", crf,
		"-threads", t}
}

// nvencArgs selects NVIDIA's encoder of a rung's codec at a middle
// preset (p4) in constant-quality mode at the rung's CRF.
func nvencArgs(r targets.Rung) []string {
	enc := map[string]string{"h264": "h264_nvenc", "hevc": "hevc_nvenc",
		"av1": "av1_nvenc"}[r.Codec]
	return []string{"-c:v", enc, "-preset", "p4", "-rc", "vbr",
		"-cq", strconv.Itoa(r.CRF), "-b:v", "0"}
}

// svtPreset maps an x264 preset name to the SVT-AV1 preset of about the
// same place on the speed scale (0 slowest, 13 fastest); a number passes
// through.
func svtPreset(name string) string {
	if _, err := strconv.Atoi(name); err == nil {
		return name
	}
	m := map[string]string{"ultrafast": "12", "superfast": "11",
		"veryfast": "10", "faster": "9", "fast": "8", "medium": "6",
		"slow": "4", "slower": "3", "veryslow": "2", "placebo": "1"}
	if v, ok := m[name]; ok {
		return v
	}
	return "8"
}

// packageArgs muxes every rung with the audio without re-encoding.
func (p *Plan) packageArgs(s Stage) []string {
	var args []string
	for _, r := range p.rungs {
		args = append(args, "-i", r.file)
	}
	audio := len(p.rungs)
	if p.audio {
		args = append(args, "-i", p.audioFile())
	}
	dir := s.Outputs[0]
	if p.Profile.Package == "hls" {
		return append(args, p.hlsArgs(dir, audio)...)
	}
	for i, r := range p.rungs {
		args = append(args, "-map", fmt.Sprintf("%d:v:0", i))
		if p.audio {
			args = append(args, "-map", fmt.Sprintf("%d:a:0", audio))
		}
		args = append(args, "-c", "copy", "-movflags", "+faststart")
		args = append(args, bitexact...)
		args = append(args, "-f", "mp4",
			filepath.Join(dir, RungLabel(r.rung)+".mp4"))
	}
	return args
}

func (p *Plan) hlsArgs(dir string, audio int) []string {
	var args []string
	var vmap string
	for i := range p.rungs {
		args = append(args, "-map", fmt.Sprintf("%d:v:0", i))
		if p.audio {
			args = append(args, "-map", fmt.Sprintf("%d:a:0", audio))
			vmap += fmt.Sprintf("v:%d,a:%d ", i, i)
		} else {
			vmap += fmt.Sprintf("v:%d ", i)
		}
	}
	return append(args, "-c", "copy", "-f", "hls",
		"-hls_time", seconds(p.opts.HLSSegment),
		"-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
		"-var_stream_map", vmap[:len(vmap)-1],
		"-master_pl_name", "master.m3u8",
		"-hls_fmp4_init_filename", "init.mp4",
		"-hls_segment_filename", filepath.Join(dir, "%v", "seg%d.m4s"),
		filepath.Join(dir, "%v", "index.m3u8"))
}
