package scalability

import (
	"testing"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
	"github.com/stretchr/testify/require"
)

// TestEmitDefaultPlan plans the repository's scale.yaml with whatever
// was measured so far in this run's records file, and emits the cluster,
// storage and network records.
func TestEmitDefaultPlan(t *testing.T) {
	cfg, err := targets.LoadDefault()
	require.NoError(t, err)
	recs, _ := record.ReadFile(record.Dir() + "/" + record.FileName) // absent: none
	p, err := Plan(cfg, MeasurementsFromRecords(recs))
	require.NoError(t, err)
	for _, n := range p.Notes {
		t.Log("note:", n)
	}
	out := Records(p)
	require.NotEmpty(t, out)
	for _, r := range out {
		record.Emit(t, r)
	}
}

func TestRecordsOfDefaultPlan(t *testing.T) {
	p := plan(t, targets.Default(), Measurements{})
	out := Records(p)
	names := map[string]record.Record{}
	for _, r := range out {
		require.NoError(t, r.Validate())
		_, dup := names[r.Name]
		require.False(t, dup, "duplicate record %s", r.Name)
		names[r.Name] = r
	}
	nv := names["cluster/gpu-fleet-nvenc/required"]
	require.Equal(t, record.Fail, nv.Verdict)
	require.Equal(t, "NVENC engines", nv.Unit)
	require.Zero(t, *nv.Threshold)
	require.Contains(t, nv.Note, "A100 has no NVENC")

	tb := names["storage/tb-per-day"]
	require.Equal(t, "storage", tb.Target)
	require.Equal(t, 50.0, *tb.Threshold)
	require.InDelta(t, p.Storage.TBPerDay, tb.Value, 1e-9)
	for _, n := range []string{"network/in/peak-hour-gbps", "network/out/busiest-minute-gbps",
		"network/link/ingress-link-peak-hour-gbps", "storage/write-gbps",
		"storage/retained-pb", "cluster/postgres/required", "cluster/alternative/l4-nvenc",
		"cluster/declared-gpus"} {
		require.Contains(t, names, n)
	}
	require.Equal(t, record.Config, names["storage/tb-per-day"].Source)
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"ingress link (peak hour)":  "ingress-link-peak-hour",
		"gpu-fleet NVENC":           "gpu-fleet-nvenc",
		"encode (no pool declared)": "encode-no-pool-declared",
		"A100 hosts' CPUs":          "a100-hosts-cpus",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q; want %q", in, got, want)
		}
	}
}
