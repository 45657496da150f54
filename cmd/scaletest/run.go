package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/report"
	"github.com/scaletest/scaletest/harness/scorecard"
	"github.com/scaletest/scaletest/harness/targets"
)

// stage is one go test invocation: categories that may run in parallel
// because none needs another's records. The order of stages is the data
// flow of DESIGN.md: measure, then model, then simulate.
type stage struct {
	name       string
	categories []string
}

var stages = []stage{
	{"measure", []string{"performance"}},
	{"model", []string{"scalability", "costanalysis", "reliability", "youtubeapi"}},
	{"simulate", []string{"simulation"}},
}

// runOptions are the settings of one scaletest run.
type runOptions struct {
	dir        string // module root, where go test runs
	out        string // directory that holds the run directories
	configPath string // scale.yaml; empty: SCALETEST_CONFIG or the one found
	scale      targets.Scale
	gpu        bool
	only       []string // categories to run; empty: all
	bench      bool
	benchCount int
	benchTime  string
	timeout    time.Duration
	parallel   int // go test -p; 0 leaves go's default
	goCmd      string
	args       []string // the command line, for the manifest
}

const runUsage = `usage: scaletest run [flags]

Runs the category packages in the order of DESIGN.md (performance; then
scalability, costanalysis, reliability, youtubeapi; then simulation), one
go test -json per stage, gathers their records and writes the scorecard.

The run directory <out>/<id>/ holds run.json, scale.yaml, records.jsonl,
bench.txt (with -bench), test.log (the go test -json stream), stderr.log,
summary.md and report.html.

Exit status: 0 every target passes; 1 a target fails; 2 tests broke (a
package failed to build, failed or timed out), the run was interrupted,
or the command was misused; 3 nothing failed but some targets were not
measured.

Flags:
`

func parseRun(args []string, stderr io.Writer) (*runOptions, error) {
	fs := flag.NewFlagSet("scaletest run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &runOptions{args: append([]string{"scaletest", "run"}, args...)}
	var scale, only string
	fs.StringVar(&o.dir, "dir", "",
		"module `root` to test (default: the go.mod above the working directory)")
	fs.StringVar(&o.out, "out", "runs",
		"`directory` for run directories, relative to the module root")
	fs.StringVar(&o.configPath, "config", "", configHelp)
	fs.StringVar(&scale, "scale", "full", "`scale`: short (adds -short), local or full")
	fs.BoolVar(&o.gpu, "gpu", false, "build with -tags gpu (GPU stages, NVML)")
	fs.StringVar(&only, "only", "", "comma-separated `categories` to run, such as "+
		"performance,costanalysis (default all)")
	fs.BoolVar(&o.bench, "bench", false,
		"also run the benchmarks (-run ^$ -bench . -benchmem) into bench.txt")
	fs.IntVar(&o.benchCount, "count", 1,
		"benchmark repetitions `n` (benchstat wants 6 or more)")
	fs.StringVar(&o.benchTime, "benchtime", "",
		"go test -benchtime `value` for the benchmarks")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "go test -timeout per test binary")
	fs.IntVar(&o.parallel, "p", 0, "go test -p: test binaries run at once "+
		"(1 gives steadier timings; default GOMAXPROCS)")
	fs.Usage = func() {
		fmt.Fprint(stderr, runUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("run takes no arguments, got %q", fs.Args())
	}
	switch o.scale = targets.Scale(scale); o.scale {
	case targets.ScaleShort, targets.ScaleLocal, targets.ScaleFull:
	default:
		return nil, fmt.Errorf("-scale %q: want short, local or full", scale)
	}
	for c := range strings.SplitSeq(only, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if c == "cost" {
			c = "costanalysis"
		}
		if !slices.Contains(scorecard.Categories, c) {
			return nil, fmt.Errorf("-only %q: unknown category (known: %s)", c,
				strings.Join(scorecard.Categories, ", "))
		}
		o.only = append(o.only, c)
	}
	if o.benchCount < 1 {
		return nil, fmt.Errorf("-count %d: want at least 1", o.benchCount)
	}
	if o.parallel < 0 {
		return nil, fmt.Errorf("-p %d: want 1 or more (0: go's default)", o.parallel)
	}
	o.goCmd = cmp.Or(os.Getenv("SCALETEST_GO"), "go")
	return o, nil
}

// cmdRun is scaletest run.
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseRun(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "scaletest run: %v\n", err)
		return exitBroken
	}
	j, err := newJob(o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "scaletest run: %v\n", err)
		return exitBroken
	}
	return j.run(ctx, stdout)
}

