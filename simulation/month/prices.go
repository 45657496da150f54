package month

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/scaletest/scaletest/harness/units"
)

// Prices prices one unit-hour of a pool. The month's compute cost is the
// paid unit-hours of every pool (starting, up or draining; idle time
// included) times these prices.
type Prices interface {
	// UnitHour returns what one unit of the pool costs per hour on demand
	// and on spot, and where the figures come from.
	UnitHour(u PricedUnit) (onDemand, spot units.USD, source string,
		err error)
}

// PricedUnit is what a price depends on.
type PricedUnit struct {
	// Card is the GPU card, empty for a CPU pool.
	Card string
	// GPUs is the cards in one unit (8 in a p4d host, 1 for a unit
	// "GPUs").
	GPUs int
	// Instance is the CPU instance type, empty for a GPU pool.
	Instance string
}

//go:embed prices.yaml
var pricesYAML []byte

// StandIn is the small price table of prices.yaml, taken from FACTS.md,
// used while no cost catalog is wired in.
type StandIn struct {
	SpotFactor       float64 `yaml:"spot_factor"`
	SpotFactorSource string  `yaml:"spot_factor_source"`
	GPUs             []struct {
		Card      string  `yaml:"card"`
		PerGPU    float64 `yaml:"per_gpu_hour"`
		SpotGPU   float64 `yaml:"spot_per_gpu_hour"`
		Uncertain bool    `yaml:"uncertain"`
		Source    string  `yaml:"source"`
	} `yaml:"gpus"`
	Instances []struct {
		Instance  string  `yaml:"instance"`
		PerHour   float64 `yaml:"per_hour"`
		Uncertain bool    `yaml:"uncertain"`
		Source    string  `yaml:"source"`
	} `yaml:"instances"`
}

// StandInPrices returns the embedded stand-in table.
func StandInPrices() *StandIn {
	var s StandIn
	dec := yaml.NewDecoder(bytes.NewReader(pricesYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		panic(fmt.Sprintf("month: embedded prices: %v", err))
	}
	return &s
}

// ErrNoPrice is wrapped by UnitHour for a card or instance not priced.
var ErrNoPrice = fmt.Errorf("no price")

// UnitHour implements Prices.
func (s *StandIn) UnitHour(u PricedUnit) (units.USD, units.USD, string,
	error) {
	if u.Card != "" {
		for _, g := range s.GPUs {
			if !strings.EqualFold(g.Card, u.Card) {
				continue
			}
			spot := g.SpotGPU
			src := g.Source
			if spot == 0 {
				spot = g.PerGPU * s.SpotFactor
				src += "; spot x" + fmt.Sprint(s.SpotFactor)
			}
			n := float64(max(u.GPUs, 1))
			return units.USD(g.PerGPU * n), units.USD(spot * n), src, nil
		}
		return 0, 0, "", fmt.Errorf("card %s: %w", u.Card, ErrNoPrice)
	}
	for _, in := range s.Instances {
		if strings.EqualFold(in.Instance, u.Instance) {
			return units.USD(in.PerHour), units.USD(in.PerHour * s.SpotFactor),
				in.Source + "; spot x" + fmt.Sprint(s.SpotFactor), nil
		}
	}
	return 0, 0, "", fmt.Errorf("instance %s: %w", u.Instance, ErrNoPrice)
}

// Describe says what the table is, for the records' notes.
func (s *StandIn) Describe() string {
	return "stand-in table prices.yaml (FACTS.md figures; c7i.8xlarge " +
		"unconfirmed)"
}
