package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
)

// Files of a run directory.
const (
	ManifestFile = "run.json"
	ConfigFile   = "scale.yaml"
	RecordsFile  = record.FileName
	BenchFile    = "bench.txt"
	TestLogFile  = "test.log"
	StderrFile   = "stderr.log"
	SummaryFile  = "summary.md"
	ReportFile   = "report.html"
)

// RunFiles lists the files a run directory may hold, the only ones the
// dashboard serves.
var RunFiles = []string{ManifestFile, ConfigFile, RecordsFile, BenchFile,
	TestLogFile, StderrFile, SummaryFile, ReportFile}

// Manifest describes a run: what ran, where, and how it ended. It is
// run.json in the run directory.
type Manifest struct {
	// ID names the run directory.
	ID    string    `json:"id"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// DurationSeconds is End - Start in seconds.
	DurationSeconds float64 `json:"duration_s"`
	// Scale is short, local or full.
	Scale     string `json:"scale"`
	Machine   string `json:"machine"`
	GoVersion string `json:"go_version,omitempty"`
	GitCommit string `json:"git_commit,omitempty"`
	// GitDirty is true when the working tree had uncommitted changes.
	GitDirty bool `json:"git_dirty,omitempty"`
	// Args are the command line of scaletest.
	Args []string `json:"args,omitempty"`
	// ConfigPath is the scale.yaml the run used (copied into the run
	// directory as scale.yaml); empty for the built-in defaults.
	ConfigPath string `json:"config_path,omitempty"`
	// Categories are the categories selected for the run.
	Categories []string `json:"categories"`
	GPU        bool     `json:"gpu,omitempty"`
	Bench      bool     `json:"bench,omitempty"`
	Stages     []Stage  `json:"stages"`
	// Packages holds the outcome of every package, and of every
	// category that did not run.
	Packages []scorecard.Package `json:"packages"`
	// Interrupted is true when the run was stopped before its end.
	Interrupted bool `json:"interrupted,omitempty"`
	// Verdict is the scorecard's overall verdict.
	Verdict record.Verdict `json:"verdict"`
	// ExitCode is the exit status of scaletest run (see its help).
	ExitCode int `json:"exit_code"`
}

// Stage is one go test invocation of a run.
type Stage struct {
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	// Command is the go command line.
	Command []string `json:"command"`
	// ExitCode is the exit status of go test; -1 when it did not start.
	ExitCode        int     `json:"exit_code"`
	DurationSeconds float64 `json:"duration_s"`
	// Error says why the stage could not run or ended abnormally.
	Error string `json:"error,omitempty"`
}

// WriteManifest writes m as indented JSON.
func WriteManifest(w io.Writer, m *Manifest) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// ReadManifest decodes a manifest.
func ReadManifest(r io.Reader) (*Manifest, error) {
	var m Manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return &m, nil
}