// job is one scaletest run in progress.
type job struct {
	o        *runOptions
	cfg      *targets.Config
	cfgPath  string // absolute; empty for the built-in defaults
	cfgData  []byte
	modPath  string
	runsDir  string
	runDir   string
	id       string
	start    time.Time
	env      []string
	stderr   io.Writer
	progress *progress
	plan     []plannedCategory

	mu      sync.Mutex // guards the trackers while go test runs
	tests   *tracker
	benches *tracker
	benchB  bytes.Buffer
	stages  []report.Stage
}

// plannedCategory is what a category will do in the run.
type plannedCategory struct {
	name     string
	stage    int
	status   scorecard.Status // NotSelected or NotPresent, else ""
	packages []string         // import paths
}

func newJob(o *runOptions, stderr io.Writer) (*job, error) {
	j := &job{o: o, stderr: stderr, start: time.Now()}
	var err error
	if j.o.dir, err = moduleRoot(o.dir); err != nil {
		return nil, err
	}
	if j.cfg, j.cfgPath, j.cfgData, err = loadConfigFor(o.configPath, j.o.dir); err != nil {
		return nil, err
	}
	j.runsDir = o.out
	if !filepath.IsAbs(j.runsDir) {
		j.runsDir = filepath.Join(j.o.dir, j.runsDir)
	}
	return j, nil
}

// moduleRoot returns dir (made absolute) or the directory of the go.mod
// above the working directory.
func moduleRoot(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("module root: %w", err)
	}
	if dir != "." {
		if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
			return "", fmt.Errorf("module root %s: no go.mod", abs)
		}
		return abs, nil
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run inside the module or pass -dir", abs)
		}
	}
}

func (j *job) selected(cat string) bool {
	return len(j.o.only) == 0 || slices.Contains(j.o.only, cat)
}

func (j *job) run(ctx context.Context, stdout io.Writer) int {
	if err := j.prepare(ctx); err != nil {
		fmt.Fprintf(j.stderr, "scaletest run: %v\n", err)
		return exitBroken
	}
	fmt.Fprintf(j.stderr, "scaletest run %s: scale %s, results in %s\n", j.id, j.o.scale,
		j.runDir)

	total := 0
	for _, c := range j.plan {
		total += len(c.packages)
	}
	j.progress.Update(func(p *progress) { p.pkgsTotal = total })
	for _, c := range j.plan {
		switch c.status {
		case scorecard.NotPresent:
			j.progress.Printf("-     %-28s not present in this tree", c.name)
		case scorecard.NotSelected:
			j.progress.Printf("-     %-28s not selected (-only)", c.name)
		}
	}

	stopTicker := j.startTicker()
	interrupted := false
	for i, st := range stages {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		pkgs := j.stagePackages(i)
		if len(pkgs) == 0 {
			continue
		}
		j.runStage(ctx, i, st, pkgs, false)
		if j.o.bench && ctx.Err() == nil {
			j.runStage(ctx, i, st, pkgs, true)
		}
	}
	if ctx.Err() != nil {
		interrupted = true
	}
	stopTicker()
	j.progress.Done()
	return j.finish(stdout, interrupted)
}

