package targets

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// lineIndex maps dotted field paths to the lines that hold them, and back.
type lineIndex struct {
	byPath map[string]int
	byLine map[int]string
}

func newLineIndex(root *yaml.Node) *lineIndex {
	ix := &lineIndex{byPath: map[string]int{}, byLine: map[int]string{}}
	ix.walk(root, "")
	return ix
}

func (ix *lineIndex) add(path string, line int) {
	ix.byPath[path] = line
	if _, ok := ix.byLine[line]; !ok || len(path) > len(ix.byLine[line]) {
		ix.byLine[line] = path
	}
}

func (ix *lineIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ix.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			ix.add(p, k.Line)
			ix.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			ix.add(p, c.Line)
			ix.walk(c, p)
		}
	}
}

// line returns the line of path, or of its nearest ancestor in the file.
func (ix *lineIndex) line(path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := ix.byPath[p]; ok {
			return l
		}
	}
	return 0
}

func (ix *lineIndex) pathAt(line int) string { return ix.byLine[line] }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func parent(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

var durationType = reflect.TypeFor[time.Duration]()

// checkKnown reports every mapping key that has no field in the target
// type, with the keys that would have been accepted.
func checkKnown(name string, root *yaml.Node, v any) []error {
	var errs []error
	var visit func(n *yaml.Node, t reflect.Type, path string)
	visit = func(n *yaml.Node, t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				visit(c, t, path)
			}
		case yaml.MappingNode:
			if t.Kind() == reflect.Map {
				for i := 1; i < len(n.Content); i += 2 {
					k := n.Content[i-1].Value
					visit(n.Content[i], t.Elem(), join(path, k))
				}
				return
			}
			if t.Kind() != reflect.Struct || t == durationType {
				return // a type error; Decode reports it
			}
			fields := yamlFields(t)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				f, ok := fields[k.Value]
				if !ok {
					errs = append(errs, &FieldError{
						File: name, Line: k.Line, Path: join(path, k.Value),
						Msg: "unknown field (known: " + known(fields) + ")",
					})
					continue
				}
				visit(n.Content[i+1], f.Type, join(path, k.Value))
			}
		case yaml.SequenceNode:
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return
			}
			for i, c := range n.Content {
				visit(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	visit(root, reflect.TypeOf(v), "")
	return errs
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "-" {
			continue
		}
		if tag == "" {
			tag = strings.ToLower(f.Name)
		}
		out[tag] = f
	}
	return out
}

func known(fields map[string]reflect.StructField) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
