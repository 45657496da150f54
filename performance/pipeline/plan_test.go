package pipeline

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
)

func rung(h int, codec string) targets.Rung {
	return targets.Rung{Height: h, Codec: codec, Preset: "veryfast", CRF: 23}
}

// media is a probed source of the given height, with or without audio.
func media(height int, audio bool) ffmpeg.Media {
	m := ffmpeg.Media{Duration: 2 * time.Second, Streams: []ffmpeg.Stream{
		{Type: "video", Codec: "h264", Width: height * 16 / 9, Height: height, FPS: 30},
	}}
	if audio {
		m.Streams = append(m.Streams, ffmpeg.Stream{Type: "audio", Codec: "aac"})
	}
	return m
}

func stageNames(p *Plan) []string {
	var s []string
	for _, st := range p.Stages {
		s = append(s, st.Name)
	}
	return s
}

func TestNewPlanStages(t *testing.T) {
	ladder := []targets.Rung{rung(1080, "h264"), rung(720, "h264"), rung(480, "h264")}
	tests := []struct {
		name    string
		prof    targets.Profile
		m       ffmpeg.Media
		want    []string
		skipped int
	}{
		{"standard", targets.Profile{Name: "p", Decode: true, Ladder: ladder,
			Thumbnail: true, Loudness: true, Package: "mp4"}, media(1080, true),
			[]string{"decode", "loudness-scan", "loudness", "encode-1080p-h264",
				"encode-720p-h264", "encode-480p-h264", "thumbnail", "package-mp4"}, 0},
		{"hls without loudness, thumbnail or decode", targets.Profile{Name: "p",
			Ladder: ladder, Package: "hls"}, media(1080, true),
			[]string{"audio", "encode-1080p-h264", "encode-720p-h264",
				"encode-480p-h264", "package-hls"}, 0},
		{"720p source skips the 1080p rung", targets.Profile{Name: "p",
			Ladder: ladder, Loudness: true, Package: "mp4"}, media(720, true),
			[]string{"loudness-scan", "loudness", "encode-720p-h264",
				"encode-480p-h264", "package-mp4"}, 1},
		{"silent source", targets.Profile{Name: "p", Ladder: ladder[2:],
			Loudness: true, Package: "mp4"}, media(720, false),
			[]string{"encode-480p-h264", "package-mp4"}, 0},
		{"one height, two codecs", targets.Profile{Name: "p",
			Ladder:  []targets.Rung{rung(720, "h264"), rung(720, "av1")},
			Package: "mp4"}, media(720, false),
			[]string{"encode-720p-h264", "encode-720p-av1", "package-mp4"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(tt.prof, "src.mp4", tt.m, "/out", Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, stageNames(p))
			assert.Len(t, p.Skipped, tt.skipped)
		})
	}
}

func TestNewPlanErrors(t *testing.T) {
	prof := targets.Profile{Name: "p", Ladder: []targets.Rung{rung(1080, "h264")},
		Package: "mp4"}
	_, err := NewPlan(prof, "src.mp4", media(720, true), "/out", Options{})
	assert.ErrorContains(t, err, "taller")
	_, err = NewPlan(prof, "src.mp4", ffmpeg.Media{Duration: time.Second},
		"/out", Options{})
	assert.ErrorContains(t, err, "no video")
	m := media(1080, false)
	m.Duration = 0
	_, err = NewPlan(prof, "src.mp4", m, "/out", Options{})
	assert.ErrorContains(t, err, "no duration")
}

// argValue returns the value after flag in args.
func argValue(args []string, flag string) string {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return ""
	}
	return args[i+1]
}