// prepare creates the run directory and plans the stages.
func (j *job) prepare(ctx context.Context) error {
	mod, err := j.goOutput(ctx, "list", "-m")
	if err != nil {
		return fmt.Errorf("find module path: %w", err)
	}
	j.modPath = strings.TrimSpace(mod)

	if err := os.MkdirAll(j.runsDir, 0o755); err != nil {
		return fmt.Errorf("create runs directory: %w", err)
	}
	base := report.NewID(j.start)
	for n := 1; ; n++ {
		j.id = base
		if n > 1 {
			j.id = fmt.Sprintf("%s-%d", base, n)
		}
		j.runDir = filepath.Join(j.runsDir, j.id)
		err := os.Mkdir(j.runDir, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) || n > 100 {
			return fmt.Errorf("create run directory: %w", err)
		}
	}
	// The records file exists even when no test writes one.
	if err := os.WriteFile(filepath.Join(j.runDir, report.RecordsFile), nil, 0o644); err != nil {
		return fmt.Errorf("create records file: %w", err)
	}
	if j.cfgData != nil {
		err := os.WriteFile(filepath.Join(j.runDir, report.ConfigFile), j.cfgData, 0o644)
		if err != nil {
			return fmt.Errorf("copy config: %w", err)
		}
	}

	j.env = childEnv(os.Environ(), map[string]string{
		targets.EnvScale:   string(j.o.scale),
		record.EnvResults:  j.runDir,
		targets.EnvConfig:  j.cfgPath,
		"SCALETEST_RUN_ID": j.id,
	})
	j.tests = newTracker(j.modPath, false)
	j.benches = newTracker(j.modPath, true)
	live, width := terminal(j.stderr)
	j.progress = newProgress(j.stderr, live, width, time.Now)
	j.progress.running = func() (string, string, time.Time) {
		j.mu.Lock()
		defer j.mu.Unlock()
		if pkg, test, since := j.tests.runningNow(); test != "" {
			return pkg, test, since
		}
		return j.benches.runningNow()
	}

	for i, st := range stages {
		for _, cat := range st.categories {
			c := plannedCategory{name: cat, stage: i}
			switch {
			case !j.selected(cat):
				c.status = scorecard.NotSelected
			case !isDir(filepath.Join(j.o.dir, cat)):
				c.status = scorecard.NotPresent
			default:
				c.packages = j.listPackages(ctx, cat)
				for _, p := range c.packages {
					j.tests.expect(p)
				}
			}
			j.plan = append(j.plan, c)
		}
	}
	return nil
}

// childEnv returns env with set applied; empty values remove the key.
func childEnv(env []string, set map[string]string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			out = append(out, kv)
		}
	}
	for _, k := range sortedNames(set) {
		if set[k] != "" {
			out = append(out, k+"="+set[k])
		}
	}
	return out
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// listPackages returns the import paths under category cat. A listing
// that fails yields no packages; go test then reports the problem.
func (j *job) listPackages(ctx context.Context, cat string) []string {
	args := []string{"list", "-e", "-f", "{{.ImportPath}}"}
	if j.o.gpu {
		args = append(args, "-tags", "gpu")
	}
	out, err := j.goOutput(ctx, append(args, "./"+cat+"/...")...)
	if err != nil {
		j.progress.Printf("warn  %-28s go list: %v", cat, err)
	}
	return strings.Fields(out)
}

// stagePackages returns the package patterns of stage i's present,
// selected categories.
func (j *job) stagePackages(i int) []string {
	var pats []string
	for _, c := range j.plan {
		if c.stage == i && c.status == "" {
			pats = append(pats, "./"+c.name+"/...")
		}
	}
	return pats
}

func (j *job) goOutput(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, j.o.goCmd, args...)
	cmd.Dir = j.o.dir
	cmd.Env = j.env
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", j.o.goCmd, strings.Join(args, " "),
			err, strings.TrimSpace(errb.String()))
	}
	return string(out), nil
}

