// Package ffmpeg runs ffmpeg and ffprobe as a video pipeline would and
// measures each run: wall time, CPU time of the child (user plus system,
// from its rusage) and progress.
//
// Runner.Run adds `-progress pipe:1` to the command, parses the key=value
// blocks ffmpeg writes there (out_time_us, frame, speed) and hands each
// block to a callback, so a long encode reports how far it is. Bare runs
// the same arguments without progress, the way a person would type them;
// the performance benchmarks compare the two to show that the harness
// adds no measurable overhead.
//
// Every child gets SIGKILL if the test process dies (Linux), so a test
// binary killed by -timeout leaves no ffmpeg behind.
package ffmpeg
