package ffmpeg

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProgress(t *testing.T) {
	out := strings.Join([]string{
		"frame=12", "fps=0.00", "out_time_us=400000", "out_time_ms=400000",
		"speed=0.8x", "progress=continue",
		"frame=30", "out_time_us=1000000", "speed=N/A", "progress=end", "",
	}, "\n")
	var got []Progress
	require.NoError(t, parseProgress(strings.NewReader(out),
		func(p Progress) { got = append(got, p) }))
	want := []Progress{
		{Out: 400 * time.Millisecond, Frame: 12, Speed: 0.8},
		{Out: time.Second, Frame: 30, Speed: 0, Done: true},
	}
	assert.Equal(t, want, got)
}

func TestRate(t *testing.T) {
	for in, want := range map[string]float64{"30/1": 30, "30000/1001": 29.97002997002997,
		"25": 25, "0/0": 0, "x": 0} {
		assert.InDeltaf(t, want, rate(in), 1e-9, "rate(%q)", in)
	}
}

func TestParseProbe(t *testing.T) {
	m, err := parseProbe([]byte(`{"streams":[
		{"codec_type":"video","codec_name":"h264","width":1920,"height":1080,
		 "avg_frame_rate":"60/1"},
		{"codec_type":"audio","codec_name":"aac","sample_rate":"48000",
		 "avg_frame_rate":"0/0"}],
		"format":{"duration":"2.000000","size":"123456"}}`))
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, m.Duration)
	assert.Equal(t, int64(123456), m.SizeBytes)
	v, ok := m.Video()
	require.True(t, ok)
	assert.Equal(t, Stream{Type: "video", Codec: "h264", Width: 1920,
		Height: 1080, FPS: 60}, v)
	a, ok := m.Audio()
	require.True(t, ok)
	assert.Equal(t, 48000, a.SampleRate)

	_, err = parseProbe([]byte(`{"streams":[],"format":{}}`))
	assert.Error(t, err)
}

func TestTailBuffer(t *testing.T) {
	var tb tailBuffer
	tb.Write([]byte(strings.Repeat("a", LogLimit)))
	tb.Write([]byte("end"))
	s := tb.String()
	assert.Len(t, s, LogLimit)
	assert.True(t, strings.HasSuffix(s, "aend"))
}

func requireFFmpeg(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found in PATH: install ffmpeg (Debian: "+
				"apt-get install ffmpeg)", tool)
		}
	}
}

// lavfi is a one-second test clip encoded to out.
func lavfi(out string, seconds string) []string {
	return []string{"-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
		"-t", seconds, "-c:v", "libx264", "-preset", "ultrafast",
		"-threads", "1", "-f", "mp4", out}
}

func TestRunAndBare(t *testing.T) {
	requireFFmpeg(t)
	var r Runner
	dir := t.TempDir()
	var ps []Progress
	u, err := r.Run(t.Context(), lavfi(filepath.Join(dir, "a.mp4"), "1"),
		func(p Progress) { ps = append(ps, p) })
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	last := ps[len(ps)-1]
	assert.True(t, last.Done, "last progress %+v; want Done", last)
	assert.InDelta(t, 1.0, last.Out.Seconds(), 0.05)
	assert.Equal(t, int64(30), last.Frame)
	assert.Positive(t, u.Wall)
	assert.Positive(t, u.CPU(), "CPU time from rusage")

	m, err := r.Probe(t.Context(), filepath.Join(dir, "a.mp4"))
	require.NoError(t, err)
	assert.InDelta(t, 1.0, m.Duration.Seconds(), 0.05)

	u, err = r.Bare(t.Context(), lavfi(filepath.Join(dir, "b.mp4"), "1"))
	require.NoError(t, err)
	assert.Positive(t, u.Wall)

	v, err := r.Version(t.Context())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(v, "ffmpeg version"), v)
}

func TestRunErrors(t *testing.T) {
	requireFFmpeg(t)
	var r Runner
	_, err := r.Run(t.Context(), []string{"-i", "/does/not/exist.mp4",
		"-f", "null", "-"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exist.mp4")

	_, err = r.Probe(t.Context(), "/does/not/exist.mp4")
	assert.Error(t, err)

	r.FFmpeg = filepath.Join(t.TempDir(), "no-ffmpeg")
	_, err = r.Run(t.Context(), lavfi("x.mp4", "1"), nil)
	assert.ErrorContains(t, err, "start ffmpeg")
}

// Cancelling the context stops a long encode at once.
func TestRunCancel(t *testing.T) {
	requireFFmpeg(t)
	var r Runner
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// -re paces reading at real time: 60 s unless cancelled.
	args := append([]string{"-re"}, lavfi(filepath.Join(t.TempDir(),
		"c.mp4"), "60")...)
	u, err := r.Run(ctx, args, func(Progress) { cancel() })
	require.Error(t, err)
	assert.Less(t, u.Wall, 30*time.Second, "ran on after cancel")
}
