package distrib

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/load"
)

// resultPrefix and resultSuffix frame a load result's file name:
// load-<name>.json in a shard directory.
const (
	resultPrefix = "load-"
	resultSuffix = ".json"
)

// resultFile is a load.Result on disk: its counts, and its histograms in
// HdrHistogram's compressed encoding, so a merge of files is exact.
type resultFile struct {
	Target       float64          `json:"target_ops_per_sec"`
	Duration     time.Duration    `json:"duration_ns"`
	Elapsed      time.Duration    `json:"elapsed_ns"`
	Scheduled    int64            `json:"scheduled"`
	Completed    int64            `json:"completed"`
	Errors       int64            `json:"errors"`
	ErrorClasses map[string]int64 `json:"error_classes,omitempty"`
	Late         int64            `json:"late"`
	Dropped      int64            `json:"dropped"`
	Workers      int              `json:"workers"`
	Latency      []byte           `json:"latency_hdr"`
	Service      []byte           `json:"service_hdr"`
}

// WriteResult stores the load result r of the run called name in dir, as
// load-<name>.json.
func WriteResult(dir, name string, r *load.Result) error {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("write result: bad name %q", name)
	}
	f := resultFile{
		Target: r.Target, Duration: r.Duration, Elapsed: r.Elapsed,
		Scheduled: r.Scheduled, Completed: r.Completed, Errors: r.Errors,
		ErrorClasses: r.ErrorClasses, Late: r.Late, Dropped: r.Dropped, Workers: r.Workers,
	}
	var err error
	if f.Latency, err = r.Latency.MarshalBinary(); err != nil {
		return fmt.Errorf("write result %s: %w", name, err)
	}
	if f.Service, err = r.Service.MarshalBinary(); err != nil {
		return fmt.Errorf("write result %s: %w", name, err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("write result %s: %w", name, err)
	}
	path := filepath.Join(dir, resultPrefix+name+resultSuffix)
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write result %s: %w", name, err)
	}
	return nil
}

// ReadResult reads a file written by WriteResult.
func ReadResult(path string) (*load.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read result: %w", err)
	}
	var f resultFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("read result %s: %w", filepath.Base(path), err)
	}
	r := load.NewResult(0)
	r.Target, r.Duration, r.Elapsed = f.Target, f.Duration, f.Elapsed
	r.Scheduled, r.Completed, r.Errors = f.Scheduled, f.Completed, f.Errors
	r.ErrorClasses, r.Late, r.Dropped, r.Workers = f.ErrorClasses, f.Late, f.Dropped, f.Workers
	if err := r.Latency.UnmarshalBinary(f.Latency); err != nil {
		return nil, fmt.Errorf("read result %s: latency: %w", filepath.Base(path), err)
	}
	if err := r.Service.UnmarshalBinary(f.Service); err != nil {
		return nil, fmt.Errorf("read result %s: service: %w", filepath.Base(path), err)
	}
	return r, nil
}

// resultNames lists the load results in dir by name.
func resultNames(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, resultPrefix+"*"+resultSuffix))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), resultPrefix),
			resultSuffix)
	}
	return names, nil
}

// ShardSchedule is the part of s that shard sh runs: the operations whose
// index i has i mod Count == Index, due when s has them due. Its local
// operation j is operation sh.Global(j) of s.
func ShardSchedule(s load.Schedule, sh Shard) load.Schedule {
	if sh.Count <= 1 {
		return s
	}
	return &shardSchedule{s: s, sh: sh}
}

type shardSchedule struct {
	s  load.Schedule
	sh Shard
}

func (p *shardSchedule) Start(j int64) (time.Duration, bool) {
	if j < 0 || j >= p.Count() {
		return 0, false
	}
	return p.s.Start(p.sh.Global(j))
}

func (p *shardSchedule) Count() int64 { return int64(p.sh.Ops(int(p.s.Count()))) }

func (p *shardSchedule) Rate(t time.Duration) float64 { return p.sh.Rate(p.s.Rate(t)) }

func (p *shardSchedule) Duration() time.Duration { return p.s.Duration() }
