package ffmpeg

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Media describes a media file as ffprobe sees it.
type Media struct {
	// Duration is the container's duration (format.duration).
	Duration time.Duration
	// SizeBytes is the file size in bytes.
	SizeBytes int64
	Streams   []Stream
}

// Stream is one stream of a media file.
type Stream struct {
	// Type is "video", "audio" or another ffprobe codec_type.
	Type  string
	Codec string
	// Width and Height are in pixels (video only).
	Width, Height int
	// FPS is the average frame rate in frames per second (video only).
	FPS float64
	// SampleRate is in hertz (audio only).
	SampleRate int
}

// Video returns the first video stream.
func (m Media) Video() (Stream, bool) { return m.first("video") }

// Audio returns the first audio stream.
func (m Media) Audio() (Stream, bool) { return m.first("audio") }

func (m Media) first(typ string) (Stream, bool) {
	for _, s := range m.Streams {
		if s.Type == typ {
			return s, true
		}
	}
	return Stream{}, false
}

// Probe reads path's format and streams with ffprobe. A file that
// ffprobe cannot read is an error.
func (r *Runner) Probe(ctx context.Context, path string) (Media, error) {
	probe := r.FFprobe
	if probe == "" {
		probe = "ffprobe"
	}
	cmd := command(ctx, probe, []string{"-v", "error", "-print_format",
		"json", "-show_format", "-show_streams", path})
	var tail tailBuffer
	cmd.Stderr = &tail
	out, err := cmd.Output()
	if err != nil {
		return Media{}, fmt.Errorf("ffprobe %s: %w: %s", path, err,
			lastLines(tail.String(), 3))
	}
	return parseProbe(out)
}

type probeJSON struct {
	Format struct {
		Duration string `json:"duration"`
		Size     string `json:"size"`
	} `json:"format"`
	Streams []struct {
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		AvgFrameRate string `json:"avg_frame_rate"`
		SampleRate   string `json:"sample_rate"`
	} `json:"streams"`
}

func parseProbe(data []byte) (Media, error) {
	var pj probeJSON
	if err := json.Unmarshal(data, &pj); err != nil {
		return Media{}, fmt.Errorf("parse ffprobe output: %w", err)
	}
	var m Media
	if d, err := strconv.ParseFloat(pj.Format.Duration, 64); err == nil {
		m.Duration = time.Duration(d * float64(time.Second))
	}
	m.SizeBytes, _ = strconv.ParseInt(pj.Format.Size, 10, 64)
	for _, s := range pj.Streams {
		st := Stream{Type: s.CodecType, Codec: s.CodecName,
			Width: s.Width, Height: s.Height, FPS: rate(s.AvgFrameRate)}
		st.SampleRate, _ = strconv.Atoi(s.SampleRate)
		m.Streams = append(m.Streams, st)
	}
	if len(m.Streams) == 0 {
		return m, fmt.Errorf("ffprobe found no streams")
	}
	return m, nil
}

// rate parses a rational frame rate such as "30000/1001".
func rate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0
	}
	if !ok {
		return n
	}
	d, err := strconv.ParseFloat(den, 64)
	if err != nil || d == 0 {
		return 0
	}
	return n / d
}

// Version returns the first line of `ffmpeg -version`.
func (r *Runner) Version(ctx context.Context) (string, error) {
	out, err := command(ctx, r.ffmpeg(), []string{"-version"}).Output()
	if err != nil {
		return "", fmt.Errorf("ffmpeg -version: %w", err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line), nil
}
