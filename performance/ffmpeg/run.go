package ffmpeg

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Runner runs ffmpeg. The zero value uses ffmpeg and ffprobe from PATH.
type Runner struct {
	// FFmpeg and FFprobe are the executables; "ffmpeg" and "ffprobe"
	// when empty.
	FFmpeg, FFprobe string
	// LogLevel is ffmpeg's -loglevel; "error" when empty. Stages that
	// read ffmpeg's log (loudness analysis) set "info".
	LogLevel string
}

// Progress is one progress report of a running ffmpeg.
type Progress struct {
	// Out is how much media has been written (out_time_us).
	Out time.Duration
	// Frame is the number of video frames written so far.
	Frame int64
	// Speed is ffmpeg's own speed figure, media seconds per wall second
	// (0 when ffmpeg reports N/A).
	Speed float64
	// Done is set on the last report (progress=end).
	Done bool
}

// Usage is what one ffmpeg run cost.
type Usage struct {
	// Wall is the time from start to exit.
	Wall time.Duration
	// User and System are the child's CPU times from its rusage.
	User, System time.Duration
	// Log is the tail of ffmpeg's standard error (at most LogLimit
	// bytes).
	Log string
}

// CPU is the child's total CPU time, user plus system.
func (u Usage) CPU() time.Duration { return u.User + u.System }

// LogLimit is how many bytes of ffmpeg's standard error a Usage keeps.
const LogLimit = 16 << 10

func (r *Runner) ffmpeg() string {
	if r.FFmpeg != "" {
		return r.FFmpeg
	}
	return "ffmpeg"
}

func (r *Runner) logLevel() string {
	if r.LogLevel != "" {
		return r.LogLevel
	}
	return "error"
}

// Run runs ffmpeg with args (inputs, filters, outputs; -y is added) and
// calls onProgress, when not nil, from Run's goroutine for each progress
// block, about every half second. An exit status other than zero is an
// error that quotes the end of ffmpeg's log.
func (r *Runner) Run(ctx context.Context, args []string,
	onProgress func(Progress)) (Usage, error) {
	full := append([]string{"-hide_banner", "-nostdin", "-nostats",
		"-loglevel", r.logLevel(), "-progress", "pipe:1",
		"-stats_period", "0.5", "-y"}, args...)
	cmd := command(ctx, r.ffmpeg(), full)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Usage{}, fmt.Errorf("ffmpeg stdout: %w", err)
	}
	var tail tailBuffer
	cmd.Stderr = &tail

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Usage{}, fmt.Errorf("start ffmpeg: %w", err)
	}
	perr := parseProgress(stdout, onProgress)
	if perr != nil {
		// Keep the pipe empty so that ffmpeg cannot block on it.
		io.Copy(io.Discard, stdout)
	}
	werr := cmd.Wait()
	u := usage(cmd, time.Since(start), tail.String())
	if werr != nil {
		return u, fmt.Errorf("ffmpeg %s: %w: %s", summary(args), werr,
			lastLines(u.Log, 5))
	}
	if perr != nil {
		return u, fmt.Errorf("ffmpeg progress: %w", perr)
	}
	return u, nil
}

// Bare runs ffmpeg with args as a person would, with no progress pipe,
// and measures it the same way as Run.
func (r *Runner) Bare(ctx context.Context, args []string) (Usage, error) {
	full := append([]string{"-hide_banner", "-nostdin", "-nostats",
		"-loglevel", r.logLevel(), "-y"}, args...)
	cmd := command(ctx, r.ffmpeg(), full)
	var tail tailBuffer
	cmd.Stderr = &tail
	start := time.Now()
	err := cmd.Run()
	u := usage(cmd, time.Since(start), tail.String())
	if err != nil {
		return u, fmt.Errorf("ffmpeg %s: %w: %s", summary(args), err,
			lastLines(u.Log, 5))
	}
	return u, nil
}

// command builds the child process: killed with the context, and with
// the parent on Linux.
func command(ctx context.Context, name string, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = procAttr()
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func usage(cmd *exec.Cmd, wall time.Duration, log string) Usage {
	u := Usage{Wall: wall, Log: log}
	if ps := cmd.ProcessState; ps != nil {
		u.User, u.System = ps.UserTime(), ps.SystemTime()
	}
	return u
}

// parseProgress reads ffmpeg's -progress output: key=value lines, each
// block ended by progress=continue or progress=end.
func parseProgress(r io.Reader, onProgress func(Progress)) error {
	s := bufio.NewScanner(r)
	var p Progress
	for s.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(s.Text()), "=")
		if !ok {
			continue
		}
		switch k {
		case "out_time_us":
			if us, err := strconv.ParseInt(v, 10, 64); err == nil && us >= 0 {
				p.Out = time.Duration(us) * time.Microsecond
			}
		case "frame":
			if f, err := strconv.ParseInt(v, 10, 64); err == nil {
				p.Frame = f
			}
		case "speed":
			sp, err := strconv.ParseFloat(strings.TrimSuffix(v, "x"), 64)
			if err != nil {
				sp = 0
			}
			p.Speed = sp
		case "progress":
			p.Done = v == "end"
			if onProgress != nil {
				onProgress(p)
			}
		}
	}
	return s.Err()
}

// summary names a command by its outputs for error messages.
func summary(args []string) string {
	if len(args) == 0 {
		return "(no arguments)"
	}
	return strconv.Quote(args[len(args)-1])
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}

// tailBuffer keeps the last LogLimit bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - LogLimit; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(bytes.ToValidUTF8(t.b, nil)) }
