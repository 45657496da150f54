package month

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/scaletest/scaletest/harness/record"
	"github.com/scaletest/scaletest/harness/targets"
)

func TestMain(m *testing.M) {
	// benchstat learns the direction of custom units from these lines.
	fmt.Println("Unit events/s better=higher")
	fmt.Println("Unit videos/s better=higher")
	fmt.Println("Unit peak-heap-B better=lower")
	os.Exit(m.Run())
}

// loadConfig returns scale.yaml (SCALETEST_CONFIG or the repository's).
func loadConfig(tb testing.TB) *targets.Config {
	tb.Helper()
	cfg, err := targets.LoadDefault()
	if err != nil {
		tb.Fatalf("load scale.yaml: %v", err)
	}
	return cfg
}

// runRecords returns the records this run has written so far (the
// performance package's measurements come first in scaletest run), or
// none.
func runRecords(tb testing.TB) []record.Record {
	tb.Helper()
	recs, err := record.ReadFile(filepath.Join(record.Dir(), record.FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		// Keep the good lines; a bad line is the writer's problem.
		tb.Logf("records: %v", err)
	}
	return recs
}

// defaultPlan plans cfg from this run's records and the default price
// catalog.
func defaultPlan(tb testing.TB, cfg *targets.Config) Plan {
	tb.Helper()
	plan, _, err := PlanFromRecords(cfg, runRecords(tb), DefaultAssumptions(),
		prices(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return plan
}

// params returns DefaultParams at fraction f.
func params(f float64) Params {
	p := DefaultParams()
	p.Fraction = f
	return p
}

func prices(tb testing.TB) Prices {
	tb.Helper()
	p, err := DefaultPrices()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
