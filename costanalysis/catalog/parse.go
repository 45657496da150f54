package catalog

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/scaletest/scaletest/harness/units"
)

//go:embed data/*.yaml
var embedded embed.FS

// EnvDir names the environment variable that points at a directory of
// catalog files to overlay on the embedded ones (see LoadDefault).
const EnvDir = "SCALETEST_CATALOG_DIR"

// DefaultName is the catalog the cost model uses unless told otherwise.
const DefaultName = "aws-us-west-2"

// LineError is a problem in a catalog file, at a line.
type LineError struct {
	File string
	Line int
	Path string
	Msg  string
}

// Error formats the problem as "file:line: path: message".
func (e *LineError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Path, e.Msg)
}

// Default returns the embedded catalogs by name ("aws-us-west-2"). It
// panics if an embedded file is broken, which a test rules out.
func Default() map[string]*Catalog {
	out, err := readFS(embedded, "data")
	if err != nil {
		panic(fmt.Sprintf("catalog: embedded data: %v", err))
	}
	return out
}

// Load returns the embedded catalogs overlaid with the *.yaml files of
// dir: a file replaces the embedded catalog of the same provider and
// region, others are added.
func Load(dir string) (map[string]*Catalog, error) {
	out := Default()
	user, err := readFS(os.DirFS(dir), ".")
	if err != nil {
		return nil, fmt.Errorf("load catalog %s: %w", dir, err)
	}
	for n, c := range user {
		out[n] = c
	}
	return out, nil
}

// LoadDefault is Load of the directory named by SCALETEST_CATALOG_DIR,
// or Default when it is unset.
func LoadDefault() (map[string]*Catalog, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return Load(d)
	}
	return Default(), nil
}

