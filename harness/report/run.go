package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"time"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/scorecard"
	"github.com/scaletest/scaletest/harness/targets"
)

var nan = math.NaN()

// Run is a run directory as read back by LoadRun.
type Run struct {
	ID string `json:"id"`
	// Manifest is nil when run.json is missing or unreadable.
	Manifest *Manifest `json:"manifest"`
	// Config is the run's scale.yaml, or the fallback given to LoadRun
	// when the run has none that loads.
	Config    *targets.Config      `json:"-"`
	Records   []record.Record      `json:"-"`
	Bench     []BenchSeries        `json:"-"`
	Scorecard *scorecard.Scorecard `json:"scorecard"`
	// Problems lists what is wrong with the directory, one finding per
	// entry ("records.jsonl:7: unexpected end of JSON input").
	Problems []string `json:"problems,omitempty"`
	// Files are the files of RunFiles the directory holds.
	Files []string `json:"files"`
}

// Start is the run's start time: the manifest's, else the time its ID
// names, else the zero time.
func (r *Run) Start() time.Time {
	if r.Manifest != nil {
		return r.Manifest.Start
	}
	if t, err := time.Parse(IDLayout, r.ID); err == nil {
		return t
	}
	return time.Time{}
}

// Complete reports whether the run finished and reads without problems.
func (r *Run) Complete() bool { return r.Manifest != nil && len(r.Problems) == 0 }

// IDLayout is the time layout of run ids (UTC).
const IDLayout = "20060102T150405Z"

// NewID returns the id of a run started at t.
func NewID(t time.Time) string { return t.UTC().Format(IDLayout) }

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidID reports whether id can name a run directory: letters, digits,
// '.', '_' and '-', not starting with a dot or dash, so never "..".
func ValidID(id string) bool { return idPattern.MatchString(id) }

// ListRuns returns the ids of the run directories in fsys, oldest first
// (ids sort by time). Entries that are not directories, symbolic links
// among them, and names that are not valid ids are left out.
func ListRuns(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && ValidID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// maxLineProblems bounds how many bad lines of one file are listed.
const maxLineProblems = 10

// LoadRun reads run id of fsys, a file system rooted at the runs
// directory. It never fails: what it cannot read becomes a problem, and
// the scorecard is built from whatever records survive. fallback is the
// configuration used when the run holds no readable scale.yaml.
func LoadRun(fsys fs.FS, id string, fallback *targets.Config) *Run {
	r := &Run{ID: id, Config: fallback}
	if !ValidID(id) {
		r.Problems = append(r.Problems, fmt.Sprintf("%q is not a run id", id))
		r.Scorecard = scorecard.Build(fallback, nil, nil)
		return r
	}
	read := func(name string) ([]byte, bool) {
		data, err := fs.ReadFile(fsys, path.Join(id, name))
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				r.Problems = append(r.Problems, fmt.Sprintf("%s: %v", name, err))
			}
			return nil, false
		}
		r.Files = append(r.Files, name)
		return data, true
	}

	if data, ok := read(ManifestFile); !ok {
		r.Problems = append(r.Problems, ManifestFile+" is missing: the run is "+
			"still going, or it was stopped before it finished")
	} else if m, err := ReadManifest(bytes.NewReader(data)); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("%s: %v", ManifestFile, err))
	} else {
		r.Manifest = m
	}

	if data, ok := read(ConfigFile); !ok {
		r.Problems = append(r.Problems, ConfigFile+" is missing: goals shown "+
			"are those of the current configuration")
	} else if cfg, err := targets.Parse(ConfigFile, data); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("%v (goals shown are those "+
			"of the current configuration)", err))
	} else {
		r.Config = cfg
	}

	if data, ok := read(RecordsFile); !ok {
		r.Problems = append(r.Problems, RecordsFile+" is missing: no figures")
	} else {
		recs, err := record.Read(RecordsFile, bytes.NewReader(data))
		r.Records = recs
		r.addLineProblems(err)
	}

	if data, ok := read(BenchFile); ok {
		series, err := ParseBench(bytes.NewReader(data), BenchFile)
		r.Bench = series
		r.addLineProblems(err)
	} else if r.Manifest != nil && r.Manifest.Bench {
		r.Problems = append(r.Problems, BenchFile+" is missing, though the "+
			"run asked for benchmarks")
	}
	for _, name := range []string{TestLogFile, StderrFile, SummaryFile, ReportFile} {
		if _, err := fs.Stat(fsys, path.Join(id, name)); err == nil {
			r.Files = append(r.Files, name)
		}
	}

	var pkgs []scorecard.Package
	if r.Manifest != nil {
		pkgs = r.Manifest.Packages
	}
	r.Scorecard = scorecard.Build(r.Config, r.Records, pkgs)
	return r
}

// addLineProblems lists the errors joined in err, at most
// maxLineProblems of them and a count of the rest.
func (r *Run) addLineProblems(err error) {
	if err == nil {
		return
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for i, e := range errs {
		if i == maxLineProblems {
			r.Problems = append(r.Problems, fmt.Sprintf("... and %d more bad lines",
				len(errs)-maxLineProblems))
			break
		}
		r.Problems = append(r.Problems, e.Error())
	}
}