// testArgs returns the go test arguments of a stage's test or
// benchmark pass.
func (j *job) testArgs(pkgs []string, bench bool) []string {
	args := []string{"test", "-json"}
	if bench {
		args = append(args, fmt.Sprintf("-count=%d", j.o.benchCount), "-run=^$",
			"-bench=.", "-benchmem")
		if j.o.benchTime != "" {
			args = append(args, "-benchtime="+j.o.benchTime)
		}
	} else {
		// Cached results would write no records: always run.
		args = append(args, "-count=1")
	}
	args = append(args, "-timeout="+j.o.timeout.String())
	if j.o.parallel > 0 {
		args = append(args, fmt.Sprintf("-p=%d", j.o.parallel))
	}
	if j.o.scale == targets.ScaleShort {
		args = append(args, "-short")
	}
	if j.o.gpu {
		args = append(args, "-tags=gpu")
	}
	return append(args, pkgs...)
}

// runStage runs one go test of stage i and folds its events in.
func (j *job) runStage(ctx context.Context, i int, st stage, pkgs []string, bench bool) {
	args := j.testArgs(pkgs, bench)
	name := st.name
	if bench {
		name += "-bench"
	}
	label := fmt.Sprintf("%d/%d %s", i+1, len(stages), name)
	j.progress.Update(func(p *progress) { p.stage = label })
	j.progress.Printf("== stage %s: %s %s", label, j.o.goCmd, strings.Join(args, " "))

	rec := report.Stage{Name: name, Categories: st.categories,
		Command: append([]string{j.o.goCmd}, args...)}
	t0 := time.Now()
	code, err := j.goTest(ctx, args, bench)
	rec.ExitCode, rec.DurationSeconds = code, time.Since(t0).Seconds()
	if err != nil {
		rec.Error = err.Error()
		j.progress.Printf("!!    stage %s: %v", name, err)
	}
	j.stages = append(j.stages, rec)
}

// goTest runs go test with args, tees its stream to test.log and
// stderr.log, and feeds the events to the trackers. It returns the exit
// status of go test (-1 when it did not start).
func (j *job) goTest(ctx context.Context, args []string, bench bool) (int, error) {
	logf, err := os.OpenFile(filepath.Join(j.runDir, report.TestLogFile),
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return -1, fmt.Errorf("open test log: %w", err)
	}
	defer logf.Close()
	errf, err := os.OpenFile(filepath.Join(j.runDir, report.StderrFile),
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return -1, fmt.Errorf("open stderr log: %w", err)
	}
	defer errf.Close()
	errTail := &tailWriter{max: 2048}

	cmd := exec.CommandContext(ctx, j.o.goCmd, args...)
	cmd.Dir = j.o.dir
	cmd.Env = j.env
	cmd.Stderr = io.MultiWriter(errf, errTail)
	// go test and its test binaries share a process group: an interrupt
	// reaches them all, and they get time to clean up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return -1, fmt.Errorf("go test: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("start go test: %w", err)
	}

	tr := j.tests
	if bench {
		tr = j.benches
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		logf.Write(line)
		logf.Write([]byte{'\n'})
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil {
			errf.Write(append(append([]byte("non-JSON output: "), line...), '\n'))
			continue
		}
		j.mu.Lock()
		tr.handle(ev)
		done := tr.drainDone()
		counts := [3]int{j.tests.testsDone + j.benches.testsDone,
			j.tests.testsFailed + j.benches.testsFailed,
			j.tests.testsSkipped + j.benches.testsSkipped}
		j.mu.Unlock()
		for _, p := range done {
			j.progress.Printf("%s", doneLine(p, bench))
		}
		j.progress.Update(func(p *progress) {
			if !bench {
				p.pkgsDone += len(done)
			}
			p.tests, p.failed, p.skipped = counts[0], counts[1], counts[2]
		})
	}
	scanErr := sc.Err()
	if scanErr != nil {
		// Drain so that go test is not blocked on a full pipe.
		io.Copy(io.Discard, out)
	}
	err = cmd.Wait()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
		// go test exits 1 when a test or build fails: the events say
		// which. A package that never reported counts as not finished.
		if code == 1 {
			err = nil
		} else {
			err = fmt.Errorf("go test exited %d: %s", code,
				lastLines(errTail.String(), 5))
		}
	case err != nil:
		code = -1
		err = fmt.Errorf("go test: %w", err)
	}
	if scanErr != nil {
		err = errors.Join(err, fmt.Errorf("read go test output: %w", scanErr))
	}
	if bench {
		j.mu.Lock()
		for _, ip := range j.benches.order {
			if p := j.benches.pkgs[ip]; p.bench.Len() > 0 {
				j.benchB.WriteString(benchText(p.bench.String()))
				p.bench.Reset()
			}
		}
		j.mu.Unlock()
	}
	return code, err
}

