package performance

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
	"github.com/scaletest/scaletest/performance/pipeline"
	"github.com/scaletest/scaletest/performance/refinput"
)

// TestSpeedTarget runs each configured profile on the reference inputs of
// this scale, checks what it produced and records its speed against the
// target. A slow machine yields a "fail" record, not a failed test.
func TestSpeedTarget(t *testing.T) {
	f := setup(t)
	maxRTF := f.cfg.Targets.Speed.MaxRTF
	meanVideo := f.cfg.Workload.VideoLength.Mean()
	for _, prof := range f.cfg.Processing.Profiles {
		for _, in := range f.inputs {
			t.Run(prof.Name+"/"+in.Name, func(t *testing.T) {
				p := f.plan(t, prof, in, t.TempDir())
				loadBefore := loadAverage()
				done := map[string]bool{}
				res, err := p.Run(t.Context(), f.runner,
					func(stage string, pr ffmpeg.Progress) {
						done[stage] = done[stage] || pr.Done
					})
				require.NoError(t, err)

				checkOutputs(t, f, p, res, done)
				load := fmt.Sprintf("load average %s before, %s after, "+
					"%d CPUs", loadBefore, loadAverage(), runtime.NumCPU())
				emitSpeed(t, prof, in, p, res, maxRTF, meanVideo, load)
			})
		}
	}
}

// checkOutputs checks the behaviour of a profile run: every stage ran to
// its end, wrote bytes where it writes, and the published files decode
// with the source's duration, the rung's height and the audio.
func checkOutputs(t *testing.T, f *fixture, p *pipeline.Plan,
	res pipeline.Result, done map[string]bool) {
	t.Helper()
	ctx := t.Context()
	require.Len(t, res.Stages, len(p.Stages))
	for i, s := range p.Stages {
		m := res.Stages[i]
		assert.Truef(t, done[s.Name], "stage %s reported no progress=end", s.Name)
		assert.Positivef(t, m.Wall, "stage %s wall time", s.Name)
		if len(s.Outputs) > 0 {
			assert.Positivef(t, m.OutputBytes, "stage %s output bytes", s.Name)
		}
	}

	src := p.Media.Duration
	_, srcAudio := p.Media.Audio()
	// A rendition may differ from its source by about a frame and an
	// audio packet.
	tol := 0.1
	pkgs := p.PackageFiles()
	for _, file := range pkgs {
		m, err := f.runner.Probe(ctx, file)
		require.NoErrorf(t, err, "published file %s", file)
		assert.InDeltaf(t, src.Seconds(), m.Duration.Seconds(), tol,
			"Probe(%s).Duration", filepath.Base(file))
		_, hasAudio := m.Audio()
		assert.Equalf(t, srcAudio, hasAudio, "Probe(%s) has audio",
			filepath.Base(file))
	}
	for i, s := range p.Stages {
		if s.Kind != pipeline.Encode {
			continue
		}
		m, err := f.runner.Probe(ctx, s.Outputs[0])
		require.NoErrorf(t, err, "rung %s", s.Name)
		v, ok := m.Video()
		require.Truef(t, ok, "rung %s has no video", s.Name)
		assert.Equalf(t, s.Rung.Height, v.Height, "rung %s height", s.Name)
		assert.InDeltaf(t, src.Seconds(), m.Duration.Seconds(), tol,
			"rung %s duration", s.Name)
		assert.Positive(t, res.Stages[i].OutputBytes)
	}
	if i := p.StageIndex(string(pipeline.Thumbnail)); i >= 0 {
		m, err := f.runner.Probe(ctx, p.Stages[i].Outputs[0])
		require.NoError(t, err, "thumbnail")
		v, _ := p.Media.Video()
		tv, ok := m.Video()
		require.True(t, ok, "thumbnail has no picture")
		assert.Equal(t, min(720, v.Height), tv.Height, "thumbnail height")
	}
}

// loadAverage is the one-minute load average from /proc/loadavg, or "?"
// where there is none: other work on the machine slows every figure here.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	first, _, _ := strings.Cut(string(b), " ")
	return first
}

// emitSpeed writes the speed verdict and its supporting figures.
func emitSpeed(t *testing.T, prof targets.Profile, in refinput.Info,
	p *pipeline.Plan, res pipeline.Result, maxRTF float64,
	mean time.Duration, load string) {
	t.Helper()
	id := prof.Name + "/" + in.Name
	note := in.Description + "; " + in.FFmpeg + "; " + load
	tot := res.Total

	r := record.Judged("speed", "rtf/"+id, tot.RTF(), "rtf", record.Lower,
		maxRTF, record.Measured)
	r.Note = note
	record.Emit(t, r)
	info := func(name string, v float64, unit string, better record.Better,
		note string) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("record %s = %v; want a finite figure", name, v)
			return
		}
		record.Emit(t, record.Record{Name: name, Value: v, Unit: unit,
			Better: better, Verdict: record.Info, Source: record.Measured,
			Note: note})
	}
	info("speed/"+id, tot.Speed(), "x", record.Higher, note)
	info("cpu-sec-per-media-sec/"+id, tot.CPUPerMediaSecond(), "cpu-s/s",
		record.Lower, note)
	info("videos-per-hour-per-core/"+id, tot.VideosPerHourPerCore(mean),
		"videos/h/core", record.Higher,
		"mean video "+mean.String()+" from workload.video_length; "+
			"CPU time, all stages in sequence; "+note)
	info("output-bytes-per-media-sec/"+id, tot.BytesPerMediaSecond(), "B/s",
		record.Lower, "packages and thumbnail; "+note)
	for i, s := range p.Stages {
		m := res.Stages[i]
		info("rtf/"+id+"/"+s.Name, m.RTF(), "rtf", record.Lower, note)
		if s.Kind == pipeline.Encode {
			info("output-bytes-per-media-sec/"+id+"/"+
				pipeline.RungLabel(s.Rung), m.BytesPerMediaSecond(), "B/s",
				record.Lower, s.Rung.Preset+" crf "+strconv.Itoa(s.Rung.CRF)+
					", threads "+strconv.Itoa(p.Threads())+"; "+note)
		}
	}
}
