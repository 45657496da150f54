package month

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/scalability"
)

// TestPlanUsesMeasuredRecords gives the planner the records the
// performance package writes: the service times follow the measured CPU
// seconds, the upload size the measured top rung, and the plan says its
// figures are modeled from measured ones.
func TestPlanUsesMeasuredRecords(t *testing.T) {
	cfg := loadConfig(t)
	at := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	rec := func(name string, v float64, unit string) record.Record {
		return record.Record{Target: "", Name: name, Value: v, Unit: unit,
			Verdict: record.Info, Source: record.Measured, Time: at}
	}
	prof := cfg.Processing.DefaultProfile
	recs := []record.Record{
		rec("cpu-sec-per-media-sec/"+prof+"/code-1080p30", 3.0, "cpu-s/s"),
		rec("output-bytes-per-media-sec/"+prof+"/code-1080p30", 5e5, "B/s"),
		rec("output-bytes-per-media-sec/"+prof+"/code-1080p30/1080p-h264",
			3e5, "B/s"),
	}
	measured, cp, err := PlanFromRecords(cfg, recs, DefaultAssumptions(),
		prices(t))
	require.NoError(t, err)
	assumed, _, err := PlanFromRecords(cfg, nil, DefaultAssumptions(),
		prices(t))
	require.NoError(t, err)

	assert.Equal(t, record.ModeledFromMeasured, measured.Source)
	assert.Equal(t, record.Config, assumed.Source)
	assert.Equal(t, 3.0, cp.Work.CPUPath.Value)
	assert.InDelta(t, 3e5, measured.UploadBytesPerMediaSecond, 1)

	// The encoding stage costs the measured CPU path over the slot.
	var enc *scalability.Resource
	for _, r := range cp.Resources {
		if isEncoder(r) && r.Declared > 0 {
			enc = r
		}
	}
	require.NotNil(t, enc, "an encoding resource with units")
	var got float64
	for _, s := range measured.Routes[0].Stages {
		if s.Name == enc.Name {
			got = s.SecondsPerMediaSecond
		}
	}
	assert.InEpsilon(t, enc.ServiceSeconds/cp.Work.MeanLengthSeconds, got,
		1e-9, "stage %s", enc.Name)
	assert.Greater(t, got, 0.0)
	assert.Less(t, got, 3.0, "the CPU path is shared by a slot's vCPUs")
}

// TestPlanPlacesEncodingWhereItLands checks the default architecture:
// its A100 cannot encode, so the encoding runs on the GPU hosts' CPUs,
// the hosts are paid for once, and packaging follows on the CPU pool.
func TestPlanPlacesEncodingWhereItLands(t *testing.T) {
	cfg := loadConfig(t)
	if cfg.Architecture.GPUPools[0].Card != "A100" {
		t.Skip("scale.yaml's first GPU pool is not A100; this test reads " +
			"the default architecture")
	}
	plan, _, err := PlanFromRecords(cfg, nil, DefaultAssumptions(), prices(t))
	require.NoError(t, err)
	require.Len(t, plan.Routes, 1)
	var names []string
	for _, s := range plan.Routes[0].Stages {
		names = append(names, plan.Pools[s.Pool].Name)
	}
	assert.Equal(t, []string{"gpu-fleet host CPUs", "cpu-workers"}, names)
	hosts := plan.Pools[plan.Routes[0].Stages[0].Pool]
	assert.Equal(t, "hosts", hosts.Unit)
	assert.Equal(t, 125, hosts.Units, "1000 A100 in 8-GPU hosts")
	assert.Positive(t, float64(hosts.Hourly), "the hosts are paid for")
	assert.Positive(t, float64(plan.PerVideo.Storage))
	assert.Positive(t, float64(plan.PerVideo.Egress))
}
