package scalability

import (
	"math"
	"strings"
	"testing"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability/queue"
	"github.com/scaletest/scaletest/scalability/usl"
	"github.com/stretchr/testify/require"
)

func plan(t *testing.T, cfg *targets.Config, m Measurements) *CapacityPlan {
	t.Helper()
	p, err := Plan(cfg, m)
	require.NoError(t, err)
	return p
}

func resource(t *testing.T, p *CapacityPlan, name string) *Resource {
	t.Helper()
	r := p.Resource(name)
	require.NotNil(t, r, "no resource %q", name)
	return r
}

// TestDefaultArchitectureCannotEncodeOnA100 is the verdict the default
// scale.yaml must get: 1000 A100 with role encode have no encoder.
func TestDefaultArchitectureCannotEncodeOnA100(t *testing.T) {
	p := plan(t, targets.Default(), Measurements{})

	nv := resource(t, p, "gpu-fleet NVENC")
	require.Equal(t, KindNoEncoder, nv.Kind)
	require.Equal(t, record.Fail, nv.Verdict)
	require.Zero(t, nv.Declared, "an A100 has no NVENC engine")
	require.Greater(t, nv.Required, 0.0)
	require.Contains(t, strings.Join(nv.Notes, " "), "A100 has no NVENC")

	host := resource(t, p, "gpu-fleet host CPUs")
	require.Equal(t, KindHostEncode, host.Kind)
	require.Equal(t, 125.0, host.Declared, "1000 A100 in 8-GPU p4d hosts")
	require.Equal(t, 1.0, host.Share, "all encoding lands on the hosts")
	require.Contains(t, strings.Join(host.Notes, " "), "encoding lands here")
	require.Equal(t, record.Config, host.Source, "nothing measured: config")

	pkg := resource(t, p, "cpu-workers")
	require.Equal(t, KindCPUPackage, pkg.Kind)
	require.Less(t, pkg.MeanUtilisation, 0.05, "a packaging pool of 3200 vCPUs idles")
}

// TestQueueSizingByHand recomputes one resource in its busiest period
// straight from the queue package.
func TestQueueSizingByHand(t *testing.T) {
	p := plan(t, targets.Default(), Measurements{})
	host := resource(t, p, "gpu-fleet host CPUs")
	per := p.Periods[host.Busiest]
	require.True(t, per.Burst, "the burst is the busiest period")

	w := p.Work
	slot := float64(p.SlotVCPUs)
	service := w.MeanLengthSeconds * (w.CPUPath.Value - w.Thumbnail.Value - w.Package.Value) / slot
	q := queue.GGc{MMC: queue.MMC{ArrivalsPerSecond: per.VideosPerSecond, ServiceSeconds: service},
		ArrivalSCV: 1, ServiceSCV: w.LengthSCV}
	c, err := queue.ServersFor(q, p.WaitSLO)
	require.NoError(t, err)
	require.Equal(t, c, host.Loads[host.Busiest].Servers)
	hosts := math.Ceil(float64(c) / math.Floor(96/slot))
	require.Equal(t, hosts, host.Required)
	require.Equal(t, math.Ceil(0.05*hosts), host.Spare, "N+k is spare_fraction of N, rounded up")
	require.Equal(t, host.Required+host.Spare, host.WithSpare)
}

func l4Config(count int) *targets.Config {
	cfg := targets.Default()
	cfg.Architecture.GPUPools = []targets.GPUPool{{Name: "enc", Card: "L4", Count: count,
		Role: "encode"}}
	return cfg
}

func TestL4ArchitectureEncodesOnNVENC(t *testing.T) {
	p := plan(t, l4Config(200), Measurements{})
	nv := resource(t, p, "enc NVENC")
	require.Equal(t, KindNVENC, nv.Kind)
	require.Equal(t, record.Pass, nv.Verdict, "200 L4 carry the default workload")
	require.Equal(t, 2.0, nv.ServersPerUnit)
	resource(t, p, "enc NVDEC")
	resource(t, p, "enc host CPUs")

	// The same requirement as the L4 alternative of any plan.
	var alt Alternative
	for _, a := range p.Alternatives {
		if a.Name == "L4 NVENC" {
			alt = a
		}
	}
	require.Equal(t, alt.WithSpare, nv.WithSpare)

	small := plan(t, l4Config(50), Measurements{})
	require.Equal(t, record.Fail, resource(t, small, "enc NVENC").Verdict)
}

