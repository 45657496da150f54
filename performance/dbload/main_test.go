package dbload

import (
	"fmt"
	"os"
	"testing"

	"github.com/scaletest/scaletest/harness/services"
)

func TestMain(m *testing.M) {
	// Directions of the benchmarks' custom units, for benchstat.
	fmt.Println("Unit ratio-vs-pgbench better=higher")
	fmt.Println("Unit ratio-vs-redis-benchmark better=higher")
	fmt.Println("Unit driver-ops/s better=higher")
	fmt.Println("Unit reference-ops/s better=higher")
	os.Exit(services.Main(m))
}
