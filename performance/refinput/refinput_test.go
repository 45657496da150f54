package refinput

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/targets"
)

func TestInputNames(t *testing.T) {
	tests := []struct {
		in    Input
		name  string
		width int
	}{
		{Input{Kind: Code, Height: 720, FPS: 30}, "code-720p30", 1280},
		{Input{Kind: TalkingHead, Height: 1080, FPS: 60}, "talking-head-1080p60", 1920},
		{Input{Kind: Slides, Height: 1440, FPS: 30}, "slides-1440p30", 2560},
		{Input{Kind: Terminal, Height: 144, FPS: 30}, "terminal-144p30", 256},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.name, tt.in.Name())
		assert.Equalf(t, tt.width, tt.in.Width(), "%s.Width()", tt.name)
	}
}

func TestValidate(t *testing.T) {
	ok := Input{Kind: Code, Height: 1080, FPS: 30, Duration: time.Second,
		SourceMbps: 8}
	require.NoError(t, ok.Validate())
	tests := []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"unknown kind", func(in *Input) { in.Kind = "cats" }, "unknown kind"},
		{"odd height", func(in *Input) { in.Height = 1000 }, "height"},
		{"no frame rate", func(in *Input) { in.FPS = 0 }, "fps"},
		{"too short", func(in *Input) { in.Duration = time.Millisecond }, "duration"},
		{"no bitrate", func(in *Input) { in.SourceMbps = 0 }, "bitrate"},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		err := in.Validate()
		if assert.Errorf(t, err, "Validate(%s)", tt.name) {
			assert.Contains(t, err.Error(), tt.want)
		}
	}
}

func TestForScale(t *testing.T) {
	cfg := targets.Default()
	cfg.Scales.Full.Inputs = "catalog"
	for sc, n := range map[targets.Scale]int{targets.ScaleShort: 2,
		targets.ScaleLocal: 7, targets.ScaleFull: 24} {
		ins := ForScale(sc, cfg)
		assert.Lenf(t, ins, n, "ForScale(%s)", sc)
		seen := map[string]bool{}
		for _, in := range ins {
			assert.NoError(t, in.Validate())
			assert.False(t, seen[in.Name()], "duplicate %s", in.Name())
			seen[in.Name()] = true
			assert.Equal(t, cfg.Scales.For(sc).Clip, in.Duration)
			assert.Equal(t, cfg.Workload.SourceMbps, in.SourceMbps)
		}
	}
}

// The recipe hash changes with anything that changes the pixels.
func TestCacheKey(t *testing.T) {
	c := &Cache{Dir: t.TempDir(), version: "ffmpeg version test"}
	in := Input{Kind: Code, Height: 720, FPS: 30, Duration: time.Second,
		SourceMbps: 8, Seed: 1}
	base, err := c.info(t.Context(), in)
	require.NoError(t, err)
	for name, edit := range map[string]func(*Input){
		"seed":     func(in *Input) { in.Seed = 2 },
		"duration": func(in *Input) { in.Duration = 2 * time.Second },
		"fps":      func(in *Input) { in.FPS = 60 },
		"bitrate":  func(in *Input) { in.SourceMbps = 4 },
	} {
		other := in
		edit(&other)
		info, err := c.info(t.Context(), other)
		require.NoError(t, err)
		assert.NotEqualf(t, base.Hash, info.Hash, "hash after changing %s", name)
	}
	c2 := &Cache{Dir: c.Dir, version: "ffmpeg version other"}
	info, err := c2.info(t.Context(), in)
	require.NoError(t, err)
	assert.NotEqual(t, base.Hash, info.Hash, "hash after changing ffmpeg")
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

func sha(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	h := sha256.New()
	_, err = io.Copy(h, f)
	require.NoError(t, err)
	return [32]byte(h.Sum(nil))
}

// Every kind generates, decodes with the asked size, rate and length,
// and the same recipe gives the same bytes in another cache.
func TestCacheGenerates(t *testing.T) {
	requireFFmpeg(t)
	a, b := &Cache{Dir: t.TempDir()}, &Cache{Dir: t.TempDir()}
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			in := Input{Kind: k, Height: 144, FPS: 30,
				Duration: 500 * time.Millisecond, SourceMbps: 1, Seed: 7}
			info, err := a.Path(t.Context(), in)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(info.Path, a.Dir))

			out, err := exec.CommandContext(t.Context(), "ffprobe", "-v",
				"error", "-show_entries", "stream=codec_type,width,height,"+
					"avg_frame_rate:format=duration", "-of", "json",
				info.Path).Output()
			require.NoError(t, err)
			var probe struct {
				Streams []struct {
					Type   string `json:"codec_type"`
					Width  int    `json:"width"`
					Height int    `json:"height"`
					Rate   string `json:"avg_frame_rate"`
				} `json:"streams"`
				Format struct {
					Duration string `json:"duration"`
				} `json:"format"`
			}
			require.NoError(t, json.Unmarshal(out, &probe))
			require.Len(t, probe.Streams, 2)
			assert.Equal(t, "video", probe.Streams[0].Type)
			assert.Equal(t, in.Width(), probe.Streams[0].Width)
			assert.Equal(t, in.Height, probe.Streams[0].Height)
			assert.Equal(t, "30/1", probe.Streams[0].Rate)
			assert.Equal(t, "audio", probe.Streams[1].Type)
			assert.Equal(t, "0.500000", probe.Format.Duration)

			desc, err := os.ReadFile(strings.TrimSuffix(info.Path, ".mp4") + ".json")
			require.NoError(t, err)
			var got Info
			require.NoError(t, json.Unmarshal(desc, &got))
			assert.Equal(t, k, got.Kind)
			assert.Equal(t, k.Describe(), got.Description)

			// Cached: the same file, not made again.
			st, err := os.Stat(info.Path)
			require.NoError(t, err)
			again, err := a.Path(t.Context(), in)
			require.NoError(t, err)
			st2, err := os.Stat(again.Path)
			require.NoError(t, err)
			assert.Equal(t, st.ModTime(), st2.ModTime())

			if k == TalkingHead { // every seeded source at once
				other, err := b.Path(t.Context(), in)
				require.NoError(t, err)
				assert.Equal(t, sha(t, info.Path), sha(t, other.Path),
					"same recipe, different bytes")
			}
		})
	}
}
