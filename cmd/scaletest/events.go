package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/scorecard"
)

// event is one line of go test -json (cmd/test2json), with the build
// events of Go 1.24 and later.
type event struct {
	Time        time.Time `json:"Time"`
	Action      string    `json:"Action"`
	Package     string    `json:"Package"`
	ImportPath  string    `json:"ImportPath"`
	Test        string    `json:"Test"`
	Elapsed     float64   `json:"Elapsed"`
	Output      string    `json:"Output"`
	FailedBuild string    `json:"FailedBuild"`
}

// Bounds on what the tracker keeps of a package's output.
const (
	maxTestLines   = 40  // per running test, for its skip reason
	maxDetailLines = 30  // of package output, for a failure's detail
	maxBenchBytes  = 8e6 // of benchmark output per package
)

// pkgState is what the tracker knows of one package.
type pkgState struct {
	importPath string
	res        scorecard.Package
	started    bool
	done       bool
	running    map[string]time.Time // tests, by name, with their start
	testOut    map[string][]string  // output lines of running tests
	tail       []string             // last package-level output lines
	bench      strings.Builder      // every output line, in bench mode
}

// tracker folds go test -json events into package outcomes. It is not
// safe for concurrent use.
type tracker struct {
	modPath string
	bench   bool // the events come from a benchmark pass
	pkgs    map[string]*pkgState
	order   []string
	builds  map[string][]string // build output by ImportPath
	// done collects the packages that reported since the caller last
	// drained it (see drainDone).
	done []scorecard.Package
	// testsDone counts finished tests (and benchmarks) of this tracker.
	testsDone, testsFailed, testsSkipped int
}

func newTracker(modPath string, bench bool) *tracker {
	return &tracker{modPath: modPath, bench: bench, pkgs: make(map[string]*pkgState),
		builds: make(map[string][]string)}
}

// relPath turns an import path into a path relative to the module.
func (tr *tracker) relPath(importPath string) string {
	if importPath == tr.modPath {
		return "."
	}
	return strings.TrimPrefix(importPath, tr.modPath+"/")
}

// expect registers a package before it reports, so a package that never
// reports is known as not finished.
func (tr *tracker) expect(importPath string) *pkgState {
	if p, ok := tr.pkgs[importPath]; ok {
		return p
	}
	p := &pkgState{importPath: importPath,
		res:     scorecard.Package{Path: tr.relPath(importPath)},
		running: make(map[string]time.Time), testOut: make(map[string][]string)}
	tr.pkgs[importPath] = p
	tr.order = append(tr.order, importPath)
	return p
}

// handle folds one event in.
func (tr *tracker) handle(ev event) {
	switch ev.Action {
	case "build-output":
		tr.builds[ev.ImportPath] = appendCapped(tr.builds[ev.ImportPath],
			strings.TrimRight(ev.Output, "\n"), maxDetailLines)
		return
	case "build-fail":
		return
	}
	if ev.Package == "" {
		return
	}
	p := tr.expect(ev.Package)
	switch ev.Action {
	case "start":
		p.started = true
	case "run":
		p.started = true
		if tr.bench {
			tr.benchStarted(p, ev.Test)
		}
		p.running[ev.Test] = ev.Time
	case "output":
		if tr.bench && p.bench.Len() < maxBenchBytes {
			p.bench.WriteString(ev.Output)
		}
		line := strings.TrimRight(ev.Output, "\n")
		if ev.Test != "" {
			p.testOut[ev.Test] = appendCapped(p.testOut[ev.Test], line, maxTestLines)
		} else {
			p.tail = appendCapped(p.tail, line, maxDetailLines)
		}
	case "pass", "fail", "skip":
		if ev.Test != "" {
			tr.testResult(p, ev)
		} else {
			tr.packageResult(p, ev)
		}
	}
}

func (tr *tracker) testResult(p *pkgState, ev event) {
	out := p.testOut[ev.Test]
	delete(p.running, ev.Test)
	delete(p.testOut, ev.Test)
	tr.testsDone++
	if tr.bench {
		if ev.Action == "fail" {
			tr.testsFailed++
			p.res.Failures = append(p.res.Failures, ev.Test)
		}
		return
	}
	p.res.Tests++
	switch ev.Action {
	case "pass":
		p.res.TestsPassed++
	case "fail":
		tr.testsFailed++
		p.res.TestsFailed++
		p.res.Failures = append(p.res.Failures, ev.Test)
	case "skip":
		tr.testsSkipped++
		p.res.TestsSkipped++
		p.res.Skips = append(p.res.Skips, scorecard.Skip{Test: ev.Test,
			Reason: skipReason(out)})
	}
}

