package catalog

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaletest/scaletest/harness/units"
	"github.com/stretchr/testify/require"
)

func TestDefaultCatalogs(t *testing.T) {
	cats := Default()
	aws := cats[DefaultName]
	require.NotNil(t, aws)
	require.Contains(t, cats, "gcp-us-central1")
	// FACTS.md: p4d.24xlarge (8x A100) $21.958/h in us-west-2, 2026-02-20.
	p4d := aws.Instance("p4d.24xlarge")
	require.NotNil(t, p4d)
	require.Equal(t, units.USD(21.958), p4d.OnDemand.USD)
	require.Equal(t, "2026-02-20", p4d.OnDemand.Read.Format(time.DateOnly))
	require.Equal(t, 8, p4d.GPUs)
	for _, card := range []string{"A100", "H100", "H200", "L4", "L40S", "T4", "A10G"} {
		require.NotEmpty(t, aws.WithGPU(card), "no instance with %s", card)
	}
	for label, p := range aws.Prices() {
		require.NotEmpty(t, p.Source, label)
		require.False(t, p.Read.IsZero(), label)
	}
	require.NotNil(t, aws.Database("postgres"))
	require.Equal(t, 30.0, aws.StorageClass("standard-ia").MinDays)
}

func TestParseRejectsWithFileAndLine(t *testing.T) {
	const head = "provider: p\nregion: r\n"
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"missing source", head + "instances:\n  - name: a\n    vcpus: 4\n" +
			"    on_demand: {usd_per_hour: 1, read: 2026-01-01}\n",
			[]string{"x.yaml:6: instances[0].on_demand.source: missing"}},
		{"missing date", head + "storage:\n  - class: s\n    price:\n" +
			"      usd_per_gb_month: 0.02\n      source: list\n",
			[]string{"x.yaml:5: storage[0].price.read: missing"}},
		{"negative price", head + "egress:\n  - price: {usd_per_gb: 0.1, source: s,\n" +
			"      read: 2026-01-01}\n  - price:\n      usd_per_gb: -0.05\n" +
			"      source: s\n      read: 2026-01-01\n",
			[]string{"x.yaml:4: egress[0].up_to_tb: missing",
				"x.yaml:7: egress[1].price.usd_per_gb: must not be negative, got -0.05"}},
		{"bad date and unknown key", head + "databases:\n  - service: redis\n" +
			"    instance: i\n    on_demand: {usd_per_hour: 1, source: s, read: May}\n" +
			"    flavour: x\n",
			[]string{"x.yaml:6: databases[0].on_demand.read: must be a date",
				"x.yaml:7: databases[0].flavour: unknown field"}},
		{"no provider", "region: r\n", []string{"x.yaml:1: provider: missing"}},
		{"gpu without count", head + "instances:\n  - name: g\n    gpu: L4\n    vcpus: 4\n" +
			"    spot: {usd_per_hour: 1, source: s, read: 2026-01-01}\n",
			[]string{"x.yaml:4: instances[0]: gpu and gpus go together"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.yaml))
			require.Error(t, err)
			var le *LineError
			require.True(t, errors.As(err, &le), "error %T is no *LineError", err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestEgressCostTiers(t *testing.T) {
	aws := Default()[DefaultName]
	tests := []struct {
		tb   float64
		want float64
	}{
		{0, 0},
		{5, 5000 * 0.09},
		{60, 10000*0.09 + 40000*0.085 + 10000*0.07},
		{200, 10000*0.09 + 40000*0.085 + 100000*0.07 + 50000*0.05},
	}
	for _, tt := range tests {
		if got := aws.EgressCost(tt.tb * 1000); math.Abs(float64(got)-tt.want) > 1e-6 {
			t.Errorf("EgressCost(%g TB) = %v; want %v", tt.tb, got, tt.want)
		}
	}
	require.True(t, math.IsNaN(float64((&Catalog{}).EgressCost(1))))
}

func TestStale(t *testing.T) {
	aws := Default()[DefaultName]
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	warns := aws.Stale(now, 180*24*time.Hour)
	require.NotEmpty(t, warns)
	joined := ""
	for _, w := range warns {
		joined += w.Error() + "\n"
	}
	// The FACTS.md prices read 2026-02-20 are 286 days old.
	require.Contains(t, joined, "instance p4d.24xlarge on-demand: price read 2026-02-20 "+
		"is 286 days old (limit 180)")
	require.Contains(t, joined, "data/aws-us-west-2.yaml:")
	require.NotContains(t, joined, "c7i.8xlarge on-demand", "read 2026-12-03")
	require.Empty(t, aws.Stale(now, 365*24*time.Hour))
}

func TestLoadOverlay(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("aws-us-west-2.yaml", "provider: aws\nregion: us-west-2\ninstances:\n"+
		"  - name: g6.xlarge\n    gpu: L4\n    gpus: 1\n    vcpus: 4\n"+
		"    on_demand: {usd_per_hour: 0.7, source: my quote, read: 2026-11-30}\n")
	write("azure-westus.yaml", "provider: azure\nregion: westus\n")
	cats, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, cats[DefaultName].Instances, 1, "the user file replaces the embedded one")
	require.Contains(t, cats, "azure-westus")
	require.Contains(t, cats, "gcp-us-central1")

	write("broken.yaml", "provider: x\nregion: y\nstorage:\n  - class: s\n"+
		"    price: {usd_per_gb_month: -1, source: s, read: 2026-01-01}\n")
	_, err = Load(dir)
	require.ErrorContains(t, err, "broken.yaml:5: storage[0].price.usd_per_gb_month: "+
		"must not be negative")

	t.Setenv(EnvDir, "")
	d, err := LoadDefault()
	require.NoError(t, err)
	require.Len(t, d, len(Default()))
}

func TestScaled(t *testing.T) {
	aws := Default()[DefaultName]
	s := aws.Scaled(GPUInstances, 2)
	require.Equal(t, 2*aws.Instance("g6.xlarge").OnDemand.USD,
		s.Instance("g6.xlarge").OnDemand.USD)
	require.Equal(t, aws.Instance("c7i.8xlarge").Spot.USD, s.Instance("c7i.8xlarge").Spot.USD)
	require.Equal(t, aws.Storage[0].Price.USD, s.Storage[0].Price.USD)
	e := aws.Scaled(Egress, 0.5)
	require.InDelta(t, float64(aws.EgressCost(1e5))/2, float64(e.EgressCost(1e5)), 1e-9)
	require.True(t, strings.HasPrefix(aws.Instance("g6.xlarge").OnDemand.String(),
		"$0.8000 (FACTS.md"))
}