func readFS(fsys fs.FS, dir string) (map[string]*Catalog, error) {
	names, err := fs.Glob(fsys, filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	out := map[string]*Catalog{}
	var errs []error
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c, err := Parse(n, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[c.Name()] = c
	}
	return out, errors.Join(errs...)
}

// Parse reads one catalog file. name labels errors; the error joins a
// *LineError for every problem: unknown keys, missing fields, prices
// without a source or read date, negative or non-numeric amounts.
func Parse(name string, data []byte) (*Catalog, error) {
	r := &reader{file: name}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: parse: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, &LineError{File: name, Line: 1, Path: "(root)", Msg: "file is empty"}
	}
	root := doc.Content[0]
	top := r.mapping(root, "", "provider", "region", "instances", "storage", "egress",
		"databases")
	c := &Catalog{File: name,
		Provider: r.str(top, root, "provider", true),
		Region:   r.str(top, root, "region", true)}

	for i, n := range r.seq(top["instances"], "instances") {
		p := fmt.Sprintf("instances[%d]", i)
		m := r.mapping(n, p, "name", "gpu", "gpus", "vcpus", "on_demand", "spot", "committed")
		inst := Instance{
			Name:  r.str(m, n, p+".name", true),
			GPU:   r.str(m, n, p+".gpu", false),
			GPUs:  int(r.num(m, n, p+".gpus", false)),
			VCPUs: int(r.num(m, n, p+".vcpus", true)),
		}
		if (inst.GPU == "") != (inst.GPUs == 0) {
			r.errf(n, p, "gpu and gpus go together (got %q, %d)", inst.GPU, inst.GPUs)
		}
		inst.OnDemand = r.price(m, p, "on_demand", "usd_per_hour")
		inst.Spot = r.price(m, p, "spot", "usd_per_hour")
		inst.Committed = r.price(m, p, "committed", "usd_per_hour")
		if inst.OnDemand == nil && inst.Spot == nil && inst.Committed == nil {
			r.errf(n, p, "has no price")
		}
		c.Instances = append(c.Instances, inst)
	}
	for i, n := range r.seq(top["storage"], "storage") {
		p := fmt.Sprintf("storage[%d]", i)
		m := r.mapping(n, p, "class", "min_days", "price")
		s := StorageClass{Class: r.str(m, n, p+".class", true),
			MinDays: r.num(m, n, p+".min_days", false),
			Price:   r.price(m, p, "price", "usd_per_gb_month")}
		if s.Price == nil {
			r.errf(n, p+".price", "missing")
		}
		c.Storage = append(c.Storage, s)
	}
	egress := r.seq(top["egress"], "egress")
	for i, n := range egress {
		p := fmt.Sprintf("egress[%d]", i)
		m := r.mapping(n, p, "up_to_tb", "price")
		t := EgressTier{UpToTB: math.Inf(1), Price: r.price(m, p, "price", "usd_per_gb")}
		if _, ok := m["up_to_tb"]; ok {
			t.UpToTB = r.num(m, n, p+".up_to_tb", true)
		} else if i != len(egress)-1 {
			r.errf(n, p+".up_to_tb", "missing: only the last tier is unbounded")
		}
		if i > 0 && !math.IsInf(c.Egress[i-1].UpToTB, 1) && t.UpToTB <= c.Egress[i-1].UpToTB {
			r.errf(n, p+".up_to_tb", "must exceed the previous tier's %g TB",
				c.Egress[i-1].UpToTB)
		}
		if t.Price == nil {
			r.errf(n, p+".price", "missing")
		}
		c.Egress = append(c.Egress, t)
	}
	for i, n := range r.seq(top["databases"], "databases") {
		p := fmt.Sprintf("databases[%d]", i)
		m := r.mapping(n, p, "service", "instance", "on_demand")
		d := Database{Service: r.str(m, n, p+".service", true),
			Instance: r.str(m, n, p+".instance", true),
			OnDemand: r.price(m, p, "on_demand", "usd_per_hour")}
		if d.OnDemand == nil {
			r.errf(n, p+".on_demand", "missing")
		}
		c.Databases = append(c.Databases, d)
	}
	if err := errors.Join(r.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// reader walks yaml nodes and collects a *LineError per problem.
type reader struct {
	file string
	errs []error
	// keyLine maps a value node to the line of its key, which is where
	// a block mapping's problems are best reported.
	keyLine map[*yaml.Node]int
}

func (r *reader) errf(n *yaml.Node, path, format string, args ...any) {
	line := n.Line
	if l, ok := r.keyLine[n]; ok {
		line = l
	}
	r.errs = append(r.errs, &LineError{File: r.file, Line: line, Path: path,
		Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) mapping(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		r.errf(n, orRoot(path), "must be a mapping")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			r.errf(k, dot(path, k.Value), "unknown field (known: %s)",
				strings.Join(allowed, ", "))
			continue
		}
		out[k.Value] = n.Content[i+1]
		if r.keyLine == nil {
			r.keyLine = map[*yaml.Node]int{}
		}
		r.keyLine[n.Content[i+1]] = k.Line
	}
	return out
}

func (r *reader) seq(n *yaml.Node, path string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errf(n, path, "must be a list")
		return nil
	}
	return n.Content
}

// str reads m[last element of path]; at is the node to blame when the
// key is missing.
func (r *reader) str(m map[string]*yaml.Node, at *yaml.Node, path string, required bool) string {
	v, ok := m[last(path)]
	if !ok || strings.TrimSpace(v.Value) == "" {
		if required {
			r.errf(at, path, "missing")
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		r.errf(v, path, "must be a string")
		return ""
	}
	return strings.Join(strings.Fields(v.Value), " ")
}

func (r *reader) num(m map[string]*yaml.Node, at *yaml.Node, path string, required bool) float64 {
	v, ok := m[last(path)]
	if !ok {
		if required {
			r.errf(at, path, "missing")
		}
		return 0
	}
	f, err := strconv.ParseFloat(v.Value, 64)
	switch {
	case v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		r.errf(v, path, "must be a finite number, got %q", v.Value)
	case f < 0:
		r.errf(v, path, "must not be negative, got %v", f)
	default:
		return f
	}
	return 0
}

// price reads the price mapping m[key] with its amount under amountKey;
// nil when absent.
func (r *reader) price(m map[string]*yaml.Node, path, key, amountKey string) *Price {
	n, ok := m[key]
	if !ok {
		return nil
	}
	p := path + "." + key
	pm := r.mapping(n, p, amountKey, "source", "read", "uncertain")
	out := &Price{File: r.file, Line: r.keyLine[n],
		USD:    units.USD(r.num(pm, n, p+"."+amountKey, true)),
		Source: r.str(pm, n, p+".source", true)}
	if s := r.str(pm, n, p+".read", true); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			r.errf(pm["read"], p+".read", "must be a date YYYY-MM-DD, got %q", s)
		}
		out.Read = t
	}
	if u, ok := pm["uncertain"]; ok {
		b, err := strconv.ParseBool(u.Value)
		if err != nil {
			r.errf(u, p+".uncertain", "must be true or false, got %q", u.Value)
		}
		out.Uncertain = b
	}
	return out
}

func last(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func dot(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}
