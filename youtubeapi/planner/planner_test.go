package planner

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

func need(t *testing.T, p Plan, b quota.Bucket) Need {
	t.Helper()
	for _, n := range p.Needs {
		if n.Bucket == b {
			return n
		}
	}
	t.Fatalf("plan has no need for bucket %s: %+v", b, p.Needs)
	return Need{}
}

// TestDefaultConfig plans the Key Target against the shipped scale.yaml
// and records it: the figures the issue asks for.
func TestDefaultConfig(t *testing.T) {
	path, err := targets.FindConfig(".")
	require.NoError(t, err)
	cfg, err := targets.Load(path)
	require.NoError(t, err)
	p, err := Make(cfg, DefaultAssumptions())
	require.NoError(t, err)
	Emit(t, p)
	for _, n := range p.Needs {
		t.Logf("bucket %s: %.4g units/upload; need %.0f/day (peak day %.0f), "+
			"have %.0f; request %.0f", n.Bucket, n.PerUpload, n.Demand,
			n.PeakDay, n.Supply, n.Extension)
	}
	t.Logf("achievable %.0f uploads/day (binding %s); channels needed %d "+
		"at %.0f/day, %d at %.0f/day", p.Achievable, p.Binding,
		p.ChannelsNeeded, p.ChannelCap, p.ChannelsNeededLowCap,
		DefaultAssumptions().LowestChannelCap)
	assert.Less(t, p.Achievable, p.Target, "100 calls/day cannot carry "+
		"the target")
}

func TestArithmetic(t *testing.T) {
	cfg := targets.Default()
	cfg.Targets.YouTube.UploadsPerDay = 1000
	cfg.Workload.WeeklyShape = []float64{2, 0, 1, 1, 1, 1, 1} // peak 2x
	y := &cfg.Architecture.YouTube
	y.Projects[0].UploadCallsPerDay = 500
	y.Projects[0].GeneralUnitsPerDay = 40_000
	y.Projects[0].Channels = []targets.Channel{{ID: "a", UploadsPerDay: 50},
		{ID: "b", UploadsPerDay: 150}}
	a := DefaultAssumptions()
	a.RetryOverhead = 0.25

	p, err := Make(cfg, a)
	require.NoError(t, err)
	assert.Equal(t, []string{"videos.insert", "thumbnails.set",
		"playlistItems.insert"}, p.Calls)
	assert.InDelta(t, 2000, p.PeakDayUploads, 1e-9)

	up := need(t, p, quota.Uploads)
	assert.InDelta(t, 1.25, up.PerUpload, 1e-9)
	assert.InDelta(t, 1250, up.Demand, 1e-9)
	assert.InDelta(t, 2500-500, up.Extension, 1e-9)
	assert.InDelta(t, 400, up.Achievable, 1e-9)

	gen := need(t, p, quota.General)
	assert.InDelta(t, 125, gen.PerUpload, 1e-9) // (50 + 50) x 1.25
	assert.InDelta(t, 320, gen.Achievable, 1e-9)

	assert.InDelta(t, 200, p.ChannelCapacity, 1e-9)
	assert.Equal(t, "channels", p.Binding)
	assert.InDelta(t, 200, p.Achievable, 1e-9)
	assert.Equal(t, 20, p.ChannelsNeeded, "2000 at a mean cap of 100")
	assert.Equal(t, 500, p.ChannelsNeededLowCap, "2000 at 4")

	recs := p.Records()
	require.NotEmpty(t, recs)
	assert.Equal(t, RecAchievable, recs[0].Name)
	assert.Equal(t, record.Fail, recs[0].Verdict)
	for _, r := range recs {
		require.NoError(t, r.Validate())
	}
}

func TestLegacyModelChargesGeneral(t *testing.T) {
	cfg := targets.Default()
	cfg.Architecture.YouTube.QuotaModel = "before-2025-12-04"
	p, err := Make(cfg, DefaultAssumptions())
	require.NoError(t, err)
	require.Len(t, p.Needs, 1)
	gen := need(t, p, quota.General)
	// 1600 + 50 + 50 units, 5% retries: about 5.6 uploads on 10,000 units.
	assert.InDelta(t, 1700*1.05, gen.PerUpload, 1e-9)
	assert.InDelta(t, 10000/(1700*1.05), p.Achievable, 1e-9)
}

// TestProjectsOfOneClientDoNotAdd: a second project of the same client is
// not counted unless the projects are declared separate clients.
func TestProjectsOfOneClientDoNotAdd(t *testing.T) {
	cfg := targets.Default()
	y := &cfg.Architecture.YouTube
	second := y.Projects[0]
	second.ID = "dailydoco-extra"
	second.Channels = []targets.Channel{{ID: "extra", UploadsPerDay: 100}}
	y.Projects = append(y.Projects, second)

	p, err := Make(cfg, DefaultAssumptions())
	require.NoError(t, err)
	assert.Len(t, p.Projects, 1)
	require.NotEmpty(t, p.Warnings)
	assert.Contains(t, p.Warnings[0], "III.D.1.c")
	one := p.Achievable

	a := DefaultAssumptions()
	a.SeparateClients = true
	p, err = Make(cfg, a)
	require.NoError(t, err)
	assert.Len(t, p.Projects, 2)
	assert.InDelta(t, 2*one, p.Achievable, 1e-9*one)
	assert.False(t, math.IsNaN(p.Achievable))
}
