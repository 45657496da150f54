package performance

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/performance/ffmpeg"
	"github.com/scaletest/scaletest/performance/pipeline"
	"github.com/scaletest/scaletest/performance/refinput"
)

// workDir holds the outputs of benchmarks that outlive one run (removed
// by TestMain).
var workDir string

// fixture is what every test and benchmark of the package shares: the
// configuration, the scale, the reference inputs (generated once per
// process) and the ffmpeg runner.
type fixture struct {
	cfg    *targets.Config
	scale  targets.Scale
	inputs []refinput.Info
	media  map[string]ffmpeg.Media // by input name
	runner *ffmpeg.Runner
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	fixSkip string
)

// setup returns the shared fixture, skipping when ffmpeg is missing.
func setup(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() { fix, fixSkip, fixErr = newFixture() })
	if fixSkip != "" {
		tb.Skip(fixSkip)
	}
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
	return fix
}

func newFixture() (*fixture, string, error) {
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, tool + " not found in PATH: install ffmpeg " +
				"(Debian: apt-get install ffmpeg) or put it on PATH", nil
		}
	}
	cfg, err := targets.LoadDefault()
	if err != nil {
		return nil, "", fmt.Errorf("load config: %w", err)
	}
	sc, err := targets.CurrentScale()
	if err != nil {
		return nil, "", err
	}
	f := &fixture{cfg: cfg, scale: sc, runner: &ffmpeg.Runner{},
		media: map[string]ffmpeg.Media{}}
	dir, err := refinput.DefaultDir()
	if err != nil {
		return nil, "", err
	}
	cache := &refinput.Cache{Dir: dir}
	// Inputs are shared by every test of the process, so no one test's
	// context may cancel their generation.
	ctx := context.Background()
	for _, in := range refinput.ForScale(sc, cfg) {
		info, err := cache.Path(ctx, in)
		if err != nil {
			return nil, "", err
		}
		m, err := f.runner.Probe(ctx, info.Path)
		if err != nil {
			return nil, "", fmt.Errorf("probe input %s: %w", info.Name, err)
		}
		f.inputs = append(f.inputs, info)
		f.media[info.Name] = m
	}
	return f, "", nil
}

// plan builds the plan of profile prof on input in, writing under dir.
func (f *fixture) plan(tb testing.TB, prof targets.Profile,
	in refinput.Info, dir string) *pipeline.Plan {
	tb.Helper()
	p, err := pipeline.NewPlan(prof, in.Path, f.media[in.Name], dir,
		pipeline.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

var (
	preparedMu sync.Mutex
	prepared   = map[string]*pipeline.Plan{}
)

// preparedPlan returns a plan of prof on in whose stages have all run
// once, so that any one stage can run again alone. Plans are kept for the
// life of the process, so -count runs prepare once.
func (f *fixture) preparedPlan(tb testing.TB, prof targets.Profile,
	in refinput.Info) *pipeline.Plan {
	tb.Helper()
	preparedMu.Lock()
	defer preparedMu.Unlock()
	key := prof.Name + "/" + in.Name
	if p, ok := prepared[key]; ok {
		return p
	}
	p := f.plan(tb, prof, in, filepath.Join(workDir, prof.Name, in.Name))
	if _, err := p.Run(context.Background(), f.runner, nil); err != nil {
		tb.Fatalf("prepare %s: %v", key, err)
	}
	prepared[key] = p
	return p
}
