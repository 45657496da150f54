package performance

import (
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
	"github.com/scaletest/scaletest/performance/pipeline"
	"github.com/scaletest/scaletest/performance/refinput"
)

// BenchmarkProfile runs each configured profile on each reference input
// of this scale, all stages in order.
func BenchmarkProfile(b *testing.B) {
	f := setup(b)
	mean := f.cfg.Workload.VideoLength.Mean()
	forEach(b, f, f.inputs, func(b *testing.B, prof targets.Profile, in refinput.Info) {
		p := f.plan(b, prof, in, b.TempDir())
		var sum pipeline.Measurement
		for b.Loop() {
			res, err := p.Run(b.Context(), f.runner, nil)
			if err != nil {
				b.Fatal(err)
			}
			sum = add(sum, res.Total)
		}
		report(b, per(sum, b.N))
		b.ReportMetric(per(sum, b.N).VideosPerHourPerCore(mean),
			"videos/h/core")
	})
}

// BenchmarkStage runs each stage of each profile alone, after one run of
// the whole profile has made its inputs. At the short scale only the
// first input's stages run, to keep -count 10 within minutes; the speed
// test records every input's stages.
func BenchmarkStage(b *testing.B) {
	f := setup(b)
	inputs := f.inputs
	if f.scale == targets.ScaleShort {
		inputs = inputs[:1]
	}
	forEach(b, f, inputs, func(b *testing.B, prof targets.Profile, in refinput.Info) {
		p := f.preparedPlan(b, prof, in)
		for i, s := range p.Stages {
			b.Run("stage="+s.Name, func(b *testing.B) {
				var sum pipeline.Measurement
				for b.Loop() {
					m, err := p.RunStage(b.Context(), f.runner, i, nil)
					if err != nil {
						b.Fatal(err)
					}
					sum = add(sum, m)
				}
				report(b, per(sum, b.N))
			})
		}
	})
}

// BenchmarkOverhead runs one encode of the default profile (the 720p
// rung when there is one) through the harness (progress pipe, parsing,
// callback) and as the bare ffmpeg command, alternating which goes
// first, and reports their wall-time ratio: 1.03 would be 3% overhead.
func BenchmarkOverhead(b *testing.B) {
	f := setup(b)
	prof, _ := f.cfg.Processing.Profile(f.cfg.Processing.DefaultProfile)
	in := f.inputs[0]
	p := f.preparedPlan(b, prof, in)
	i := pickEncode(p, 720)
	if i < 0 {
		b.Skipf("profile %s has no encode stage on %s", prof.Name, in.Name)
	}
	args, err := p.Args(i)
	if err != nil {
		b.Fatal(err)
	}
	name := "input=" + in.Name + "/stage=" + p.Stages[i].Name
	b.Run(name, func(b *testing.B) {
		var harness, bare time.Duration
		calls := 0
		for n := 0; b.Loop(); n++ {
			runs := []func(){
				func() {
					u, err := f.runner.Run(b.Context(), args,
						func(ffmpeg.Progress) { calls++ })
					if err != nil {
						b.Fatal(err)
					}
					harness += u.Wall
				},
				func() {
					u, err := f.runner.Bare(b.Context(), args)
					if err != nil {
						b.Fatal(err)
					}
					bare += u.Wall
				},
			}
			if n%2 == 1 {
				runs[0], runs[1] = runs[1], runs[0]
			}
			runs[0]()
			runs[1]()
		}
		if calls == 0 {
			b.Fatal("the harness reported no progress")
		}
		b.ReportMetric(harness.Seconds()/bare.Seconds(), "ratio")
		media := p.Media.Duration.Seconds() * float64(b.N)
		b.ReportMetric(harness.Seconds()/media, "rtf")
	})
}

// pickEncode returns the encode stage of the given height, else the
// first encode stage, else -1.
func pickEncode(p *pipeline.Plan, height int) int {
	first := -1
	for i, s := range p.Stages {
		if s.Kind != pipeline.Encode {
			continue
		}
		if s.Rung.Height == height {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// forEach runs fn as sub-benchmarks profile=<name>/input=<name>.
func forEach(b *testing.B, f *fixture, inputs []refinput.Info,
	fn func(*testing.B, targets.Profile, refinput.Info)) {
	for _, prof := range f.cfg.Processing.Profiles {
		b.Run("profile="+prof.Name, func(b *testing.B) {
			for _, in := range inputs {
				b.Run("input="+in.Name, func(b *testing.B) {
					fn(b, prof, in)
				})
			}
		})
	}
}

func add(a, m pipeline.Measurement) pipeline.Measurement {
	a.Stage, a.Media = m.Stage, a.Media+m.Media
	a.Wall += m.Wall
	a.CPU += m.CPU
	a.OutputBytes += m.OutputBytes
	return a
}

// per divides a sum of n runs into one run's figures.
func per(sum pipeline.Measurement, n int) pipeline.Measurement {
	d := time.Duration(n)
	return pipeline.Measurement{Stage: sum.Stage, Wall: sum.Wall / d,
		CPU: sum.CPU / d, Media: sum.Media / d,
		OutputBytes: sum.OutputBytes / int64(n)}
}

// report writes the per-run metrics of m.
func report(b *testing.B, m pipeline.Measurement) {
	b.ReportMetric(m.RTF(), "rtf")
	b.ReportMetric(m.Speed(), "speed-x")
	b.ReportMetric(m.CPUPerMediaSecond(), "cpu-sec/media-sec")
	if m.OutputBytes > 0 {
		b.ReportMetric(m.BytesPerMediaSecond(), "B/media-sec")
	}
}
