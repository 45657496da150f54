//go:build gpu && linux && cgo

package performance

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/gpu"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/pipeline"
	"github.com/scaletest/scaletest/performance/refinput"
)

// gpuSetup opens NVML and picks the mode of the first GPU: NVENC where
// the card has encoders, NVDEC decode with a CPU encode where it has none.
// It skips, saying what is missing, without a driver or without an ffmpeg
// that can use the GPU.
func gpuSetup(tb testing.TB) (*fixture, *gpu.Monitor, gpu.Device, pipeline.Accel) {
	tb.Helper()
	f := setup(tb)
	mon, err := gpu.Open()
	if errors.Is(err, gpu.ErrNoDriver) {
		tb.Skipf("no NVIDIA driver (%v): run on a machine where "+
			"nvidia-smi works", err)
	}
	if err != nil {
		tb.Fatalf("open NVML: %v", err)
	}
	tb.Cleanup(func() { mon.Close() })
	devs := mon.Devices()
	if len(devs) == 0 {
		tb.Skip("the NVIDIA driver lists no GPU")
	}
	dev := devs[0]
	mode := pipeline.NVDEC
	if dev.NVENC {
		mode = pipeline.NVENC
	}
	if why := ffmpegLacks(mode); why != "" {
		tb.Skipf("%s: install an ffmpeg built with --enable-nvenc "+
			"--enable-cuvid (--enable-ffnvcodec)", why)
	}
	return f, mon, dev, mode
}

// ffmpegLacks says what this ffmpeg lacks for mode, or "".
func ffmpegLacks(mode pipeline.Accel) string {
	hw, err := exec.Command("ffmpeg", "-hide_banner", "-hwaccels").Output()
	if err != nil || !strings.Contains(string(hw), "cuda") {
		return "ffmpeg has no cuda hwaccel"
	}
	if mode == pipeline.NVENC {
		enc, err := exec.Command("ffmpeg", "-hide_banner", "-encoders").Output()
		if err != nil || !strings.Contains(string(enc), "h264_nvenc") {
			return "ffmpeg has no h264_nvenc encoder"
		}
	}
	return ""
}

// gpuRun is one encode stage on the GPU with its telemetry.
type gpuRun struct {
	m   pipeline.Measurement
	sum gpu.Summary
}

// JoulesPerMediaMinute is the GPU energy per minute of media.
func (r gpuRun) JoulesPerMediaMinute() float64 {
	return r.sum.EnergyJoules / r.m.Media.Minutes()
}

// runGPUStage runs encode stage i of p while sampling the GPU every
// 100ms.
func runGPUStage(ctx context.Context, f *fixture, mon *gpu.Monitor,
	dev gpu.Device, p *pipeline.Plan, i int) (gpuRun, error) {
	rec := mon.Record(ctx, 100*time.Millisecond)
	m, err := p.RunStage(ctx, f.runner, i, nil)
	samples, serr := rec.Stop()
	if err != nil {
		return gpuRun{}, err
	}
	if serr != nil && len(samples) == 0 {
		return gpuRun{}, serr
	}
	return gpuRun{m: m, sum: gpu.Summarize(samples, dev.Index)}, nil
}

