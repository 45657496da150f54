package fault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Load reads and validates the schedule in the file at path.
func Load(path string) (*Schedule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read schedule: %w", err)
	}
	return Parse(filepath.Base(path), data)
}

// Parse reads a schedule from YAML or JSON (a JSON document is YAML too)
// and validates it. name labels errors, usually the file name. An unknown
// key and a value of the wrong type are errors, all reported at once; a
// file without them is then validated, again reporting every problem. Each
// is a *FieldError with its line:
//
//	name: redis-outage        # optional
//	faults:
//	  - what: latency         # a Kind
//	    target: redis         # a proxy, service or worker pool
//	    at: 1s                # from the start of the run
//	    duration: 2s
//	    params: {latency: 100ms, jitter: 20ms, stream: downstream}
func Parse(name string, data []byte) (*Schedule, error) {
	s := &Schedule{file: name, lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(name, err)
	}
	d := &decoder{s: s, p: &problems{s: s}}
	if len(doc.Content) == 0 {
		d.p.add("", "empty schedule: want a mapping with a faults list")
		return nil, errors.Join(d.p.errs...)
	}
	d.schedule(doc.Content[0])
	if len(d.p.errs) > 0 {
		return nil, errors.Join(d.p.errs...)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func syntaxError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FieldError{File: name, Line: n, Msg: "syntax: " + m[2]}
	}
	return &FieldError{File: name, Msg: "syntax: " + msg}
}

// decoder walks the YAML tree, filling s and collecting problems.
type decoder struct {
	s *Schedule
	p *problems
}

// mapping calls f for each key of n, reporting duplicate keys and keys
// not in known; unknownMsg, when set, says what an unknown key should be.
func (d *decoder) mapping(n *yaml.Node, path string, known []string,
	unknownMsg string, f func(key string, v *yaml.Node, path string)) {
	if unknownMsg == "" {
		unknownMsg = "unknown field (known: " + strings.Join(known, ", ") + ")"
	}
	if n.Kind != yaml.MappingNode {
		d.p.errs = append(d.p.errs, &FieldError{File: d.s.file, Line: n.Line,
			Path: path, Msg: "want a mapping of " + strings.Join(known, ", ")})
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		d.s.lines[p] = k.Line
		switch {
		case seen[k.Value]:
			d.p.add(p, "duplicate key")
		case !slices.Contains(known, k.Value):
			d.p.add(p, "%s", unknownMsg)
		default:
			f(k.Value, v, p)
		}
		seen[k.Value] = true
	}
}

func (d *decoder) schedule(n *yaml.Node) {
	d.mapping(n, "", []string{"name", "faults"}, "", func(k string,
		v *yaml.Node, path string) {
		switch k {
		case "name":
			d.s.Name = d.str(v, path)
		case "faults":
			if v.Kind != yaml.SequenceNode {
				d.p.add(path, "want a list of faults")
				return
			}
			for i, c := range v.Content {
				p := fmt.Sprintf("faults[%d]", i)
				d.s.lines[p] = c.Line
				var f Fault
				d.fault(c, p, &f)
				d.s.Faults = append(d.s.Faults, f)
			}
		}
	})
}

func (d *decoder) fault(n *yaml.Node, path string, f *Fault) {
	fields := []string{"what", "target", "at", "duration", "params"}
	var params *yaml.Node
	var paramsPath string
	d.mapping(n, path, fields, "", func(k string, v *yaml.Node, p string) {
		switch k {
		case "what":
			f.What = Kind(d.str(v, p))
		case "target":
			f.Target = d.str(v, p)
		case "at":
			f.At = d.duration(v, p)
		case "duration":
			f.Duration = d.duration(v, p)
		case "params":
			params, paramsPath = v, p
		}
	})
	if params != nil {
		d.params(params, paramsPath, f)
	}
}

// params decodes the parameters of f, after its kind is known.
func (d *decoder) params(n *yaml.Node, path string, f *Fault) {
	var known []string
	for _, s := range paramSpecs {
		known = append(known, s.name)
	}
	pr := &f.Params
	msg := ""
	if f.What.Category() != "" {
		msg = fmt.Sprintf("not a parameter of %s (known: %s)", f.What,
			f.What.paramNames())
	}
	d.mapping(n, path, known, msg, func(k string, v *yaml.Node, p string) {
		if ok, _ := f.What.accepts(k); !ok && msg != "" {
			d.p.add(p, "%s", msg)
			return
		}
		switch k {
		case "latency":
			pr.Latency = d.duration(v, p)
		case "jitter":
			pr.Jitter = d.duration(v, p)
		case "after":
			pr.After = d.duration(v, p)
		case "delay":
			pr.Delay = d.duration(v, p)
		case "kilobytes_per_second":
			pr.KilobytesPerSecond = d.int(v, p)
		case "average_size":
			pr.AverageSize = d.int(v, p)
		case "size_variation":
			pr.SizeVariation = d.int(v, p)
		case "bytes":
			pr.Bytes = d.int(v, p)
		case "count":
			pr.Count = int(d.int(v, p))
		case "stream":
			pr.Stream = Stream(d.str(v, p))
		case "mode":
			pr.Mode = PartitionMode(d.str(v, p))
		case "toxicity":
			pr.Toxicity = d.float(v, p)
		}
	})
}

func (d *decoder) scalar(n *yaml.Node, path, want string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.p.add(path, "want %s", want)
		return false
	}
	return true
}

func (d *decoder) str(n *yaml.Node, path string) string {
	if !d.scalar(n, path, "a string") {
		return ""
	}
	return n.Value
}

func (d *decoder) duration(n *yaml.Node, path string) time.Duration {
	const want = `a duration such as "1.5s" or "200ms"`
	if !d.scalar(n, path, want) {
		return 0
	}
	if n.Value == "0" {
		return 0
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		d.p.add(path, "want %s, got %q", want, n.Value)
	}
	return v
}

func (d *decoder) int(n *yaml.Node, path string) int64 {
	if !d.scalar(n, path, "a whole number") {
		return 0
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil || n.Tag != "!!int" {
		d.p.add(path, "want a whole number, got %q", n.Value)
	}
	return v
}

func (d *decoder) float(n *yaml.Node, path string) float64 {
	if !d.scalar(n, path, "a number") {
		return 0
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || (n.Tag != "!!float" && n.Tag != "!!int") {
		d.p.add(path, "want a number, got %q", n.Value)
	}
	return v
}
