package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/scaletest/scaletest/performance/ffmpeg"
)

// Run runs every stage in order and measures each. onProgress, when not
// nil, receives each stage's ffmpeg progress with the stage name.
func (p *Plan) Run(ctx context.Context, r *ffmpeg.Runner,
	onProgress func(stage string, pr ffmpeg.Progress)) (Result, error) {
	res := Result{Total: Measurement{Stage: p.Profile.Name, Media: p.Media.Duration}}
	for i := range p.Stages {
		m, err := p.RunStage(ctx, r, i, onProgress)
		if err != nil {
			return res, err
		}
		res.Stages = append(res.Stages, m)
		res.Total.Wall += m.Wall
		res.Total.CPU += m.CPU
		if k := p.Stages[i].Kind; k == Package || k == Thumbnail {
			res.Total.OutputBytes += m.OutputBytes
		}
	}
	return res, nil
}

// RunStage runs stage i alone, replacing its earlier outputs. The stages
// before it must have run (a package needs its rungs).
func (p *Plan) RunStage(ctx context.Context, r *ffmpeg.Runner, i int,
	onProgress func(stage string, pr ffmpeg.Progress)) (Measurement, error) {
	s := p.Stages[i]
	m := Measurement{Stage: s.Name, Media: p.Media.Duration}
	if err := p.prepare(s); err != nil {
		return m, err
	}
	args, err := p.Args(i)
	if err != nil {
		return m, err
	}
	var cb func(ffmpeg.Progress)
	if onProgress != nil {
		cb = func(pr ffmpeg.Progress) { onProgress(s.Name, pr) }
	}
	runner := r
	if s.Kind == LoudnessScan {
		// loudnorm prints its measurement at log level info.
		rc := *r
		rc.LogLevel = "info"
		runner = &rc
	}
	u, err := runner.Run(ctx, args, cb)
	m.Wall, m.CPU = u.Wall, u.CPU()
	if err != nil {
		return m, fmt.Errorf("stage %s: %w", s.Name, err)
	}
	if s.Kind == LoudnessScan {
		l, err := parseLoudnorm(u.Log)
		switch {
		case errors.Is(err, errSilent):
			l = &loudness{Silent: true}
		case err != nil:
			return m, fmt.Errorf("stage %s: %w", s.Name, err)
		}
		p.loud = l
	}
	m.OutputBytes, err = sizeOf(s.Outputs)
	if err != nil {
		return m, fmt.Errorf("stage %s: %w", s.Name, err)
	}
	return m, nil
}

// prepare removes a stage's old outputs and makes their directories.
func (p *Plan) prepare(s Stage) error {
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return fmt.Errorf("stage %s: %w", s.Name, err)
	}
	for _, o := range s.Outputs {
		if err := os.RemoveAll(o); err != nil {
			return fmt.Errorf("stage %s: remove old output: %w", s.Name, err)
		}
	}
	if s.Kind != Package {
		return nil
	}
	dir := s.Outputs[0]
	if p.Profile.Package == "hls" {
		for i := range p.rungs {
			d := filepath.Join(dir, fmt.Sprint(i))
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("stage %s: %w", s.Name, err)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("stage %s: %w", s.Name, err)
	}
	return nil
}

// sizeOf sums the sizes of the files under paths.
func sizeOf(paths []string) (int64, error) {
	var n int64
	for _, root := range paths {
		err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				n += info.Size()
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("size of outputs: %w", err)
		}
	}
	return n, nil
}