// doneLine is the lasting progress line of a package that reported.
func doneLine(p scorecard.Package, bench bool) string {
	secs := fmt.Sprintf("%.1fs", p.ElapsedSeconds)
	if bench {
		return fmt.Sprintf("bench %-28s %s %s", p.Path, p.Bench, secs)
	}
	switch p.Status {
	case scorecard.Failed:
		return fmt.Sprintf("FAIL  %-28s %7s  %s", p.Path, secs,
			strings.TrimPrefix(p.Explain(), p.Path+" failed: "))
	case scorecard.Skipped:
		return fmt.Sprintf("skip  %-28s %7s  %s", p.Path, secs,
			strings.TrimPrefix(p.Explain(), p.Path+" skipped: "))
	case scorecard.NoTests:
		return fmt.Sprintf("none  %-28s %7s  no test files", p.Path, "")
	}
	s := fmt.Sprintf("ok    %-28s %7s  %d tests", p.Path, secs, p.Tests)
	if p.TestsSkipped > 0 {
		s += fmt.Sprintf(", %d skipped", p.TestsSkipped)
	}
	return s
}

func (j *job) startTicker() (stop func()) {
	every := 5 * time.Second
	if j.progress.live {
		every = 500 * time.Millisecond
	}
	t := time.NewTicker(every)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-t.C:
				j.progress.Tick()
			case <-done:
				return
			}
		}
	})
	return func() {
		t.Stop()
		close(done)
		wg.Wait()
	}
}

