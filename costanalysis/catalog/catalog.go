// Package catalog holds dated cloud prices as data: instance types with
// their GPUs and on-demand, spot and committed prices, object storage by
// class, internet egress tiers and managed databases, one file per
// provider and region (data/aws-us-west-2.yaml, ...).
//
// Every price carries its source and the day it was read. Parse rejects a
// price without either, or below zero, naming the file and the line;
// Stale lists the prices older than a given age so that a cost built on
// them can say so. Default returns the embedded files; Load overlays a
// user's directory of files on them.
package catalog

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scaletest/scaletest/harness/units"
)

// Price is one dated amount. What it is per (hour, GB-month, GB) is said
// by the field that holds it.
type Price struct {
	USD units.USD
	// Source names where the amount comes from; Read is the day it was
	// read; Uncertain marks estimates and third-party figures.
	Source    string
	Read      time.Time
	Uncertain bool
	// File and Line locate the price in its catalog file.
	File string
	Line int
}

// String formats the price with its provenance.
func (p *Price) String() string {
	s := fmt.Sprintf("%v (%s, read %s", p.USD, p.Source, p.Read.Format(time.DateOnly))
	if p.Uncertain {
		s += ", uncertain"
	}
	return s + ")"
}

// Option is a way of buying an instance.
type Option string

// Purchase options.
const (
	OnDemand  Option = "on-demand"
	Spot      Option = "spot"
	Committed Option = "committed"
)

// Options lists the purchase options in a stable order.
var Options = []Option{OnDemand, Spot, Committed}

// Instance is a machine type with its hourly prices (nil when the
// catalog has none for an option).
type Instance struct {
	Name string
	// GPU is the card model, empty for CPU-only types; GPUs counts them.
	GPU   string
	GPUs  int
	VCPUs int
	// OnDemand, Spot and Committed are USD per instance-hour.
	OnDemand  *Price
	Spot      *Price
	Committed *Price
}

// Price returns the hourly price of option o, nil when there is none.
func (i *Instance) Price(o Option) *Price {
	switch o {
	case OnDemand:
		return i.OnDemand
	case Spot:
		return i.Spot
	case Committed:
		return i.Committed
	}
	return nil
}

// StorageClass is an object storage class. MinDays is the least a stored
// byte is billed for (early deletion is charged as if kept that long).
type StorageClass struct {
	Class   string
	MinDays float64
	// Price is USD per GB-month (10^9 bytes).
	Price *Price
}

// EgressTier is one step of internet egress pricing: Price applies to
// the bytes of a month above the previous tier up to UpToTB terabytes
// (+Inf for the last tier).
type EgressTier struct {
	UpToTB float64
	// Price is USD per GB (10^9 bytes).
	Price *Price
}

// Database is a managed (or self-managed) database instance type for a
// service ("postgres", "redis", "neo4j").
type Database struct {
	Service  string
	Instance string
	// OnDemand is USD per instance-hour.
	OnDemand *Price
}

// Catalog is the prices of one provider and region.
type Catalog struct {
	Provider  string
	Region    string
	File      string
	Instances []Instance
	Storage   []StorageClass
	Egress    []EgressTier
	Databases []Database
}

// Name returns "provider-region", the catalog's file stem.
func (c *Catalog) Name() string { return c.Provider + "-" + c.Region }

// Instance returns the instance type called name, or nil.
func (c *Catalog) Instance(name string) *Instance {
	for i := range c.Instances {
		if c.Instances[i].Name == name {
			return &c.Instances[i]
		}
	}
	return nil
}

// WithGPU returns the instance types carrying card (case-insensitive).
func (c *Catalog) WithGPU(card string) []*Instance {
	var out []*Instance
	for i := range c.Instances {
		if c.Instances[i].GPU != "" && strings.EqualFold(c.Instances[i].GPU, card) {
			out = append(out, &c.Instances[i])
		}
	}
	return out
}

