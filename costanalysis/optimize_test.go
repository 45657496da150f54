package costanalysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scaletest/scaletest/costanalysis/catalog"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
	"github.com/stretchr/testify/require"
)

func TestOptimizeDefault(t *testing.T) {
	p := basePlan(t, targets.Default())
	opt, err := Optimize(p, OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay}})
	require.NoError(t, err)
	decl, err := Declared(p, Options{Catalog: aws(), Now: readDay})
	require.NoError(t, err)

	require.False(t, opt.FellBack)
	require.Less(t, opt.Cost.PerVideo, decl.PerVideo)
	require.NotEmpty(t, opt.Chosen)
	for _, c := range opt.Chosen {
		require.Equal(t, "nvenc", c.Path, "%s: cards with encoders beat x264 here",
			c.Instance.Name)
		require.NotEqual(t, "A100", c.Instance.GPU)
	}
	// The mix meets every compute queue of its own plan.
	require.True(t, meets(opt.Plan))
	// The relaxation bounds the integer programme from below.
	require.LessOrEqual(t, opt.Relaxed.Cost, opt.Integer.Cost+1e-6)
	// The spot share stays within its bound.
	require.True(t, opt.spotWithin())
}

// TestOptimizerNeverCostsMoreThanDeclared draws declared architectures
// that meet the plan and checks the optimizer's own mix (not the
// fallback) is never dearer.
func TestOptimizerNeverCostsMoreThanDeclared(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	cases := 8
	if testing.Short() {
		cases = 3
	}
	for n := 0; n < cases; n++ {
		cfg := targets.Default()
		cfg.Architecture.CPUPools = nil
		switch n % 3 {
		case 0:
			cfg.Architecture.GPUPools = []targets.GPUPool{{Name: "l4", Card: "L4",
				Count: 140 + r.IntN(200), Role: "encode", SpotFraction: 0.3 * r.Float64()}}
		case 1:
			cfg.Architecture.GPUPools = []targets.GPUPool{{Name: "t4", Card: "T4",
				Count: 280 + r.IntN(100), Role: "encode"}}
		case 2:
			cfg.Architecture.GPUPools = nil
			cfg.Architecture.CPUPools = []targets.CPUPool{{Name: "x264",
				Instance: "c7i.16xlarge", VCPUsPerNode: 64, Nodes: 170 + r.IntN(60),
				Role: "encode"}}
		}
		p := basePlan(t, cfg)
		require.True(t, meets(p), "case %d: the drawn architecture must meet the plan", n)
		decl, err := Declared(p, Options{Catalog: aws(), Now: readDay})
		require.NoError(t, err)
		opt, err := Optimize(p, OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay}})
		require.NoError(t, err)
		if opt.FellBack || opt.Cost.PerMonth > decl.PerMonth {
			t.Errorf("case %d: optimizer %v per video (fell back: %v); declared %v",
				n, opt.Cost.PerVideo, opt.FellBack, decl.PerVideo)
		}
	}
}

// TestOptimizerAgreesWithBruteForce prices every count of two instance
// types on a small workload, keeps those whose re-planned architecture
// meets the plan, and compares the cheapest with the optimizer.
func TestOptimizerAgreesWithBruteForce(t *testing.T) {
	cfg := targets.Default()
	cfg.Targets.Volume.VideosPerMonth = 60_000 // about 2,000 a day
	p := basePlan(t, cfg)

	// Two instance types, on-demand only, so that the spot rule does not
	// enter: L4 cards and 16-vCPU CPU nodes.
	full := aws()
	small := &catalog.Catalog{Provider: "test", Region: "small", Storage: full.Storage,
		Egress: full.Egress, Databases: full.Databases}
	for _, name := range []string{"g6.xlarge", "c7i.4xlarge"} {
		i := *full.Instance(name)
		i.Spot, i.Committed = nil, nil
		small.Instances = append(small.Instances, i)
	}
	opt, err := Optimize(p, OptimizeOptions{Options: Options{Catalog: small, Now: readDay},
		MaxSpotShare: -1})
	require.NoError(t, err)

	best := math.Inf(1)
	var bestAt [2]int
	price := func(name string) float64 { return float64(small.Instance(name).OnDemand.USD) }
	for l4 := 0; l4 <= 8; l4++ {
		for cpu := 0; cpu <= 12; cpu++ {
			cost := (float64(l4)*price("g6.xlarge") + float64(cpu)*price("c7i.4xlarge")) * 720
			if cost >= best || l4+cpu == 0 {
				continue
			}
			arch := cfg.Architecture
			arch.GPUPools, arch.CPUPools = nil, nil
			if l4 > 0 {
				arch.GPUPools = []targets.GPUPool{{Name: "l4", Card: "L4", Count: l4,
					Role: "encode"}}
			}
			if cpu > 0 {
				arch.CPUPools = []targets.CPUPool{{Name: "cpu", Instance: "c7i.4xlarge",
					VCPUsPerNode: 16, Nodes: cpu, Role: "encode"}}
			}
			c := *cfg
			c.Architecture = arch
			bp, err := scalability.Plan(&c, scalability.Measurements{})
			require.NoError(t, err)
			if meets(bp) {
				best, bestAt = cost, [2]int{l4, cpu}
			}
		}
	}
	require.False(t, math.IsInf(best, 1), "brute force found nothing feasible")
	got := 0.0
	for _, c := range opt.Chosen {
		got += float64(c.Price.USD) * float64(c.Count) * 720
	}
	if math.Abs(got-best) > 1e-6 {
		t.Errorf("optimizer compute %.2f/month (%+v); brute force %.2f at L4 %d, CPU nodes %d",
			got, opt.Chosen, best, bestAt[0], bestAt[1])
	}
}

func TestOptimizeNoSpotAndNoEncoders(t *testing.T) {
	p := basePlan(t, targets.Default())
	opt, err := Optimize(p, OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay},
		MaxSpotShare: -1})
	require.NoError(t, err)
	for _, c := range opt.Candidates {
		require.NotEqual(t, catalog.Spot, c.Option)
	}
	// A catalog of A100 hosts only: encoding lands on their CPUs.
	a100 := &catalog.Catalog{Provider: "t", Region: "a100",
		Instances: []catalog.Instance{*aws().Instance("p4d.24xlarge")},
		Storage:   aws().Storage, Egress: aws().Egress}
	opt, err = Optimize(p, OptimizeOptions{Options: Options{Catalog: a100, Now: readDay}})
	require.NoError(t, err)
	require.Equal(t, "x264", opt.Chosen[0].Path)
}
