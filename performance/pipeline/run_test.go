package pipeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
)

// source makes a 3-second 360p clip with a quiet (-30 dBFS) tone.
func source(t *testing.T, r *ffmpeg.Runner) (string, ffmpeg.Media) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found in PATH: install ffmpeg (Debian: "+
				"apt-get install ffmpeg)", tool)
		}
	}
	path := filepath.Join(t.TempDir(), "src.mp4")
	_, err := r.Run(t.Context(), []string{
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-af", "volume=-30dB", "-t", "3",
		"-c:v", "libx264", "-preset", "ultrafast", "-threads", "1",
		"-c:a", "aac", "-f", "mp4", path}, nil)
	require.NoError(t, err)
	m, err := r.Probe(t.Context(), path)
	require.NoError(t, err)
	return path, m
}

// integratedLUFS measures a file's integrated loudness with ebur128.
func integratedLUFS(t *testing.T, path string) float64 {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "ffmpeg", "-hide_banner",
		"-nostats", "-i", path, "-af", "ebur128", "-f", "null", "-").CombinedOutput()
	require.NoError(t, err, "%s", out)
	m := regexp.MustCompile(`I:\s+(-?[0-9.]+) LUFS`).FindAllSubmatch(out, -1)
	require.NotEmpty(t, m, "no loudness in %s", out)
	v, err := strconv.ParseFloat(string(m[len(m)-1][1]), 64)
	require.NoError(t, err)
	return v
}

func TestRunProfile(t *testing.T) {
	r := &ffmpeg.Runner{}
	src, m := source(t, r)
	ladder := []targets.Rung{
		{Height: 360, Codec: "h264", Preset: "ultrafast", CRF: 28},
		{Height: 240, Codec: "h264", Preset: "ultrafast", CRF: 30},
	}
	for _, pkg := range []string{"mp4", "hls"} {
		t.Run(pkg, func(t *testing.T) {
			prof := targets.Profile{Name: "t", Decode: true, Ladder: ladder,
				Thumbnail: true, Loudness: true, Package: pkg}
			p, err := NewPlan(prof, src, m, t.TempDir(), Options{Threads: 1})
			require.NoError(t, err)
			progress := map[string]int{}
			res, err := p.Run(t.Context(), r, func(stage string, _ ffmpeg.Progress) {
				progress[stage]++
			})
			require.NoError(t, err)
			require.Len(t, res.Stages, len(p.Stages))

			var sum Measurement
			for i, s := range p.Stages {
				got := res.Stages[i]
				assert.Equal(t, s.Name, got.Stage)
				assert.Positivef(t, progress[s.Name], "progress of %s", s.Name)
				assert.Equal(t, m.Duration, got.Media)
				if len(s.Outputs) > 0 {
					assert.Positivef(t, got.OutputBytes, "bytes of %s", s.Name)
				}
				sum.Wall += got.Wall
			}
			assert.Equal(t, sum.Wall, res.Total.Wall)
			pkgStage, _ := res.Stage("package-" + pkg)
			thumb, _ := res.Stage("thumbnail")
			assert.Equal(t, pkgStage.OutputBytes+thumb.OutputBytes,
				res.Total.OutputBytes)

			for _, f := range p.PackageFiles() {
				out, err := r.Probe(t.Context(), f)
				require.NoErrorf(t, err, "published %s", f)
				assert.InDelta(t, m.Duration.Seconds(), out.Duration.Seconds(), 0.1)
				_, hasAudio := out.Audio()
				assert.True(t, hasAudio, "%s has no audio", f)
			}
			// Loudness: the quiet tone is brought near the -16 LUFS target.
			assert.InDelta(t, -16, integratedLUFS(t, p.Stages[p.StageIndex(
				"loudness")].Outputs[0]), 1.5)

			// Encodes are reproducible byte for byte with pinned threads.
			i := p.StageIndex("encode-240p-h264")
			first, err := os.ReadFile(p.Stages[i].Outputs[0])
			require.NoError(t, err)
			_, err = p.RunStage(t.Context(), r, i, nil)
			require.NoError(t, err)
			again, err := os.ReadFile(p.Stages[i].Outputs[0])
			require.NoError(t, err)
			assert.Equal(t, first, again, "re-encode changed the bytes")
		})
	}
}
