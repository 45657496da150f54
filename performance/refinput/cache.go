package refinput

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// EnvCache names the environment variable that overrides the cache
// directory.
const EnvCache = "SCALETEST_CACHE"

// recipeVersion changes whenever the meaning of a recipe changes in a way
// its arguments do not show.
const recipeVersion = "refinput/v1"

// DefaultDir returns the cache directory: $SCALETEST_CACHE when set, else
// scaletest/inputs under os.UserCacheDir.
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvCache); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find cache dir (set %s): %w", EnvCache, err)
	}
	return filepath.Join(d, "scaletest", "inputs"), nil
}

// Cache makes reference inputs once and keeps them. A file's name holds
// the hash of its recipe (the arguments, the recipe version and the
// ffmpeg version), so a changed recipe or ffmpeg makes a new file and
// never reuses a stale one. Several processes may share a Cache: each
// writes to a temporary file and renames it into place.
type Cache struct {
	// Dir is where inputs are kept; DefaultDir when empty.
	Dir string
	// FFmpeg is the ffmpeg executable; "ffmpeg" from PATH when empty.
	FFmpeg string

	version string
}

// Info describes a cached input; it is also written beside the video as
// <name>.json.
type Info struct {
	Name        string   `json:"name"`
	Kind        Kind     `json:"kind"`
	Description string   `json:"description"`
	Width       int      `json:"width"`
	Height      int      `json:"height"`
	FPS         int      `json:"fps"`
	Seconds     float64  `json:"seconds"`
	SourceMbps  float64  `json:"source_mbps"`
	Seed        int64    `json:"seed"`
	FFmpeg      string   `json:"ffmpeg"`
	Args        []string `json:"args"`
	Hash        string   `json:"hash"`
	// Path is the video file.
	Path string `json:"-"`
}

// Path returns the file of in, generating it first when the cache does
// not hold it yet.
func (c *Cache) Path(ctx context.Context, in Input) (Info, error) {
	if err := in.Validate(); err != nil {
		return Info{}, err
	}
	info, err := c.info(ctx, in)
	if err != nil {
		return Info{}, err
	}
	if _, err := os.Stat(info.Path); err == nil {
		return info, nil
	}
	if err := c.generate(ctx, info); err != nil {
		return Info{}, fmt.Errorf("generate input %s: %w", in.Name(), err)
	}
	return info, nil
}

// info computes where in lives and what describes it.
func (c *Cache) info(ctx context.Context, in Input) (Info, error) {
	dir := c.Dir
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return Info{}, err
		}
		dir = d
	}
	version, err := c.ffmpegVersion(ctx)
	if err != nil {
		return Info{}, err
	}
	args := in.Args()
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", recipeVersion, version,
		strings.Join(args, "\x00"))
	hash := hex.EncodeToString(h.Sum(nil))[:16]
	return Info{
		Name: in.Name(), Kind: in.Kind, Description: in.Kind.Describe(),
		Width: in.Width(), Height: in.Height, FPS: in.FPS,
		Seconds: in.Seconds(), SourceMbps: in.SourceMbps, Seed: in.Seed,
		FFmpeg: version, Args: args, Hash: hash,
		Path: filepath.Join(dir, in.Name()+"-"+hash+".mp4"),
	}, nil
}

// ffmpegVersion returns the first line of `ffmpeg -version` up to its
// copyright notice: "ffmpeg version 5.1.9-0+deb12u1".
func (c *Cache) ffmpegVersion(ctx context.Context) (string, error) {
	if c.version != "" {
		return c.version, nil
	}
	out, err := exec.CommandContext(ctx, c.ffmpeg(), "-version").Output()
	if err != nil {
		return "", fmt.Errorf("ffmpeg -version: %w", err)
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	line, _, _ = bytes.Cut(line, []byte(" Copyright"))
	c.version = strings.TrimSpace(string(line))
	return c.version, nil
}

func (c *Cache) ffmpeg() string {
	if c.FFmpeg != "" {
		return c.FFmpeg
	}
	return "ffmpeg"
}

// generate runs the recipe into a temporary file and renames it, and its
// description, into place.
func (c *Cache) generate(ctx context.Context, info Info) error {
	dir := filepath.Dir(info.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create cache dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, info.Name+"-*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone after the rename; cleanup otherwise

	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-y"}, info.Args...)
	cmd := exec.CommandContext(ctx, c.ffmpeg(), append(args, tmp.Name())...)
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ffmpeg: %w: %s", err,
			strings.TrimSpace(stderr.String()))
	}

	desc, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("describe input: %w", err)
	}
	jsonPath := strings.TrimSuffix(info.Path, ".mp4") + ".json"
	if err := os.WriteFile(jsonPath, append(desc, '\n'), 0o644); err != nil {
		return fmt.Errorf("write description: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("make input readable: %w", err)
	}
	if err := os.Rename(tmp.Name(), info.Path); err != nil {
		return fmt.Errorf("move input into place: %w", err)
	}
	return nil
}

// limited keeps the first n bytes written to it and drops the rest.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return len(p), nil
	}
	q := p
	if len(q) > l.n {
		q = q[:l.n]
	}
	_, err := l.w.Write(q)
	l.n -= len(q)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}
