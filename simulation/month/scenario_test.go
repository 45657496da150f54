package month

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/scalability"
)

// TestUtilisationMatchesCapacityModel runs the default architecture
// without failures, spot or autoscaling: the simulated utilisation of
// each pool must be the capacity model's mean offered load over the
// declared capacity. Both use the same placement and service times, so
// this checks the arrival process, the length draws and the pool
// mechanics against the model's arithmetic.
func TestUtilisationMatchesCapacityModel(t *testing.T) {
	cfg := loadConfig(t)
	a := DefaultAssumptions()
	a.GPUHostMTBF, a.CPUNodeMTBF = 0, 0
	plan, cp, err := PlanFromRecords(cfg, runRecords(t), a, prices(t))
	require.NoError(t, err)
	for i := range plan.Pools {
		plan.Pools[i].SpotFraction = 0
	}
	p := params(0.05)
	p.Autoscale = false
	p.Assumptions = a
	r, err := Run(t.Context(), cfg, plan, p)
	require.NoError(t, err)

	checked := 0
	for _, pr := range r.Pools {
		res := cp.Resource(pr.Name)
		require.NotNil(t, res, pr.Name)
		if res.Kind == scalability.KindUnmodeled {
			continue
		}
		checked++
		// The model's week against the simulated month (a Monday and a
		// Tuesday more): allow 3%.
		assert.InEpsilon(t, res.MeanUtilisation, pr.Utilisation, 0.03,
			"utilisation of %s", pr.Name)
		t.Logf("%s: simulated %.4f, capacity model %.4f", pr.Name,
			pr.Utilisation, res.MeanUtilisation)
	}
	assert.Positive(t, checked)
}

// TestFailuresAndSpotLoseWorkNotVideos runs a pool that fails often and
// is half spot capacity reclaimed often: jobs are cut short and their
// work lost, units are replaced after a start-up delay, and still every
// video is processed.
func TestFailuresAndSpotLoseWorkNotVideos(t *testing.T) {
	cfg := loadConfig(t)
	plan := Plan{
		Pools: []PoolSpec{{Name: "encoders", Unit: "nodes", Units: 4000,
			SlotsPerUnit: 8, SpotFraction: 0.5, MTBF: 48 * time.Hour,
			Hourly: 1, SpotHourly: 0.3}},
		Routes: []Route{{Share: 1, Stages: []Stage{{Name: "encode",
			SecondsPerMediaSecond: 0.5}}}},
		UploadBytesPerMediaSecond: 3e5, Source: record.Config,
	}
	p := params(0.01)
	p.Days = 7
	p.Assumptions.SpotInterruptionsPerMonth = 60 // one a day or so
	r, err := Run(t.Context(), cfg, plan, p)
	require.NoError(t, err)

	pl := r.Pools[0]
	assert.Positive(t, pl.Failures, "failures")
	assert.Positive(t, pl.SpotReclaims, "spot reclaims")
	assert.Positive(t, pl.Interrupted, "jobs interrupted")
	assert.Positive(t, pl.LostWork, "work lost")
	assert.Positive(t, pl.Launches, "replacements launched")
	assert.Less(t, pl.MeanUnits, float64(pl.Declared), "autoscaled below "+
		"the declared units")
	assert.Equal(t, r.Videos.Arrived, r.Videos.Processed,
		"every video processed")
	assert.Less(t, r.Little.RelErr, 1e-9)
	// Spot units cost less: the bill is below all units on demand.
	assert.Less(t, float64(pl.Cost), pl.MeanUnits*r.Horizon.Hours()*1.0)
}

// TestQuotaSweep multiplies the YouTube quota and channels: while the
// quota binds, uploads per day are the quota; with enough of it the
// publish p99 falls to processing time.
func TestQuotaSweep(t *testing.T) {
	cfg := loadConfig(t)
	plan := defaultPlan(t, cfg)
	p := params(0.01)
	p.Days = 7
	values := []float64{1, 100, 5000}
	rows := Sweep(t.Context(), cfg, plan, p, QuotaMultiple(), values, 0)
	require.Len(t, rows, len(values))
	for _, row := range rows {
		require.NoError(t, row.Err)
	}
	perDay := func(v float64) float64 { // upload calls/day at this fraction
		return float64(cfg.Architecture.YouTube.Projects[0].UploadCallsPerDay) *
			v * p.Fraction
	}
	days := rows[0].Result.End.Hours() / 24
	for _, row := range rows[:2] {
		got := float64(row.Result.Videos.Published)
		// Pacific days overlap the run's UTC days: one more day's quota.
		assert.LessOrEqual(t, got, perDay(row.Value)*(days+1),
			"published at quota x %v", row.Value)
		assert.GreaterOrEqual(t, got, perDay(row.Value)*(days-1),
			"published at quota x %v", row.Value)
		assert.True(t, row.Result.Publish.LowerBound)
	}
	last := rows[2].Result
	assert.Equal(t, last.Videos.Arrived, last.Videos.Published)
	assert.False(t, last.Publish.LowerBound)
	assert.Less(t, last.Publish.P99, cfg.Targets.Volume.PublishP99)
	for _, row := range rows {
		t.Logf("quota x%v: published %d of %d, p99 %v", row.Value,
			row.Result.Videos.Published, row.Result.Videos.Arrived,
			row.Result.Publish.P99.Round(time.Minute))
	}

	// A sweep's rows do not depend on how many run at once.
	again := Sweep(t.Context(), cfg, plan, p, QuotaMultiple(), values[:2], 1)
	for i := range again {
		a, b := again[i].Result, rows[i].Result
		a.Wall, b.Wall = 0, 0
		assert.Equal(t, b, a, "row %d run alone", i)
	}
}
