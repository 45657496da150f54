package distrib

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/record"
)

// BenchFile is the name of a shard's benchmark output in its directory.
const BenchFile = "bench.txt"

// Merged is the union of the shards of one run.
type Merged struct {
	Shards  []string // shard directories, in the order merged
	Records []record.Record
	// Results holds, per load run name, the exact merge of every shard's
	// result of that name: counts added, histograms merged.
	Results map[string]*load.Result
	// Bench is the shards' benchmark outputs, concatenated: benchstat
	// reads it as one file with Count samples per benchmark summed.
	Bench []byte
	// Problems are unreadable parts; what could be read is merged anyway.
	Problems []error
}

// ShardDirs returns the "shard-<n>" directories under root, in index
// order.
func ShardDirs(root string) ([]string, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("list shards: %w", err)
	}
	type dir struct {
		n    int
		path string
	}
	var dirs []dir
	for _, e := range ents {
		var n int
		if e.IsDir() {
			if _, err := fmt.Sscanf(e.Name(), "shard-%d", &n); err == nil &&
				e.Name() == fmt.Sprintf("shard-%d", n) {
				dirs = append(dirs, dir{n, filepath.Join(root, e.Name())})
			}
		}
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("list shards: no shard-<n> directory in %s", root)
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].n < dirs[j].n })
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = d.path
	}
	return out, nil
}

// Merge reads the shard directories and merges them. Missing files are
// fine (a shard may run no benchmark); unreadable ones are Problems.
func Merge(dirs []string) *Merged {
	m := &Merged{Shards: dirs, Results: map[string]*load.Result{}}
	for _, d := range dirs {
		shard := filepath.Base(d)
		recs, err := record.ReadFile(filepath.Join(d, record.FileName))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			m.Problems = append(m.Problems, fmt.Errorf("%s: %w", shard, err))
		}
		for _, r := range recs {
			if r.Note == "" {
				r.Note = shard
			} else {
				r.Note = shard + ": " + r.Note
			}
			m.Records = append(m.Records, r)
		}
		names, err := resultNames(d)
		if err != nil {
			m.Problems = append(m.Problems, fmt.Errorf("%s: %w", shard, err))
		}
		for _, n := range names {
			r, err := ReadResult(filepath.Join(d, resultPrefix+n+resultSuffix))
			if err != nil {
				m.Problems = append(m.Problems, fmt.Errorf("%s: %w", shard, err))
				continue
			}
			if cur, ok := m.Results[n]; ok {
				err = cur.Merge(r)
			} else {
				m.Results[n] = r
			}
			if err != nil {
				m.Problems = append(m.Problems, fmt.Errorf("%s: %s: %w", shard, n, err))
			}
		}
		b, err := os.ReadFile(filepath.Join(d, BenchFile))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			m.Problems = append(m.Problems, fmt.Errorf("%s: %w", shard, err))
		default:
			m.Bench = append(m.Bench, b...)
			if len(b) > 0 && b[len(b)-1] != '\n' {
				m.Bench = append(m.Bench, '\n')
			}
		}
	}
	return m
}

// Write stores the merged run in dir: records.jsonl, histograms.hlog and
// bench.txt, the same layout as one shard.
func (m *Merged) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write merged run: %w", err)
	}
	w, err := record.NewWriter(filepath.Join(dir, record.FileName))
	if err != nil {
		return fmt.Errorf("write merged run: %w", err)
	}
	for _, r := range m.Records {
		if err := w.Write(r); err != nil {
			return fmt.Errorf("write merged run: %w", err)
		}
	}
	for n, r := range m.Results {
		if err := WriteResult(dir, n, r); err != nil {
			return err
		}
	}
	if len(m.Bench) > 0 {
		if err := os.WriteFile(filepath.Join(dir, BenchFile), m.Bench, 0o644); err != nil {
			return fmt.Errorf("write merged run: %w", err)
		}
	}
	return nil
}

// Check judges thresholds on the merged result of the load run called
// name; see load.Check.
func (m *Merged) Check(name string, ts []load.Threshold) ([]load.Outcome, bool, error) {
	r, ok := m.Results[name]
	if !ok {
		return nil, false, fmt.Errorf("check %s: no shard has a load result of that name", name)
	}
	outs, pass := load.Check(r, ts)
	return outs, pass, nil
}
