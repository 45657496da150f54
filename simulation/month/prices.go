package month

import (
	"errors"
	"fmt"
	"strings"

	"github.com/scaletest/scaletest/costanalysis/catalog"
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
	// Card is the GPU card, empty for a CPU pool; GPUs the cards in one
	// unit (8 for a p4d host, 1 for a unit of "GPUs"); Host the
	// instance type the card usually comes in, when known.
	Card string
	GPUs int
	Host string
	// Instance is the CPU instance type, empty for a GPU pool.
	Instance string
}

// ErrNoPrice is wrapped by UnitHour for a card or instance the catalog
// does not price.
var ErrNoPrice = errors.New("no price")

// CatalogPrices prices units from a dated price catalog of package
// costanalysis/catalog, the one the cost model uses.
type CatalogPrices struct {
	Catalog *catalog.Catalog
}

// DefaultPrices returns the catalog the cost model uses by default
// (SCALETEST_CATALOG_DIR overlays the embedded files).
func DefaultPrices() (*CatalogPrices, error) {
	cats, err := catalog.LoadDefault()
	if err != nil {
		return nil, fmt.Errorf("prices: %w", err)
	}
	c := cats[catalog.DefaultName]
	if c == nil {
		return nil, fmt.Errorf("prices: no catalog %q", catalog.DefaultName)
	}
	return &CatalogPrices{Catalog: c}, nil
}

// Describe says where the prices come from, for notes.
func (p *CatalogPrices) Describe() string {
	return "catalog " + p.Catalog.Name() + " (costanalysis/catalog)"
}

// UnitHour implements Prices. A GPU unit is priced from the card's host
// instance (or, without one, the instance with the cheapest GPU-hour),
// per GPU times the unit's GPUs. Without a spot price, spot units are
// priced on demand and the source says so.
func (p *CatalogPrices) UnitHour(u PricedUnit) (units.USD, units.USD,
	string, error) {
	var inst *catalog.Instance
	per := 1.0
	if u.Card == "" {
		inst = p.Catalog.Instance(u.Instance)
		if inst == nil {
			return 0, 0, "", fmt.Errorf("instance %s in %s: %w", u.Instance,
				p.Catalog.Name(), ErrNoPrice)
		}
	} else {
		for _, c := range p.Catalog.WithGPU(u.Card) {
			if c.OnDemand == nil || c.GPUs < 1 {
				continue
			}
			if strings.EqualFold(c.Name, u.Host) {
				inst = c
				break
			}
			if inst == nil || float64(c.OnDemand.USD)/float64(c.GPUs) <
				float64(inst.OnDemand.USD)/float64(inst.GPUs) {
				inst = c
			}
		}
		if inst == nil {
			return 0, 0, "", fmt.Errorf("card %s in %s: %w", u.Card,
				p.Catalog.Name(), ErrNoPrice)
		}
		per = float64(max(u.GPUs, 1)) / float64(inst.GPUs)
	}
	if inst.OnDemand == nil {
		return 0, 0, "", fmt.Errorf("%s on demand in %s: %w", inst.Name,
			p.Catalog.Name(), ErrNoPrice)
	}
	od := float64(inst.OnDemand.USD) * per
	src := fmt.Sprintf("%s x %.3g: on demand %v", inst.Name, per,
		inst.OnDemand)
	spot := od
	if inst.Spot != nil {
		spot = float64(inst.Spot.USD) * per
		src += fmt.Sprintf(", spot %v", inst.Spot)
	} else {
		src += ", no spot price: spot units priced on demand"
	}
	return units.USD(od), units.USD(spot), src, nil
}
