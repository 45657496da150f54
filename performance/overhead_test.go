//go:build unix

package performance

import (
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/performance/ffmpeg"
)

// selfCPU is this process's CPU time (user plus system) from getrusage.
func selfCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestHarnessOverheadCPU measures what the harness itself costs while
// ffmpeg encodes: the CPU time of this process (reading and parsing the
// progress pipe, the callback) against ffmpeg's. Unlike the wall-time
// ratio of BenchmarkOverhead, this does not move with other load on the
// machine. The figure is recorded, not judged.
func TestHarnessOverheadCPU(t *testing.T) {
	f := setup(t)
	prof, _ := f.cfg.Processing.Profile(f.cfg.Processing.DefaultProfile)
	in := f.inputs[0]
	p := f.plan(t, prof, in, t.TempDir())
	i := pickEncode(p, 720)
	require.GreaterOrEqual(t, i, 0, "no encode stage")
	args, err := p.Args(i)
	require.NoError(t, err)

	reports := 0
	before := selfCPU(t)
	u, err := f.runner.Run(t.Context(), args, func(ffmpeg.Progress) { reports++ })
	self := selfCPU(t) - before
	require.NoError(t, err)
	require.Positive(t, reports, "the harness saw no progress")
	require.Positive(t, u.CPU(), "ffmpeg CPU time")

	frac := self.Seconds() / u.CPU().Seconds()
	record.Emit(t, record.Record{
		Name:  "harness-overhead-cpu-fraction/" + in.Name + "/" + p.Stages[i].Name,
		Value: frac, Unit: "cpu-s/cpu-s", Better: record.Lower,
		Verdict: record.Info, Source: record.Measured,
		Note: "CPU time of the test process during the encode (progress " +
			"pipe and parsing, plus whatever else the Go runtime did) " +
			"over ffmpeg's CPU time; goal: under 0.03",
	})
}
