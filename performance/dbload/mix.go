package dbload

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/targets"
)

// Store names a database of the tier.
type Store string

// The stores of the DailyDoco database tier.
const (
	Postgres Store = "postgres"
	Redis    Store = "redis"
	Neo4j    Store = "neo4j"
)

//go:embed mix.yaml
var mixYAML []byte

// OpSpec is one operation of the mix, as mix.yaml states it.
type OpSpec struct {
	Name  string `yaml:"name"`
	Store Store  `yaml:"store"`
	// PerVideo is how many times one video causes the operation;
	// PerRendition counts it per rendition of the default profile's
	// ladder instead. One of the two is set.
	PerVideo     float64 `yaml:"per_video"`
	PerRendition float64 `yaml:"per_rendition"`
	// Why says where the count comes from.
	Why string `yaml:"why"`
	// SLO holds the thresholds the operation must meet.
	SLO []string `yaml:"slo"`
}

// Mix is the workload per video: every operation and the thresholds a
// store's run must meet as a whole.
type Mix struct {
	Operations []OpSpec `yaml:"operations"`
	RunSLO     []string `yaml:"run_slo"`
}

// DefaultMix returns the mix embedded from mix.yaml.
func DefaultMix() (*Mix, error) { return ParseMix(mixYAML) }

// ParseMix decodes a mix strictly (unknown keys are errors) and checks
// it: unique names, a known store, exactly one positive count, and
// thresholds that parse.
func ParseMix(data []byte) (*Mix, error) {
	var m Mix
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parse mix: %w", err)
	}
	var errs []error
	seen := map[string]bool{}
	for i, op := range m.Operations {
		at := fmt.Sprintf("operations[%d] (%s)", i, op.Name)
		if op.Name == "" || seen[op.Name] {
			errs = append(errs, fmt.Errorf("%s: name empty or repeated", at))
		}
		seen[op.Name] = true
		switch op.Store {
		case Postgres, Redis, Neo4j:
		default:
			errs = append(errs, fmt.Errorf("%s: store %q: want postgres, redis or neo4j",
				at, op.Store))
		}
		if (op.PerVideo > 0) == (op.PerRendition > 0) || op.PerVideo < 0 ||
			op.PerRendition < 0 {
			errs = append(errs, fmt.Errorf("%s: want one positive count of "+
				"per_video and per_rendition, got %v and %v", at, op.PerVideo,
				op.PerRendition))
		}
		if _, err := load.ParseThresholds(op.SLO...); err != nil {
			errs = append(errs, fmt.Errorf("%s: slo: %w", at, err))
		}
	}
	if _, err := load.ParseThresholds(m.RunSLO...); err != nil {
		errs = append(errs, fmt.Errorf("run_slo: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("parse mix: %w", err)
	}
	return &m, nil
}

// Op returns the operation called name.
func (m *Mix) Op(name string) (OpSpec, bool) {
	for _, op := range m.Operations {
		if op.Name == name {
			return op, true
		}
	}
	return OpSpec{}, false
}

// Store returns the operations of store s, in the mix's order.
func (m *Mix) Store(s Store) []OpSpec {
	var out []OpSpec
	for _, op := range m.Operations {
		if op.Store == s {
			out = append(out, op)
		}
	}
	return out
}

// Renditions is the number of outputs in the ladder of cfg's default
// profile (1 when the profile is missing, which validation forbids).
func Renditions(cfg *targets.Config) int {
	p, ok := cfg.Processing.Profile(cfg.Processing.DefaultProfile)
	if !ok || len(p.Ladder) == 0 {
		return 1
	}
	return len(p.Ladder)
}

// PerVideoUnder is how many times one video causes op under cfg.
func (op OpSpec) PerVideoUnder(cfg *targets.Config) float64 {
	if op.PerRendition > 0 {
		return op.PerRendition * float64(Renditions(cfg))
	}
	return op.PerVideo
}

// OpsPerVideo is the number of operations one video costs store s.
func (m *Mix) OpsPerVideo(cfg *targets.Config, s Store) float64 {
	sum := 0.0
	for _, op := range m.Store(s) {
		sum += op.PerVideoUnder(cfg)
	}
	return sum
}

// Rate is an operation's required rate.
type Rate struct {
	Op OpSpec
	// PerSecond is operations per second.
	PerSecond float64
}

// Rates returns the rate of each operation of store s when videos
// arrive at videosPerSecond.
func (m *Mix) Rates(cfg *targets.Config, s Store, videosPerSecond float64) []Rate {
	var out []Rate
	for _, op := range m.Store(s) {
		out = append(out, Rate{Op: op, PerSecond: op.PerVideoUnder(cfg) * videosPerSecond})
	}
	return out
}