func TestEncodeArgs(t *testing.T) {
	tests := []struct {
		name    string
		r       targets.Rung
		accel   Accel
		encoder string
		threads string // flag=value that pins threads, "" for none
		hwaccel bool
	}{
		{"x264", rung(720, "h264"), CPU, "libx264", "-threads=3", false},
		{"x265", rung(720, "hevc"), CPU, "libx265", "-x265-params=log-level=error:pools=3", false},
		{"svt-av1", rung(720, "av1"), CPU, "libsvtav1", "-svtav1-params=lp=3", false},
		{"nvdec then x264", rung(720, "h264"), NVDEC, "libx264", "-threads=3", true},
		{"nvenc", rung(720, "h264"), NVENC, "h264_nvenc", "", true},
		{"nvenc av1", rung(720, "av1"), NVENC, "av1_nvenc", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := targets.Profile{Name: "p", Ladder: []targets.Rung{tt.r},
				Package: "mp4"}
			p, err := NewPlan(prof, "src.mp4", media(1080, false), "/out",
				Options{Threads: 3, Accel: tt.accel})
			require.NoError(t, err)
			args, err := p.Args(p.StageIndex("encode-" + RungLabel(tt.r)))
			require.NoError(t, err)
			assert.Equal(t, tt.encoder, argValue(args, "-c:v"))
			assert.Equal(t, "scale=-2:720", argValue(args, "-vf"))
			if tt.threads != "" {
				flag, val, _ := strings.Cut(tt.threads, "=")
				assert.Equal(t, val, argValue(args, flag))
			}
			assert.Equal(t, tt.hwaccel, argValue(args, "-hwaccel") == "cuda")
			assert.Equal(t, "/out/rung-"+RungLabel(tt.r)+".mp4", args[len(args)-1])
		})
	}
}

func TestSVTPreset(t *testing.T) {
	for in, want := range map[string]string{"veryfast": "10", "medium": "6",
		"7": "7", "unheard-of": "8"} {
		assert.Equalf(t, want, svtPreset(in), "svtPreset(%q)", in)
	}
}

func TestLoudnessNeedsScan(t *testing.T) {
	prof := targets.Profile{Name: "p", Ladder: []targets.Rung{rung(480, "h264")},
		Loudness: true, Package: "mp4"}
	p, err := NewPlan(prof, "src.mp4", media(480, true), "/out", Options{})
	require.NoError(t, err)
	_, err = p.Args(p.StageIndex("loudness"))
	assert.ErrorContains(t, err, "needs loudness-scan")
	_, err = p.Args(len(p.Stages))
	assert.Error(t, err)
}

func TestParseLoudnorm(t *testing.T) {
	log := `[Parsed_loudnorm_0 @ 0x1]
{
	"input_i" : "-23.39",
	"input_tp" : "-15.15",
	"input_lra" : "3.00",
	"input_thresh" : "-35.66",
	"output_i" : "-15.47",
	"target_offset" : "-0.53"
}`
	l, err := parseLoudnorm(log)
	require.NoError(t, err)
	assert.Equal(t, loudness{I: -23.39, TP: -15.15, LRA: 3, Thresh: -35.66,
		Offset: -0.53}, *l)
	assert.Equal(t, "measured_I=-23.39:measured_TP=-15.15:measured_LRA=3.00:"+
		"measured_thresh=-35.66:offset=-0.53", l.filterArgs())

	_, err = parseLoudnorm(strings.ReplaceAll(log, `"-23.39"`, `"-inf"`))
	assert.ErrorIs(t, err, errSilent)
	_, err = parseLoudnorm("no json here")
	assert.Error(t, err)
}

func TestMeasurement(t *testing.T) {
	m := Measurement{Wall: 3 * time.Second, CPU: 6 * time.Second,
		Media: 2 * time.Second, OutputBytes: 1000}
	assert.InDelta(t, 1.5, m.RTF(), 1e-12)
	assert.InDelta(t, 1/1.5, m.Speed(), 1e-12)
	assert.InDelta(t, 3, m.CPUPerMediaSecond(), 1e-12)
	assert.InDelta(t, 500, m.BytesPerMediaSecond(), 1e-12)
	// 3 CPU s per media s, 300 s videos: 900 CPU s a video, 4 an hour.
	assert.InDelta(t, 4, m.VideosPerHourPerCore(300*time.Second), 1e-12)
}
