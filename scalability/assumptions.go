package scalability

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/scaletest/scaletest/harness/record"
)

// AssumptionsFile is the name of the assumptions data file, embedded in
// the package and overridable from a directory (LoadAssumptions).
const AssumptionsFile = "assumptions.yaml"

//go:embed data/assumptions.yaml
var defaultAssumptions []byte

// Assumption is one per-unit figure the model uses when a run has not
// measured it, such as "x264/veryfast/easy-fps" = 47 frames/s.
type Assumption struct {
	Name  string
	Value float64
	Unit  string
	Provenance
}

// Assumptions is the set of figures by name.
type Assumptions struct {
	byName map[string]Assumption
}

// requiredAssumptions are the names the model reads; a file set missing
// one is rejected, so lookups cannot fail later.
var requiredAssumptions = []string{
	"x264/ultrafast/easy-fps", "x264/ultrafast/hard-fps",
	"x264/veryfast/easy-fps", "x264/veryfast/hard-fps",
	"x264/medium/easy-fps", "x264/medium/hard-fps",
	"x264/measured-vcpus", "content/hard-share",
	"codec/hevc/cpu-factor", "codec/av1/cpu-factor",
	"nvenc/P1-fps", "nvenc/P3-fps", "nvenc/P5-fps",
	"codec/hevc/nvenc-factor", "codec/av1/nvenc-factor", "nvdec/fps",
	"video/frame-rate", "video/source-height",
	"cpu/decode", "cpu/audio", "cpu/thumbnail", "cpu/package",
	"bitrate/1080p-mbps", "bitrate/pixel-exponent", "bitrate/audio-mbps",
	"queue/slot-vcpus", "queue/max-wait-seconds", "queue/wait-probability",
	"db/postgres/ops-per-video", "db/redis/ops-per-video", "db/neo4j/ops-per-video",
	"db/postgres/ops-per-second", "db/redis/ops-per-second", "db/neo4j/ops-per-second",
	"network/youtube-uploads-per-video", "network/delivery-views-per-video",
	"network/busiest-minute-z",
}

var parsedAssumptions = sync.OnceValues(func() (*Assumptions, error) {
	return ParseAssumptions("data/"+AssumptionsFile, defaultAssumptions)
})

// DefaultAssumptions returns a copy of the embedded figures. It panics
// if the embedded file is broken, which a test rules out.
func DefaultAssumptions() *Assumptions {
	a, err := parsedAssumptions()
	if err != nil {
		panic(fmt.Sprintf("scalability: embedded assumptions: %v", err))
	}
	return a.Scaled("", 1)
}

// ParseAssumptions reads an assumptions file, which must hold every
// figure the model reads. name labels errors; each problem is a
// *DataError with its line.
func ParseAssumptions(name string, data []byte) (*Assumptions, error) {
	a, err := parseFigures(name, data)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, n := range requiredAssumptions {
		if _, ok := a.byName[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing figures: %v", name, missing)
	}
	return a, nil
}

// LoadAssumptions returns the embedded figures overlaid with those of
// dir/assumptions.yaml, when that file exists: a user file may hold only
// the figures it changes.
func LoadAssumptions(dir string) (*Assumptions, error) {
	a := DefaultAssumptions()
	path := filepath.Join(dir, AssumptionsFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load assumptions: %w", err)
	}
	over, err := parseFigures(path, data)
	if err != nil {
		return nil, fmt.Errorf("load assumptions: %w", err)
	}
	for n, f := range over.byName {
		a.byName[n] = f
	}
	return a, nil
}

func parseFigures(name string, data []byte) (*Assumptions, error) {
	r := &nodeReader{file: name}
	top := r.root(data, "figures")
	a := &Assumptions{byName: map[string]Assumption{}}
	for i, n := range r.sequence(top["figures"], "figures") {
		path := fmt.Sprintf("figures[%d]", i)
		m := r.mapping(n, path, "name", "value", "unit", "source", "read", "uncertain")
		if m == nil {
			continue
		}
		f := Assumption{
			Name:       r.str(m, n, path, "name", true),
			Value:      r.num(m, n, path, "value", true, 0),
			Unit:       r.str(m, n, path, "unit", true),
			Provenance: r.provenance(m, n, path),
		}
		if _, dup := a.byName[f.Name]; dup && f.Name != "" {
			r.errf(n, path+".name", "duplicate figure %q", f.Name)
		}
		a.byName[f.Name] = f
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return a, nil
}

// Get returns the figure called name.
func (a *Assumptions) Get(name string) (Assumption, bool) {
	f, ok := a.byName[name]
	return f, ok
}

// Names returns the names of every figure, sorted.
func (a *Assumptions) Names() []string {
	out := make([]string, 0, len(a.byName))
	for n := range a.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Scaled returns a copy of a with the named figure multiplied by factor;
// sensitivity analyses use it.
func (a *Assumptions) Scaled(name string, factor float64) *Assumptions {
	c := &Assumptions{byName: make(map[string]Assumption, len(a.byName))}
	for n, f := range a.byName {
		if n == name {
			f.Value *= factor
		}
		c.byName[n] = f
	}
	return c
}

// value returns a required figure; ParseAssumptions guarantees it is
// there, so a missing one is a programming error.
func (a *Assumptions) value(name string) float64 {
	f, ok := a.byName[name]
	if !ok {
		return math.NaN()
	}
	return f.Value
}

// figure returns a required assumption as a Figure from configuration.
func (a *Assumptions) figure(name string) Figure {
	f := a.byName[name]
	note := f.Source
	if f.Uncertain {
		note += " (uncertain)"
	}
	return Figure{Value: f.Value, Source: record.Config, From: "assumption " + name + ": " + note}
}
