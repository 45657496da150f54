package scalability

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Provenance says where a figure of a data file comes from.
type Provenance struct {
	// Source names the document, measurement or assumption.
	Source string
	// Read is the day the source was read.
	Read time.Time
	// Uncertain marks a figure that could not be checked.
	Uncertain bool
	// File and Line locate the entry in its data file.
	File string
	Line int
}

// DataError is a problem in a data file, at a line.
type DataError struct {
	File string
	Line int
	Path string
	Msg  string
}

// Error formats the problem as "file:line: path: message".
func (e *DataError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Path, e.Msg)
}

// nodeReader reads typed values out of a yaml.Node tree and collects a
// *DataError, with its line, for every problem.
type nodeReader struct {
	file string
	errs []error
}

func (r *nodeReader) errf(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	r.errs = append(r.errs, &DataError{File: r.file, Line: line, Path: path,
		Msg: fmt.Sprintf(format, args...)})
}

func (r *nodeReader) err() error { return errors.Join(r.errs...) }

// root parses data and returns its top-level mapping.
func (r *nodeReader) root(data []byte, allowed ...string) map[string]*yaml.Node {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: parse: %w", r.file, err))
		return nil
	}
	if len(doc.Content) == 0 {
		r.errf(&doc, "(root)", "file is empty")
		return nil
	}
	return r.mapping(doc.Content[0], "(root)", allowed...)
}

// mapping returns the keys of mapping node n; a key outside allowed is
// an error.
func (r *nodeReader) mapping(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		r.errf(n, path, "must be a mapping")
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			r.errf(k, join(path, k.Value), "unknown field (known: %s)",
				strings.Join(allowed, ", "))
			continue
		}
		out[k.Value] = v
	}
	return out
}

// sequence returns the items of sequence node n.
func (r *nodeReader) sequence(n *yaml.Node, path string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errf(n, path, "must be a list")
		return nil
	}
	return n.Content
}

func (r *nodeReader) str(m map[string]*yaml.Node, at *yaml.Node, path, key string,
	required bool) string {
	v, ok := m[key]
	if !ok || strings.TrimSpace(v.Value) == "" {
		if required {
			r.errf(at, join(path, key), "missing")
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		r.errf(v, join(path, key), "must be a string")
		return ""
	}
	return strings.Join(strings.Fields(v.Value), " ")
}

// num reads a finite number; min, when not NaN, is the least allowed.
func (r *nodeReader) num(m map[string]*yaml.Node, at *yaml.Node, path, key string,
	required bool, min float64) float64 {
	v, ok := m[key]
	if !ok {
		if required {
			r.errf(at, join(path, key), "missing")
		}
		return 0
	}
	f, err := strconv.ParseFloat(v.Value, 64)
	if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.errf(v, join(path, key), "must be a finite number, got %q", v.Value)
		return 0
	}
	if !math.IsNaN(min) && f < min {
		r.errf(v, join(path, key), "must be at least %v, got %v", min, f)
	}
	return f
}

func (r *nodeReader) boolean(m map[string]*yaml.Node, path, key string) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v.Value)
	if err != nil {
		r.errf(v, join(path, key), "must be true or false, got %q", v.Value)
	}
	return b
}

func (r *nodeReader) strs(m map[string]*yaml.Node, path, key string) []string {
	var out []string
	for i, n := range r.sequence(m[key], join(path, key)) {
		if n.Kind != yaml.ScalarNode {
			r.errf(n, fmt.Sprintf("%s[%d]", join(path, key), i), "must be a string")
			continue
		}
		out = append(out, n.Value)
	}
	return out
}

// provenance reads source, read and uncertain, all entries must carry
// the first two.
func (r *nodeReader) provenance(m map[string]*yaml.Node, at *yaml.Node, path string) Provenance {
	p := Provenance{File: r.file, Line: at.Line}
	p.Source = r.str(m, at, path, "source", true)
	if s := r.str(m, at, path, "read", true); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			r.errf(m["read"], join(path, "read"), "must be a date YYYY-MM-DD, got %q", s)
		}
		p.Read = t
	}
	p.Uncertain = r.boolean(m, path, "uncertain")
	return p
}

func join(path, key string) string {
	if path == "(root)" {
		return key
	}
	return path + "." + key
}
