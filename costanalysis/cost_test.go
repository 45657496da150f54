package costanalysis

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/harness/units"
	"github.com/scaletest/scaletest/scalability"
	"github.com/stretchr/testify/require"
)

// readDay is the day the tests price on: the catalog's estimates were
// written then, the FACTS.md prices were read 2026-02-20.
var readDay = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

func aws() *catalog.Catalog { return catalog.Default()[catalog.DefaultName] }

func basePlan(t *testing.T, cfg *targets.Config) *scalability.CapacityPlan {
	t.Helper()
	p, err := scalability.Plan(cfg, scalability.Measurements{})
	require.NoError(t, err)
	return p
}

func line(t *testing.T, c *Cost, prefix string) Line {
	t.Helper()
	for _, l := range c.Lines {
		if strings.HasPrefix(l.Item, prefix) {
			return l
		}
	}
	t.Fatalf("no line %q in %s", prefix, c.Name)
	return Line{}
}

// TestDeclaredByHand checks the default architecture's bill line by line
// against the catalog's prices.
func TestDeclaredByHand(t *testing.T) {
	cfg := targets.Default()
	p := basePlan(t, cfg)
	c, err := Declared(p, Options{Catalog: aws(), Now: readDay})
	require.NoError(t, err)
	near := func(name string, got units.USD, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-9*math.Max(1, want) {
			t.Errorf("%s = %.10g; want %.10g", name, float64(got), want)
		}
	}
	const hours, videos = 30 * 24, 10_000_000.0

	// 1000 A100 = 125 p4d.24xlarge at $21.958/h around the clock.
	near("gpu-fleet per month", line(t, c, "gpu-fleet").PerMonth, 125*21.958*hours)
	near("gpu-fleet per video", line(t, c, "gpu-fleet").PerVideo, 125*21.958*hours/videos)
	// 100 c7i.8xlarge at $1.428/h.
	near("cpu-workers per month", line(t, c, "cpu-workers").PerMonth, 100*1.428*hours)
	// One video's bytes: 30 days standard at $0.023, 60 days IA at
	// $0.0125, per GB-month of 365.25/12 days.
	gb := p.Storage.BytesPerVideo / 1e9
	near("storage per video", line(t, c, "object storage").PerVideo,
		gb*(0.023*30+0.0125*60)/(365.25/12))
	// Egress: the month's bytes out through the four tiers.
	out := p.Network[1].BytesPerVideo * videos / 1e9
	require.Greater(t, out, 150_000.0, "the test expects all four tiers used")
	near("egress per month", line(t, c, "internet egress").PerMonth,
		10_000*0.09+40_000*0.085+100_000*0.07+(out-150_000)*0.05)
	// Databases: 2 x $0.449, 3 x $0.206, 1 x $0.252 per hour.
	near("postgres", line(t, c, "postgres").PerMonth, 2*0.449*hours)
	near("redis", line(t, c, "redis").PerMonth, 3*0.206*hours)
	near("neo4j", line(t, c, "neo4j").PerMonth, 1*0.252*hours)

	sum := 0.0
	for _, l := range c.Lines {
		sum += float64(l.PerMonth)
	}
	near("total per month", c.PerMonth, sum)
	near("total per video", c.PerVideo, sum/videos)
	require.Equal(t, ComputeGPU, c.Dominant())
	require.Equal(t, record.Config, c.Source, "nothing measured")
}

// TestIdleCapacityIsPaidFor checks that a compute line's cost per video
// is the busy cost of one video divided by the pool's utilisation.
func TestIdleCapacityIsPaidFor(t *testing.T) {
	p := basePlan(t, targets.Default())
	c, err := Declared(p, Options{Catalog: aws(), Now: readDay})
	require.NoError(t, err)
	l := line(t, c, "gpu-fleet")
	w := p.Work
	// Encoding lands on the p4d hosts: the CPU path without the package
	// stages (the cpu-workers pool makes those), 96 vCPUs per host.
	cpuSeconds := w.MeanLengthSeconds * (w.CPUPath.Value - w.Thumbnail.Value - w.Package.Value)
	busy := cpuSeconds * 21.958 / (96 * 3600)
	got := float64(l.PerVideo) * l.Utilisation
	require.InDelta(t, busy, got, 1e-9*busy, "busy cost %v; line x utilisation %v", busy, got)
	require.Less(t, l.Utilisation, 0.5, "most of the fleet idles over the week")
}

func TestCostByLength(t *testing.T) {
	p := basePlan(t, targets.Default())
	c, err := Declared(p, Options{Catalog: aws(), Now: readDay})
	require.NoError(t, err)
	var fixed units.USD
	for _, l := range c.Lines {
		if !l.PerMediaSecond {
			fixed += l.PerVideo
		}
	}
	for _, lc := range c.ByLength {
		want := fixed + (c.PerVideo-fixed)*units.USD(lc.Length.Seconds()/p.Work.MeanLengthSeconds)
		require.InDelta(t, float64(want), float64(lc.PerVideo), 1e-12)
	}
	require.Len(t, c.ByLength, 3)
	require.Less(t, c.ByLength[0].PerVideo, c.PerVideo, "a median video costs less than the mean")
}

func TestWarnings(t *testing.T) {
	p := basePlan(t, targets.Default())
	c, err := Declared(p, Options{Catalog: aws(), Now: readDay, MaxPriceAge: 180 * 24 * time.Hour})
	require.NoError(t, err)
	require.ErrorContains(t, c.Err(), "aws-us-west-2.yaml:12: instance p4d.24xlarge on-demand: "+
		"price read 2026-02-20 is 286 days old (limit 180)")
	c, err = Declared(p, Options{Catalog: aws(), Now: readDay, MaxPriceAge: 400 * 24 * time.Hour})
	require.NoError(t, err)
	require.NoError(t, c.Err())

	gcp := catalog.Default()["gcp-us-central1"]
	c, err = Declared(p, Options{Catalog: gcp, Now: readDay})
	require.NoError(t, err)
	msg := c.Err().Error()
	require.Contains(t, msg, "has no instance with A100: pool gpu-fleet not counted")
	require.Contains(t, msg, "has no price for c7i.8xlarge: pool cpu-workers not counted")
	require.Contains(t, msg, "has no postgres price")
}

func TestTiering(t *testing.T) {
	p := basePlan(t, targets.Default())
	gb := p.Storage.BytesPerVideo / 1e9
	tests := []struct {
		name string
		tier []Tier
		want float64 // USD per video
	}{
		{"all standard", []Tier{{Class: "standard"}}, gb * 0.023 * 90 / (365.25 / 12)},
		// 10 days in IA are billed its 30-day minimum.
		{"minimum duration", []Tier{{"standard", 80}, {"standard-ia", 0}},
			gb * (0.023*80 + 0.0125*30) / (365.25 / 12)},
		{"glacier", []Tier{{"standard", 30}, {"glacier-ir", 60}},
			gb * (0.023*30 + 0.004*90) / (365.25 / 12)},
	}
	for _, tt := range tests {
		c, err := Declared(p, Options{Catalog: aws(), Now: readDay, Tiering: tt.tier})
		require.NoError(t, err)
		got := float64(line(t, c, "object storage").PerVideo)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: storage per video = %.8f; want %.8f", tt.name, got, tt.want)
		}
	}
}