func TestMixedEncodePoolsShareByCapacity(t *testing.T) {
	cfg := l4Config(100)
	cfg.Architecture.CPUPools = append(cfg.Architecture.CPUPools, targets.CPUPool{
		Name: "x264", Instance: "c7i.8xlarge", VCPUsPerNode: 32, Nodes: 100, Role: "encode"})
	p := plan(t, cfg, Measurements{})
	nv, cpu := resource(t, p, "enc NVENC"), resource(t, p, "x264")
	require.InDelta(t, 1, nv.Share+cpu.Share, 1e-12)
	// Capacity in media seconds per second: engines / engine-seconds per
	// media second, slots / slot-seconds per media second.
	w := p.Work
	nvCap := 200 / (w.EncodeFrames / w.NVENCEngineFPS.Value)
	slot := float64(p.SlotVCPUs)
	cpuCap := 100 * math.Floor(32/slot) / ((w.CPUPath.Value - w.Thumbnail.Value -
		w.Package.Value) / slot)
	require.InDelta(t, nvCap/(nvCap+cpuCap), nv.Share, 1e-12)
}

func TestMeasuredFiguresMakeModeledFromMeasured(t *testing.T) {
	cfg := targets.Default()
	cfg.Architecture.GPUPools = nil
	cfg.Architecture.CPUPools = []targets.CPUPool{{Name: "x264", Instance: "c7i.8xlarge",
		VCPUsPerNode: 32, Nodes: 400, Role: "encode"}}
	m := MeasurementsFromRecords([]record.Record{
		rec("cpu-sec-per-media-sec/standard/code-1080p30", 1.5, "s/s"),
		rec("db/postgres/ops-at-slo", 20000, "ops/s"),
		rec("dbload/redis/videos-per-second-at-slo", 4, "videos/s"),
		rec("output-bytes-per-media-sec/standard/code-1080p30", 300_000, "B/s"),
	})
	p := plan(t, cfg, m)
	require.Equal(t, record.ModeledFromMeasured, resource(t, p, "x264").Source)
	require.Equal(t, record.ModeledFromMeasured, resource(t, p, "postgres").Source)
	require.Equal(t, record.ModeledFromMeasured, resource(t, p, "redis").Source)
	redis := resource(t, p, "redis")
	require.Equal(t, math.Ceil(p.Derived.BurstVideosPerSecond/4), redis.Required,
		"burst videos/s over 4 videos/s per instance")
	require.Equal(t, record.Config, resource(t, p, "neo4j").Source)
	require.Equal(t, record.ModeledFromMeasured, p.Storage.Source)
	require.Equal(t, record.Config, p.Network[0].Source, "sources are configuration")
}

func TestStorageNetworkDatabaseByHand(t *testing.T) {
	cfg := targets.Default()
	p := plan(t, cfg, Measurements{})
	d := cfg.Derive()
	w := p.Work
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s = %.9g; want %.9g", name, got, want)
		}
	}
	perVideo := w.MeanLengthSeconds * (1e6 + w.OutputBytes.Value)
	near("BytesPerVideo", p.Storage.BytesPerVideo, perVideo)
	near("TBPerDay", p.Storage.TBPerDay, d.VideosPerDay*perVideo/1e12)
	near("RetainedPB", p.Storage.RetainedPB, d.VideosPerDay*perVideo/1e12*90/1e3)
	near("PeakHourWriteGbps", p.Storage.PeakHourWriteGbps, d.PeakVideosPerSecond*perVideo*8/1e9)
	near("BurstWriteGbps", p.Storage.BurstWriteGbps, d.BurstVideosPerSecond*perVideo*8/1e9)

	in := p.Network[0]
	near("in PeakHourGbps", in.PeakHourGbps, d.PeakSourceBitsPerSecond/1e9*
		w.MeanLengthSeconds/d.MeanVideoLength.Seconds())
	n := d.BurstVideosPerSecond * 60
	b := w.MeanLengthSeconds * 1e6
	near("in BusiestMinuteGbps", in.BusiestMinuteGbps,
		(n*b+3.09*math.Sqrt(n*b*b*(1+w.LengthSCV)))*8/60/1e9)
	out := p.Network[1]
	near("out BytesPerVideo", out.BytesPerVideo, 2*w.MeanLengthSeconds*w.TopRungBytes.Value)

	pg := resource(t, p, "postgres")
	near("postgres offered", pg.Loads[pg.Busiest].Offered, d.BurstVideosPerSecond/(46000.0/30))
	require.Equal(t, 1.0, pg.Required)
	require.Equal(t, 1.0, pg.Spare, "one spare for any N >= 1 at 5%")
	neo := resource(t, p, "neo4j")
	require.Equal(t, record.Fail, neo.Verdict, "one Neo4j instance has no spare")
}

