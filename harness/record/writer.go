package record

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// EnvResults names the environment variable that sets the results
// directory.
const EnvResults = "SCALETEST_RESULTS"

// FileName is the name of the records file inside the results directory.
const FileName = "records.jsonl"

// Dir returns the results directory: SCALETEST_RESULTS when set, else
// "results" beside the nearest go.mod above the working directory, else
// "scaletest-results" in the system's temporary directory.
func Dir() string {
	if d := os.Getenv(EnvResults); d != "" {
		return d
	}
	if root, ok := moduleRoot(); ok {
		return filepath.Join(root, "results")
	}
	return filepath.Join(os.TempDir(), "scaletest-results")
}

func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		p := filepath.Dir(dir)
		if p == dir {
			return "", false
		}
		dir = p
	}
}

// Writer appends records to a JSON-lines file. It is safe for concurrent
// use, also by several processes: each record is one write under an
// exclusive file lock.
type Writer struct {
	path string
	mu   sync.Mutex
}

// NewWriter returns a Writer that appends to path, creating its directory.
func NewWriter(path string) (*Writer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create results directory: %w", err)
	}
	return &Writer{path: path}, nil
}

// Path returns the file the writer appends to.
func (w *Writer) Path() string { return w.path }

// Write validates r, stamps its time if unset and appends it.
func (w *Writer) Write(r Record) error {
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("write record: %w", err)
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode record %q: %w", r.Name, err)
	}
	line = append(line, '\n')

	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open records: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock records: %w", err)
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("append record %q: %w", r.Name, err)
	}
	return f.Close()
}