// benchStarted notes that benchmark name started. test2json reports no
// end of a passing benchmark, and a package runs its benchmarks one after
// another: every running benchmark that does not enclose name is done.
func (tr *tracker) benchStarted(p *pkgState, name string) {
	for r := range p.running {
		if !strings.HasPrefix(name, r+"/") {
			delete(p.running, r)
			delete(p.testOut, r)
			tr.testsDone++
		}
	}
}

func (tr *tracker) packageResult(p *pkgState, ev event) {
	p.done = true
	// Tests still running when a package fails were cut off: a timeout,
	// a crash, an interrupt. Their last words explain it. When it
	// passes, they are benchmarks, whose end test2json does not report.
	var cut []string
	if ev.Action != "fail" {
		tr.testsDone += len(p.running)
		p.running = nil
	}
	for _, name := range sortedNames(p.running) {
		p.res.Failures = append(p.res.Failures, name)
		last := "no output"
		if m := meaningful(p.testOut[name]); len(m) > 0 {
			last = strings.TrimSpace(m[len(m)-1])
		}
		cut = append(cut, fmt.Sprintf("%s did not finish: %s", name, last))
	}
	p.running = make(map[string]time.Time)
	p.res.ElapsedSeconds += ev.Elapsed
	// Top-level failures first: they name what broke.
	slices.SortStableFunc(p.res.Failures, func(a, b string) int {
		return cmp.Compare(strings.Count(a, "/"), strings.Count(b, "/"))
	})
	var status scorecard.Status
	switch {
	case ev.Action == "fail":
		status = scorecard.Failed
		if ev.FailedBuild != "" {
			// go test -bench fails every package when one fails to build.
			what := "build failed: "
			if other, _, _ := strings.Cut(ev.FailedBuild, " "); other != ev.Package {
				what = fmt.Sprintf("build of %s failed: ", tr.relPath(other))
			}
			p.res.Detail = what + strings.Join(tr.builds[ev.FailedBuild], "\n")
		} else if len(cut) > 0 {
			p.res.Detail = strings.Join(cut, "\n")
		} else if p.res.TestsFailed == 0 || tr.bench {
			p.res.Detail = strings.Join(meaningful(p.tail), "\n")
		}
	case ev.Action == "skip" || p.res.Tests == 0:
		status = scorecard.NoTests
	case p.res.TestsSkipped == p.res.Tests:
		status = scorecard.Skipped
	default:
		status = scorecard.Passed
	}
	if tr.bench {
		p.res.Bench = status
		if status == scorecard.NoTests {
			p.res.Bench = scorecard.Passed
		}
	} else {
		p.res.Status = status
	}
	tr.done = append(tr.done, p.res)
}

// drainDone returns the outcomes reported since the last call.
func (tr *tracker) drainDone() []scorecard.Package {
	d := tr.done
	tr.done = nil
	return d
}

// finish marks the packages that never reported as not finished and
// returns the outcomes in the order the packages became known.
func (tr *tracker) finish() []scorecard.Package {
	var out []scorecard.Package
	for _, ip := range tr.order {
		p := tr.pkgs[ip]
		if !p.done {
			if tr.bench {
				p.res.Bench = scorecard.NotFinished
			} else {
				p.res.Status = scorecard.NotFinished
				if len(p.running) > 0 {
					p.res.Detail = "still running: " + strings.Join(sortedNames(p.running), ", ")
				}
			}
		}
		out = append(out, p.res)
	}
	return out
}

// runningNow returns the longest-running test of any package, with its
// package, or empty strings when none runs.
func (tr *tracker) runningNow() (pkg, test string, since time.Time) {
	for _, ip := range tr.order {
		p := tr.pkgs[ip]
		for name, t := range p.running {
			if test == "" || t.Before(since) || t.Equal(since) && name < test {
				pkg, test, since = p.res.Path, name, t
			}
		}
	}
	return pkg, test, since
}

// fileLine is the "file_test.go:12: " prefix of testing's log lines.
var fileLine = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: ?`)

// skipReason picks the reason a skipped test gave: its last log line,
// without the file:line prefix.
func skipReason(lines []string) string {
	m := meaningful(lines)
	if len(m) == 0 {
		return "no reason given"
	}
	return strings.TrimSpace(fileLine.ReplaceAllString(m[len(m)-1], ""))
}

// meaningful drops go test's own framing lines.
func meaningful(lines []string) []string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "", t == "PASS", t == "FAIL",
			strings.HasPrefix(t, "=== "), strings.HasPrefix(t, "--- "),
			strings.HasPrefix(t, "ok  "), strings.HasPrefix(t, "FAIL\t"):
			continue
		}
		out = append(out, l)
	}
	return out
}

func appendCapped(s []string, line string, n int) []string {
	s = append(s, line)
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
