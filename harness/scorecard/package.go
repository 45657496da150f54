package scorecard

import (
	"fmt"
	"path"
	"strings"
)

// Status is what happened to a package (or a whole category) in a run.
type Status string

// Package statuses.
const (
	// Passed: the package's tests ran and passed (some may have skipped).
	Passed Status = "passed"
	// Failed: a test failed, the package did not build, or it timed out.
	Failed Status = "failed"
	// Skipped: every test of the package skipped.
	Skipped Status = "skipped"
	// NoTests: the package has no test files.
	NoTests Status = "no-tests"
	// NotPresent: the category's directory does not exist (yet).
	NotPresent Status = "not-present"
	// NotSelected: the category was left out of the run (-only).
	NotSelected Status = "not-selected"
	// NotFinished: the run ended (interrupt, crash) before the package
	// reported a result.
	NotFinished Status = "not-finished"
)

// Skip is a test that skipped and the reason it gave.
type Skip struct {
	Test   string `json:"test"`
	Reason string `json:"reason"`
}

// Package is the outcome of one Go package in a run, or of a whole
// category that did not run (Path is then the category's directory).
type Package struct {
	// Path is the package's directory relative to the module root, such
	// as "performance/dbload".
	Path   string `json:"path"`
	Status Status `json:"status"`
	// Tests counts the tests that reported a result (subtests included);
	// Failed, Skipped and Passed split it.
	Tests        int `json:"tests"`
	TestsPassed  int `json:"tests_passed"`
	TestsFailed  int `json:"tests_failed"`
	TestsSkipped int `json:"tests_skipped"`
	// Failures names the failed tests, top-level ones first.
	Failures []string `json:"failures,omitempty"`
	Skips    []Skip   `json:"skips,omitempty"`
	// ElapsedSeconds is the package's test time as go test reports it.
	ElapsedSeconds float64 `json:"elapsed_s"`
	// Bench is the status of the benchmark pass, empty when none ran.
	Bench Status `json:"bench,omitempty"`
	// Detail holds what explains a failure that is not a test's: the
	// build error, a panic, a timeout (last lines of output).
	Detail string `json:"detail,omitempty"`
}

// Category returns the category of the package: the first element of
// its path.
func (p *Package) Category() string {
	c, _, _ := strings.Cut(path.Clean(p.Path), "/")
	return c
}

// Explain says in one line what happened to p, for a target that has no
// figure from it.
func (p *Package) Explain() string {
	switch p.Status {
	case NotPresent:
		return fmt.Sprintf("%s is not present in this tree", p.Path)
	case NotSelected:
		return fmt.Sprintf("%s was not selected for this run (-only)", p.Path)
	case NotFinished:
		return fmt.Sprintf("%s did not finish (run interrupted or crashed)", p.Path)
	case Failed:
		if len(p.Failures) > 0 {
			return fmt.Sprintf("%s failed: %s", p.Path, listShort(p.Failures, 3))
		}
		if p.Detail != "" {
			return fmt.Sprintf("%s failed: %s", p.Path, firstLine(p.Detail))
		}
		return fmt.Sprintf("%s failed", p.Path)
	case NoTests:
		return fmt.Sprintf("%s has no tests", p.Path)
	case Skipped:
		if len(p.Skips) > 0 {
			s := p.Skips[0]
			return fmt.Sprintf("%s skipped: %s: %s", p.Path, s.Test, s.Reason)
		}
		return fmt.Sprintf("%s skipped (no tests)", p.Path)
	}
	if len(p.Skips) > 0 {
		s := p.Skips[0]
		return fmt.Sprintf("%s passed with %d skipped (%s: %s)", p.Path,
			len(p.Skips), s.Test, s.Reason)
	}
	return fmt.Sprintf("%s passed", p.Path)
}

func listShort(s []string, n int) string { return listShortSep(s, n, ", ") }

// listShortSep joins the first n of s with sep and counts the rest.
func listShortSep(s []string, n int, sep string) string {
	if len(s) <= n {
		return strings.Join(s, sep)
	}
	return fmt.Sprintf("%s and %d more", strings.Join(s[:n], sep), len(s)-n)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	line, _, _ := strings.Cut(s, "\n")
	return line
}