func TestNoEncodePool(t *testing.T) {
	cfg := targets.Default()
	cfg.Architecture.GPUPools = nil
	p := plan(t, cfg, Measurements{})
	r := resource(t, p, "encode (no pool declared)")
	require.Equal(t, record.Fail, r.Verdict)
	require.Equal(t, "vCPUs", r.Unit)
	require.InDelta(t, float64(r.Loads[r.Busiest].Servers*p.SlotVCPUs), r.Required, 1e-9)
}

func TestUnknownCardAndAIRole(t *testing.T) {
	cfg := targets.Default()
	cfg.Architecture.GPUPools = append(cfg.Architecture.GPUPools,
		targets.GPUPool{Name: "mystery", Card: "Z9", Count: 10, Role: "encode"},
		targets.GPUPool{Name: "llm", Card: "H100", Count: 64, Role: "ai"})
	p := plan(t, cfg, Measurements{})
	require.Equal(t, record.Fail, resource(t, p, "mystery").Verdict)
	require.Contains(t, strings.Join(resource(t, p, "mystery").Notes, ""), "not in cards.yaml")
	require.Equal(t, record.Info, resource(t, p, "llm").Verdict)
}

func TestPlanFitsUSL(t *testing.T) {
	m := Measurements{USL: map[string][]usl.Point{}}
	model := usl.Model{Lambda: 3, Sigma: 0.05, Kappa: 0.002}
	for _, n := range []float64{1, 2, 4, 8, 16, 32} {
		m.USL["encode-node"] = append(m.USL["encode-node"],
			usl.Point{Concurrency: n, Throughput: model.Throughput(n)})
	}
	m.USL["tiny"] = m.USL["encode-node"][:5]
	p := plan(t, targets.Default(), m)
	require.Contains(t, p.USL, "encode-node")
	require.InDelta(t, 0.05, p.USL["encode-node"].Sigma, 1e-4)
	require.NotContains(t, p.USL, "tiny")
	require.Contains(t, strings.Join(p.Notes, "\n"), "usl tiny: usl: too few points")
}

func TestPlanRejectsInvalidConfig(t *testing.T) {
	cfg := targets.Default()
	cfg.Targets.Speed.MaxRTF = -1
	_, err := Plan(cfg, Measurements{})
	require.ErrorContains(t, err, "max_rtf")
}

func TestSizeMatchesPlanResource(t *testing.T) {
	p := plan(t, l4Config(200), Measurements{})
	nv := resource(t, p, "enc NVENC")
	r, err := p.Size("again", p.Work.EncodeFrames/p.Work.NVENCEngineFPS.Value, 2, 1)
	require.NoError(t, err)
	require.Equal(t, nv.WithSpare, r.WithSpare)
	require.Equal(t, nv.Busiest, r.Busiest)
	_, err = p.Size("bad", 0, 2, 1)
	require.Error(t, err)
}

func TestAdjustWorkAndWithHost(t *testing.T) {
	cfg := targets.Default()
	base := plan(t, cfg, Measurements{})
	double, err := PlanWith(cfg, Measurements{}, Options{AdjustWork: func(w *Work) {
		w.CPUPath.Value *= 2
	}})
	require.NoError(t, err)
	require.Greater(t, resource(t, double, "gpu-fleet host CPUs").Required,
		1.8*resource(t, base, "gpu-fleet host CPUs").Required)

	cards := DefaultCards().WithHost("A100", Host{Instance: "big", GPUs: 4, VCPUs: 96})
	wide, err := PlanWith(cfg, Measurements{}, Options{Cards: cards})
	require.NoError(t, err)
	require.Equal(t, 250.0, resource(t, wide, "gpu-fleet host CPUs").Declared)
	a100, _ := DefaultCards().Get("A100")
	require.Equal(t, 8, a100.Host.GPUs, "WithHost leaves the original alone")
}