// TestGPUEncode runs the encode ladder of every profile on the GPU (NVENC
// or NVDEC, by card) and records rtf and joules per media minute.
func TestGPUEncode(t *testing.T) {
	f, mon, dev, mode := gpuSetup(t)
	for _, prof := range f.cfg.Processing.Profiles {
		for _, in := range f.inputs {
			t.Run(prof.Name+"/"+in.Name, func(t *testing.T) {
				p, err := pipeline.NewPlan(prof, in.Path, f.media[in.Name],
					t.TempDir(), pipeline.Options{Accel: mode})
				if err != nil {
					t.Fatal(err)
				}
				var total pipeline.Measurement
				var joules float64
				for i, s := range p.Stages {
					if s.Kind != pipeline.Encode {
						continue
					}
					r, err := runGPUStage(t.Context(), f, mon, dev, p, i)
					if err != nil {
						t.Fatal(err)
					}
					checkRung(t, f, s, p)
					emitGPU(t, mode, dev, prof, in, s, r)
					total.Wall += r.m.Wall
					total.Media = r.m.Media
					joules += r.sum.EnergyJoules
				}
				id := string(mode) + "/" + prof.Name + "/" + in.Name
				emitInfo(t, "gpu/rtf/"+id, total.RTF(), "rtf", record.Lower,
					"encode ladder on "+dev.Name+" ("+dev.NVENCWhy+")")
				emitInfo(t, "gpu/joules-per-media-min/"+id,
					joules/total.Media.Minutes(), "J/media-min", record.Lower,
					"GPU energy only, encode ladder on "+dev.Name)
			})
		}
	}
}

// checkRung checks that an encoded rung decodes with the rung's height
// and the source's duration.
func checkRung(t *testing.T, f *fixture, s pipeline.Stage, p *pipeline.Plan) {
	t.Helper()
	m, err := f.runner.Probe(t.Context(), s.Outputs[0])
	if err != nil {
		t.Fatalf("rung %s: %v", s.Name, err)
	}
	v, ok := m.Video()
	if !ok || v.Height != s.Rung.Height {
		t.Errorf("rung %s: video height %d; want %d", s.Name, v.Height,
			s.Rung.Height)
	}
	if d := m.Duration - p.Media.Duration; d > 100*time.Millisecond ||
		d < -100*time.Millisecond {
		t.Errorf("rung %s: duration %v; want %v", s.Name, m.Duration,
			p.Media.Duration)
	}
}

func emitGPU(t *testing.T, mode pipeline.Accel, dev gpu.Device,
	prof targets.Profile, in refinput.Info, s pipeline.Stage, r gpuRun) {
	t.Helper()
	id := string(mode) + "/" + prof.Name + "/" + in.Name + "/" + s.Name
	note := dev.Name + "; " + in.Description
	emitInfo(t, "gpu/rtf/"+id, r.m.RTF(), "rtf", record.Lower, note)
	if r.sum.Samples > 1 {
		emitInfo(t, "gpu/joules-per-media-min/"+id, r.JoulesPerMediaMinute(),
			"J/media-min", record.Lower, note)
	}
}

func emitInfo(t *testing.T, name string, v float64, unit string,
	better record.Better, note string) {
	t.Helper()
	record.Emit(t, record.Record{Name: name, Value: v, Unit: unit,
		Better: better, Verdict: record.Info, Source: record.Measured,
		Note: note})
}

// BenchmarkGPU runs each encode stage of each profile on the GPU.
func BenchmarkGPU(b *testing.B) {
	f, mon, dev, mode := gpuSetup(b)
	for _, prof := range f.cfg.Processing.Profiles {
		for _, in := range f.inputs {
			p, err := pipeline.NewPlan(prof, in.Path, f.media[in.Name],
				b.TempDir(), pipeline.Options{Accel: mode})
			if err != nil {
				b.Fatal(err)
			}
			for i, s := range p.Stages {
				if s.Kind != pipeline.Encode {
					continue
				}
				name := "mode=" + string(mode) + "/profile=" + prof.Name +
					"/input=" + in.Name + "/stage=" + s.Name
				b.Run(name, func(b *testing.B) {
					var sum pipeline.Measurement
					var joules float64
					for b.Loop() {
						r, err := runGPUStage(b.Context(), f, mon, dev, p, i)
						if err != nil {
							b.Fatal(err)
						}
						sum = add(sum, r.m)
						joules += r.sum.EnergyJoules
					}
					m := per(sum, b.N)
					report(b, m)
					b.ReportMetric(joules/float64(b.N)/m.Media.Minutes(),
						"J/media-min")
				})
			}
		}
	}
}
