package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// LineError is a line of a records file that could not be read.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// maxLine bounds one record's line, in bytes.
const maxLine = 1 << 20

// Read decodes records from r. It keeps every good line: the records it
// could read are returned together with an error joining a *LineError for
// each bad line (a truncated last line among them). name labels errors.
func Read(name string, r io.Reader) ([]Record, error) {
	var (
		out  []Record
		errs []error
	)
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), maxLine)
	n := 0
	for s.Scan() {
		n++
		line := bytes.TrimSpace(s.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec Record
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			errs = append(errs, &LineError{File: name, Line: n, Err: err})
			continue
		}
		if err := rec.Validate(); err != nil {
			errs = append(errs, &LineError{File: name, Line: n, Err: err})
			continue
		}
		out = append(out, rec)
	}
	if err := s.Err(); err != nil {
		errs = append(errs, &LineError{File: name, Line: n + 1, Err: err})
	}
	return out, errors.Join(errs...)
}

// ReadFile reads the records file at path; see Read.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	defer f.Close()
	return Read(path, f)
}
