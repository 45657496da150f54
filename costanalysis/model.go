package costanalysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
)

// DefaultMaxPriceAge is how old a price may be before it is a warning.
const DefaultMaxPriceAge = 180 * 24 * time.Hour

// daysPerMonth converts GB-day to GB-month as providers bill it.
const daysPerMonth = 365.25 / 12

// Tier is one step of a storage lifecycle: bytes stay Days days in
// Class; Days 0 means the rest of the retention period.
type Tier struct {
	Class string
	Days  float64
}

// DefaultTiering keeps a video 30 days in standard storage (when it is
// still viewed and re-processed), then in infrequent-access storage for
// the rest of the retention period. An assumption, made explicit.
var DefaultTiering = []Tier{{Class: "standard", Days: 30}, {Class: "standard-ia"}}

// Options choose prices and policies. The zero value uses the embedded
// aws-us-west-2 catalog, DefaultMaxPriceAge, the current time and
// DefaultTiering.
type Options struct {
	Catalog     *catalog.Catalog
	MaxPriceAge time.Duration
	Now         time.Time
	Tiering     []Tier
}

func (o Options) filled() (Options, error) {
	if o.Catalog == nil {
		cats, err := catalog.LoadDefault()
		if err != nil {
			return o, fmt.Errorf("cost: %w", err)
		}
		o.Catalog = cats[catalog.DefaultName]
		if o.Catalog == nil {
			return o, fmt.Errorf("cost: no catalog %q", catalog.DefaultName)
		}
	}
	if o.MaxPriceAge <= 0 {
		o.MaxPriceAge = DefaultMaxPriceAge
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if len(o.Tiering) == 0 {
		o.Tiering = DefaultTiering
	}
	return o, nil
}

// Component is a part of the bill.
type Component string

// Components of the bill.
const (
	ComputeGPU Component = "compute-gpu"
	ComputeCPU Component = "compute-cpu"
	Storage    Component = "storage"
	Egress     Component = "egress"
	Database   Component = "database"
)

// Components lists the components in report order.
var Components = []Component{ComputeGPU, ComputeCPU, Storage, Egress, Database}

// Line is one item of the bill.
type Line struct {
	Component Component
	// Item says what is paid for: "gpu-fleet: 125 x p4d.24xlarge
	// on-demand".
	Item     string
	PerMonth units.USD
	PerVideo units.USD
	// Utilisation is the share of a compute line's capacity that does
	// work over the week (0 when none is modeled): PerVideo times
	// Utilisation pays for work, the rest for idle capacity.
	Utilisation float64
	// PerMediaSecond marks lines that grow with a video's length.
	PerMediaSecond bool
	Note           string
}

// Input is one figure the cost rests on, with where it came from.
type Input struct {
	Name   string
	Value  float64
	Unit   string
	Source record.Source
	From   string
}

// LengthCost is the cost of one video of a given length quantile.
type LengthCost struct {
	Quantile float64
	Length   time.Duration
	PerVideo units.USD
}

// Cost is a priced architecture.
type Cost struct {
	// Name is "declared" or "optimized".
	Name           string
	Lines          []Line
	PerMonth       units.USD
	PerVideo       units.USD
	VideosPerMonth float64
	// ByLength prices a median, a p90 and a p99 video: lines that grow
	// with length scale with it, the rest is per video.
	ByLength []LengthCost
	Inputs   []Input
	// Warnings are non-fatal findings: stale or missing prices, pools
	// without modeled work.
	Warnings []error
	// Source is modeled-from-measured when the figures the encoding pools
	// (CPU seconds or engine speed) and the stored bytes rest on were
	// measured, else config.
	Source record.Source
}

// Component returns the cost per video of one component.
func (c *Cost) Component(comp Component) units.USD {
	var s units.USD
	for _, l := range c.Lines {
		if l.Component == comp {
			s += l.PerVideo
		}
	}
	return s
}

// Dominant returns the component with the largest cost per video.
func (c *Cost) Dominant() Component {
	return slices.MaxFunc(Components, func(a, b Component) int {
		return cmpUSD(c.Component(a), c.Component(b))
	})
}

func cmpUSD(a, b units.USD) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bill collects lines and inputs while a cost is built.
type bill struct {
	plan  *scalability.CapacityPlan
	o     Options
	cost  *Cost
	hours float64
	seen  map[string]bool
	used  []usedPrice
}

type usedPrice struct {
	label string
	p     *catalog.Price
}

func newBill(name string, plan *scalability.CapacityPlan, o Options) *bill {
	cfg := plan.Config
	b := &bill{plan: plan, o: o, seen: map[string]bool{},
		hours: cfg.Targets.Volume.DaysPerMonth * 24,
		cost:  &Cost{Name: name, VideosPerMonth: cfg.Targets.Volume.VideosPerMonth}}
	w := plan.Work
	b.input("videos per month", b.cost.VideosPerMonth, "videos", record.Config,
		"targets.volume.videos_per_month")
	b.input("mean video length", w.MeanLengthSeconds, "s", record.Config,
		"workload.video_length (capped lognormal mean)")
	return b
}

func (b *bill) input(name string, v float64, unit string, src record.Source, from string) {
	if b.seen[name] {
		return
	}
	b.seen[name] = true
	b.cost.Inputs = append(b.cost.Inputs, Input{Name: name, Value: v, Unit: unit,
		Source: src, From: from})
}

func (b *bill) figure(name, unit string, f scalability.Figure) {
	b.input(name, f.Value, unit, f.Source, f.From)
}

func (b *bill) price(label string, p *catalog.Price, unit string) {
	if !b.seen["price "+label] {
		b.used = append(b.used, usedPrice{label, p})
	}
	b.input("price "+label, float64(p.USD), unit, record.Config,
		fmt.Sprintf("%s, read %s (%s:%d)%s", p.Source, p.Read.Format(time.DateOnly),
			p.File, p.Line, map[bool]string{true: ", uncertain", false: ""}[p.Uncertain]))
}

func (b *bill) warn(format string, args ...any) {
	b.cost.Warnings = append(b.cost.Warnings, fmt.Errorf(format, args...))
}

// monthly adds a line paid per month.
func (b *bill) monthly(comp Component, item string, perMonth units.USD, util float64,
	perMedia bool, note string) {
	b.cost.Lines = append(b.cost.Lines, Line{Component: comp, Item: item,
		PerMonth: perMonth, PerVideo: perMonth / units.USD(b.cost.VideosPerMonth),
		Utilisation: util, PerMediaSecond: perMedia, Note: note})
}

// TODO: count request charges (PUT and GET per object); only GB-months
// are priced.
//
// storage prices one video's bytes over the retention period, tier by
// tier; a tier shorter than its class's minimum is billed the minimum.
func (b *bill) storage() {
	st := b.plan.Storage
	gb := st.BytesPerVideo / 1e9
	b.input("bytes per video stored", st.BytesPerVideo, "B", st.Source,
		fmt.Sprintf("%.0f MB source + %.0f MB outputs; %s", st.SourceBytesPerVideo/1e6,
			st.OutputBytesPerVideo/1e6, strings.Join(st.Notes, "; ")))
	left := b.plan.Config.Workload.RetentionDays
	b.input("retention", left, "days", record.Config, "workload.retention_days")
	var perVideo units.USD
	var parts []string
	for i, t := range b.o.Tiering {
		if left <= 0 {
			break
		}
		days := t.Days
		if days <= 0 || days > left || i == len(b.o.Tiering)-1 {
			days = left
		}
		left -= days
		class := b.o.Catalog.StorageClass(t.Class)
		if class == nil {
			b.warn("storage class %q not in catalog %s: its %g days are not counted",
				t.Class, b.o.Catalog.Name(), days)
			continue
		}
		billed := math.Max(days, class.MinDays)
		b.price("storage "+class.Class, class.Price, "USD/GB-month")
		perVideo += units.USD(gb*billed/daysPerMonth) * class.Price.USD
		parts = append(parts, fmt.Sprintf("%g days %s (billed %g)", days, class.Class, billed))
	}
	b.monthly(Storage, "object storage: "+strings.Join(parts, ", "),
		perVideo*units.USD(b.cost.VideosPerMonth), 0, true,
		fmt.Sprintf("%.3f GB per video; steady state: each month pays the retention of "+
			"its own videos", gb))
}

// egress prices the month's outbound bytes on the tiered table.
func (b *bill) egress() {
	var out scalability.DirectionPlan
	for _, d := range b.plan.Network {
		if d.Direction == "out" {
			out = d
		}
	}
	b.input("bytes out per video", out.BytesPerVideo, "B", out.Source,
		strings.Join(out.Notes, "; "))
	gb := out.BytesPerVideo / 1e9 * b.cost.VideosPerMonth
	cost := b.o.Catalog.EgressCost(gb)
	if math.IsNaN(float64(cost)) {
		b.warn("catalog %s has no egress prices: egress not counted", b.o.Catalog.Name())
		return
	}
	for _, t := range b.o.Catalog.Egress {
		label := fmt.Sprintf("egress up to %g TB/month", t.UpToTB)
		if math.IsInf(t.UpToTB, 1) {
			label = "egress beyond the last tier"
		}
		b.price(label, t.Price, "USD/GB")
	}
	b.monthly(Egress, fmt.Sprintf("internet egress: %.0f TB/month (YouTube uploads and "+
		"delivery)", gb/1000), cost, 0, true, "ingress of sources is free (assumption)")
}

// databases prices instances per store.
func (b *bill) databases(count func(store string) int) {
	for _, s := range []string{"postgres", "redis", "neo4j"} {
		n := count(s)
		if n == 0 {
			continue
		}
		db := b.o.Catalog.Database(s)
		if db == nil {
			b.warn("catalog %s has no %s price: %d instances not counted",
				b.o.Catalog.Name(), s, n)
			continue
		}
		b.price("database "+s+" "+db.Instance, db.OnDemand, "USD/h")
		util := 0.0
		if r := b.plan.Resource(s); r != nil {
			util = r.MeanUtilisation * r.Declared / float64(n)
		}
		b.monthly(Database, fmt.Sprintf("%s: %d x %s", s, n, db.Instance),
			units.USD(float64(n)*b.hours)*db.OnDemand.USD, util, false, "")
	}
}

// finish totals the bill, prices videos by length and adds warnings for
// stale prices.
func (b *bill) finish() *Cost {
	c := b.cost
	var perMedia units.USD
	for _, l := range c.Lines {
		c.PerMonth += l.PerMonth
		c.PerVideo += l.PerVideo
		if l.PerMediaSecond {
			perMedia += l.PerVideo
		}
	}
	fixed := c.PerVideo - perMedia
	mean := b.plan.Work.MeanLengthSeconds
	for _, q := range []float64{0.5, 0.9, 0.99} {
		l := b.plan.Config.Workload.VideoLength.Quantile(q)
		c.ByLength = append(c.ByLength, LengthCost{Quantile: q, Length: l,
			PerVideo: fixed + perMedia*units.USD(l.Seconds()/mean)})
	}
	for _, u := range b.used {
		if age := b.o.Now.Sub(u.p.Read); age > b.o.MaxPriceAge {
			b.warn("%s:%d: %s: price read %s is %d days old (limit %d)", u.p.File, u.p.Line,
				u.label, u.p.Read.Format(time.DateOnly), int(age.Hours()/24),
				int(b.o.MaxPriceAge.Hours()/24))
		}
	}
	// The source: the figures the working compute and the bytes rest on.
	c.Source = b.plan.Storage.Source
	for _, r := range b.plan.Resources {
		switch r.Kind {
		case scalability.KindCPUEncode, scalability.KindHostEncode, scalability.KindNVENC:
			if r.Declared > 0 && r.Source == record.Config {
				c.Source = record.Config
			}
		}
	}
	return c
}

// Err joins the warnings into one error, nil when there are none.
func (c *Cost) Err() error { return errors.Join(c.Warnings...) }

func scaleDuration(d time.Duration, f float64) time.Duration {
	return time.Duration(float64(d) * f)
}
