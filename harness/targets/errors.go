package targets

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var errEOF = io.EOF

// FieldError is one problem in a configuration file: where it is and what
// is wrong with it.
type FieldError struct {
	File string // file name as given to Parse
	Line int    // 1-based line, 0 when the field is absent from the file
	Path string // dotted path such as "architecture.gpu_pools[0].count"
	Msg  string
}

// Error formats the problem as "file:line: path: message".
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func joinFieldErrors(errs []*FieldError) error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxError turns a YAML syntax error into a FieldError with its line.
func syntaxError(name string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FieldError{File: name, Line: n, Msg: "syntax: " + m[2]}
	}
	return &FieldError{File: name, Msg: "syntax: " + strings.TrimPrefix(msg, "yaml: ")}
}

// typeError turns yaml's type errors into FieldErrors naming the path.
func typeError(name string, err error, lines *lineIndex) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return &FieldError{File: name, Msg: err.Error()}
	}
	var out []*FieldError
	for _, s := range te.Errors {
		fe := &FieldError{File: name, Msg: s}
		if m := yamlLine.FindStringSubmatch(s); m != nil {
			fe.Line, _ = strconv.Atoi(m[1])
			fe.Msg = "wrong type: " + m[2]
			fe.Path = lines.pathAt(fe.Line)
		}
		out = append(out, fe)
	}
	return joinFieldErrors(out)
}