// StorageClass returns the class called name, or nil.
func (c *Catalog) StorageClass(name string) *StorageClass {
	for i := range c.Storage {
		if c.Storage[i].Class == name {
			return &c.Storage[i]
		}
	}
	return nil
}

// Database returns the instance type for service, or nil.
func (c *Catalog) Database(service string) *Database {
	for i := range c.Databases {
		if c.Databases[i].Service == service {
			return &c.Databases[i]
		}
	}
	return nil
}

// EgressCost returns the price of sending gb gigabytes to the internet in
// one month, walking the tiers; NaN when the catalog has no egress
// prices.
func (c *Catalog) EgressCost(gb float64) units.USD {
	if len(c.Egress) == 0 {
		return units.USD(math.NaN())
	}
	total, below := units.USD(0), 0.0
	for _, t := range c.Egress {
		top := t.UpToTB * 1000
		if gb <= below {
			break
		}
		n := math.Min(gb, top) - below
		total += units.USD(n) * t.Price.USD
		below = top
	}
	return total
}

// Prices returns every price of the catalog with a label saying what it
// is ("instance c7i.8xlarge spot").
func (c *Catalog) Prices() map[string]*Price {
	out := map[string]*Price{}
	for _, i := range c.Instances {
		for _, o := range Options {
			if p := i.Price(o); p != nil {
				out["instance "+i.Name+" "+string(o)] = p
			}
		}
	}
	for _, s := range c.Storage {
		out["storage "+s.Class] = s.Price
	}
	below := 0.0
	for _, e := range c.Egress {
		out[fmt.Sprintf("egress from %g TB/month", below)] = e.Price
		below = e.UpToTB
	}
	for _, d := range c.Databases {
		out["database "+d.Service+" "+d.Instance] = d.OnDemand
	}
	return out
}

// Stale returns a warning for each price read more than maxAge before
// now, naming the file and line.
func (c *Catalog) Stale(now time.Time, maxAge time.Duration) []error {
	var out []error
	prices := c.Prices()
	for _, label := range slices.Sorted(maps.Keys(prices)) {
		p := prices[label]
		if age := now.Sub(p.Read); age > maxAge {
			out = append(out, fmt.Errorf("%s:%d: %s: price read %s is %d days old (limit %d)",
				p.File, p.Line, label, p.Read.Format(time.DateOnly),
				int(age.Hours()/24), int(maxAge.Hours()/24)))
		}
	}
	return out
}

// Kind groups prices for Scaled.
type Kind string

// Kinds of prices.
const (
	GPUInstances Kind = "gpu-instances"
	CPUInstances Kind = "cpu-instances"
	Storage      Kind = "storage"
	Egress       Kind = "egress"
	Databases    Kind = "databases"
)

// Scaled returns a deep copy of c with every price of kind multiplied by
// factor; sensitivity analyses use it.
func (c *Catalog) Scaled(kind Kind, factor float64) *Catalog {
	scale := func(k Kind, p *Price) *Price {
		if p == nil {
			return nil
		}
		q := *p
		if k == kind {
			q.USD *= units.USD(factor)
		}
		return &q
	}
	d := *c
	d.Instances = make([]Instance, len(c.Instances))
	for n, i := range c.Instances {
		k := CPUInstances
		if i.GPUs > 0 {
			k = GPUInstances
		}
		i.OnDemand, i.Spot, i.Committed = scale(k, i.OnDemand), scale(k, i.Spot),
			scale(k, i.Committed)
		d.Instances[n] = i
	}
	d.Storage = make([]StorageClass, len(c.Storage))
	for n, s := range c.Storage {
		s.Price = scale(Storage, s.Price)
		d.Storage[n] = s
	}
	d.Egress = make([]EgressTier, len(c.Egress))
	for n, e := range c.Egress {
		e.Price = scale(Egress, e.Price)
		d.Egress[n] = e
	}
	d.Databases = make([]Database, len(c.Databases))
	for n, db := range c.Databases {
		db.OnDemand = scale(Databases, db.OnDemand)
		d.Databases[n] = db
	}
	return &d
}