// packages returns the outcome of every package and of every category
// that did not run, in the order of the categories.
func (j *job) packages(interrupted bool) []scorecard.Package {
	j.mu.Lock()
	defer j.mu.Unlock()
	tested := make(map[string]scorecard.Package)
	for _, p := range j.tests.finish() {
		tested[p.Path] = p
	}
	benched := make(map[string]scorecard.Package)
	if j.o.bench {
		for _, p := range j.benches.finish() {
			benched[p.Path] = p
		}
	}
	var out []scorecard.Package
	for _, c := range j.plan {
		if c.status != "" {
			out = append(out, scorecard.Package{Path: c.name, Status: c.status})
			continue
		}
		var paths []string
		for _, ip := range c.packages {
			paths = append(paths, j.tests.relPath(ip))
		}
		// Packages go test reported that go list did not name.
		for p := range tested {
			if (p == c.name || strings.HasPrefix(p, c.name+"/")) && !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
		for _, path := range paths {
			p, ok := tested[path]
			if !ok {
				p = scorecard.Package{Path: path, Status: scorecard.NotFinished}
			}
			if p.Status == scorecard.NotFinished && p.Detail == "" && interrupted {
				p.Detail = "the run was interrupted"
			}
			if b, ok := benched[path]; ok {
				p.Bench = b.Bench
				if b.Bench == scorecard.Failed {
					p.Detail = strings.TrimSpace(p.Detail + "\nbenchmarks failed: " +
						strings.Join(append(b.Failures, b.Detail), "; "))
				}
			}
			out = append(out, p)
		}
	}
	return out
}

// finish gathers the records, decides, writes the run directory's
// manifest, summary and report, prints the scorecard and returns the
// exit status.
func (j *job) finish(stdout io.Writer, interrupted bool) int {
	end := time.Now()
	pkgs := j.packages(interrupted)
	if j.o.bench {
		err := os.WriteFile(filepath.Join(j.runDir, report.BenchFile), j.benchB.Bytes(), 0o644)
		if err != nil {
			fmt.Fprintf(j.stderr, "scaletest run: write benchmarks: %v\n", err)
		}
	}
	recs, rerr := record.ReadFile(filepath.Join(j.runDir, report.RecordsFile))
	sc := scorecard.Build(j.cfg, recs, pkgs)
	code := exitCode(sc, pkgs, j.stages, interrupted, rerr != nil)

	m := &report.Manifest{ID: j.id, Start: j.start.UTC(), End: end.UTC(),
		DurationSeconds: end.Sub(j.start).Seconds(), Scale: string(j.o.scale),
		Machine: record.Machine(), GoVersion: runtime.Version(), Args: j.o.args,
		ConfigPath: j.cfgPath, Categories: j.selectedCategories(), GPU: j.o.gpu,
		Bench: j.o.bench, Stages: j.stages, Packages: pkgs, Interrupted: interrupted,
		Verdict: sc.Verdict, ExitCode: code}
	m.GitCommit, m.GitDirty = gitState(j.o.dir)
	if err := writeFile(filepath.Join(j.runDir, report.ManifestFile), func(w io.Writer) error {
		return report.WriteManifest(w, m)
	}); err != nil {
		fmt.Fprintf(j.stderr, "scaletest run: %v\n", err)
		code = max(code, exitBroken)
	}

	run := report.LoadRun(os.DirFS(j.runsDir), j.id, j.cfg)
	var summary bytes.Buffer
	if err := report.WriteSummary(&summary, run); err != nil {
		fmt.Fprintf(j.stderr, "scaletest run: %v\n", err)
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{report.SummaryFile, func(w io.Writer) error {
			_, err := w.Write(summary.Bytes())
			return err
		}},
		{report.ReportFile, func(w io.Writer) error { return report.WriteHTML(w, run) }},
	} {
		if err := writeFile(filepath.Join(j.runDir, f.name), f.write); err != nil {
			fmt.Fprintf(j.stderr, "scaletest run: %v\n", err)
		}
	}

	stdout.Write(summary.Bytes())
	fmt.Fprintf(j.stderr, "\nscaletest run %s: %s in %s; exit %d (%s)\n  %s\n  %s\n",
		j.id, sc.Verdict, elapsed(end.Sub(j.start)), code, exitMeaning[code],
		filepath.Join(j.runDir, report.SummaryFile), filepath.Join(j.runDir, report.ReportFile))
	return code
}

func (j *job) selectedCategories() []string {
	var out []string
	for _, c := range scorecard.Categories {
		if j.selected(c) {
			out = append(out, c)
		}
	}
	return out
}

// exitCode decides the exit status; see runUsage.
func exitCode(sc *scorecard.Scorecard, pkgs []scorecard.Package, st []report.Stage,
	interrupted, badRecords bool) int {
	if sc.Verdict == record.Fail {
		return exitTargetFailed
	}
	broke := interrupted || badRecords
	for _, p := range pkgs {
		if p.Status == scorecard.Failed || p.Status == scorecard.NotFinished ||
			p.Bench == scorecard.Failed || p.Bench == scorecard.NotFinished {
			broke = true
		}
	}
	for _, s := range st {
		if s.Error != "" {
			broke = true
		}
	}
	switch {
	case broke:
		return exitBroken
	case sc.Verdict == record.NotMeasured:
		return exitNotMeasured
	}
	return exitOK
}

// gitState returns the commit of the module's work tree and whether it
// has uncommitted changes; empty when git cannot tell.
func gitState(dir string) (string, bool) {
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return "", false
	}
	st, err := exec.Command("git", "-C", dir, "status", "--porcelain",
		"--untracked-files=no").Output()
	return strings.TrimSpace(string(out)), err == nil && len(bytes.TrimSpace(st)) > 0
}

// writeFile writes path through a temporary file, so a reader never sees
// half of it.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	werr := write(f)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
