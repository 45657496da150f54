package costanalysis

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/scaletest/scaletest/scalability"
	"github.com/stretchr/testify/require"
)

func TestRecords(t *testing.T) {
	cfg := targets.Default()
	p := basePlan(t, cfg)
	decl, err := Declared(p, Options{Catalog: aws(), Now: readDay})
	require.NoError(t, err)
	opt, err := Optimize(p, OptimizeOptions{Options: Options{Catalog: aws(), Now: readDay}})
	require.NoError(t, err)
	recs := Records(cfg, decl, opt.Cost, nil)
	names := map[string]record.Record{}
	for _, r := range recs {
		require.NoError(t, r.Validate())
		require.Equal(t, "cost", r.Target)
		names[r.Name] = r
	}
	for _, c := range []*Cost{decl, opt.Cost} {
		r, ok := names["cost/"+c.Name+"/usd-per-video"]
		require.True(t, ok, "no cost/%s/usd-per-video", c.Name)
		require.Equal(t, "USD/video", r.Unit)
		require.Equal(t, cfg.Targets.Cost.MaxUSDPerVideo, *r.Threshold)
		require.Equal(t, record.Judge(r.Value, *r.Threshold, record.Lower), r.Verdict)
		require.Equal(t, c.Source, r.Source)
		// The note names every input with its source.
		for _, in := range c.Inputs {
			require.Contains(t, r.Note, in.Name+" = ")
		}
		require.Contains(t, r.Note, "[config: ")
		_, ok = names["cost/"+c.Name+"/storage"]
		require.True(t, ok)
	}
	require.Contains(t, names, "cost/declared/compute-gpu")
	require.Contains(t, names["cost/declared/usd-per-video"].Note, "p4d.24xlarge on-demand")
}

// TestEmitCostRecords prices the repository's scale.yaml with what this
// run measured so far and emits the cost records.
func TestEmitCostRecords(t *testing.T) {
	cfg, err := targets.LoadDefault()
	require.NoError(t, err)
	recs, _ := record.ReadFile(filepath.Join(record.Dir(), record.FileName)) // absent: none
	p, err := scalability.Plan(cfg, scalability.MeasurementsFromRecords(recs))
	require.NoError(t, err)
	decl, err := Declared(p, Options{})
	require.NoError(t, err)
	opt, err := Optimize(p, OptimizeOptions{})
	require.NoError(t, err)
	for _, c := range []*Cost{decl, opt.Cost} {
		var b strings.Builder
		require.NoError(t, c.WriteBreakdown(&b))
		t.Log("\n" + b.String())
		for _, w := range c.Warnings {
			t.Log("warning:", w)
		}
	}
	for _, n := range opt.Notes {
		t.Log("optimizer:", n)
	}
	for _, r := range Records(cfg, decl, opt.Cost) {
		record.Emit(t, r)
	}
}
