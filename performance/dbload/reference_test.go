package dbload

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/load"
	"github.com/scaletest/scaletest/harness/services"
)

func TestParseReferenceOutputs(t *testing.T) {
	pgbench := []byte(`pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: <builtin: select only>
number of clients: 4
latency average = 0.081 ms
initial connection time = 10.254 ms
tps = 49321.604387 (without initial connection time)
`)
	tps, err := parsePgbench(pgbench)
	require.NoError(t, err)
	assert.InDelta(t, 49321.604387, tps, 1e-9)
	_, err = parsePgbench([]byte("pgbench: error: connection refused"))
	assert.Error(t, err)

	csv := []byte(`"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms"
"SET","23679.85","1.418","0.184","1.119"
"GET","23397.29","1.452","0.128","1.143"
`)
	for _, c := range []struct {
		test string
		want float64
	}{{"get", 23397.29}, {"set", 23679.85}} {
		got, err := parseRedisBenchmark(csv, c.test)
		require.NoError(t, err)
		assert.InDelta(t, c.want, got, 1e-9, "rps of %s", c.test)
	}
	_, err = parseRedisBenchmark(csv, "lpush")
	assert.Error(t, err)
}

// needTool skips b when a reference tool is not installed.
func needTool(b *testing.B, name, pkg string) {
	b.Helper()
	if _, err := exec.LookPath(name); err != nil {
		b.Skipf("%s not found on PATH (%v): install it (Debian: apt-get install %s) "+
			"to compare the driver with it", name, err, pkg)
	}
}

// referenceRounds is how many times each side runs, alternating, so that
// a busy machine weighs on both alike.
const referenceRounds = 3

// compare alternates the driver and the tool, each measured in
// operations per second, and returns the medians.
func compare(b *testing.B, driver, tool func() (float64, error)) (d, r float64) {
	b.Helper()
	var ds, rs []float64
	for range referenceRounds {
		x, err := driver()
		require.NoError(b, err)
		y, err := tool()
		require.NoError(b, err)
		ds, rs = append(ds, x), append(rs, y)
	}
	b.Logf("driver %v, reference %v", ds, rs)
	return median(ds), median(rs)
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

// report states a side-by-side result as benchmark metrics and a record.
func report(b *testing.B, unit, name string, d, r float64, what string) {
	b.Helper()
	b.ReportMetric(d/r, unit)
	b.ReportMetric(d, "driver-ops/s")
	b.ReportMetric(r, "reference-ops/s")
	emit(b, RatioRecord(name, d, r, what))
}

// driverRate runs op in a closed loop on workers for d and returns its
// throughput, failing on any error.
func driverRate(ctx context.Context, workers int, d time.Duration, perOp float64,
	op load.Op) (float64, error) {
	res, err := load.RunClosed(ctx, load.Closed{Workers: workers, For: d}, op)
	if err != nil {
		return 0, err
	}
	if res.Errors > 0 {
		return 0, fmt.Errorf("driver: %d errors: %v", res.Errors, res.ErrorClasses)
	}
	return res.Achieved() * perOp, nil
}

// BenchmarkVersusPgbench compares the driver with pgbench's select-only
// script on prepared statements, at matched clients.
func BenchmarkVersusPgbench(b *testing.B) {
	needTool(b, PgbenchTool, "postgresql-client")
	const scale = 1
	svc := services.Postgres(b)
	// Straight to the server: the services proxy runs in this process and
	// would share the driver's CPU, not pgbench's.
	dbURL, err := svc.Direct(svc.Database(b))
	require.NoError(b, err)
	require.NoError(b, PgbenchInit(b.Context(), dbURL, scale))
	d := 3 * time.Second
	for _, clients := range []int{4, 16} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			conns := make([]*pgx.Conn, clients)
			for k := range conns {
				c, err := pgx.Connect(b.Context(), dbURL)
				require.NoError(b, err)
				b.Cleanup(func() { c.Close(context.Background()) })
				conns[k] = c
			}
			op := PgbenchSelectOp(conns, scale)
			dr, rr := compare(b, func() (float64, error) {
				return driverRate(b.Context(), clients, d, 1, op)
			}, func() (float64, error) {
				return Pgbench(b.Context(), dbURL, clients, d)
			})
			report(b, "ratio-vs-pgbench", "dbload/postgres/ratio-vs-pgbench", dr, rr,
				fmt.Sprintf("pgbench -S -M prepared, %d clients", clients))
		})
	}
}

// BenchmarkVersusRedisBenchmark compares the driver with redis-benchmark
// on GET and SET, with and without a pipeline of 16, at 50 connections.
func BenchmarkVersusRedisBenchmark(b *testing.B) {
	needTool(b, RedisBenchmarkTool, "redis-tools")
	const conns = 50
	svc := services.Redis(b)
	// Straight to the server, as for pgbench.
	redisURL, err := svc.Direct(svc.URL())
	require.NoError(b, err)
	r, err := OpenRedis(b.Context(), redisURL, svc.KeyPrefix(b), conns)
	require.NoError(b, err)
	b.Cleanup(func() { r.Close() })
	d := 3 * time.Second
	for _, test := range []string{"set", "get"} {
		for _, pipeline := range []int{1, 16} {
			name := test
			if pipeline > 1 {
				name = fmt.Sprintf("%s-p%d", test, pipeline)
			}
			b.Run(name, func(b *testing.B) {
				op, err := RedisBenchmarkOp(r.Client(), test, pipeline)
				require.NoError(b, err)
				var last float64
				dr, rr := compare(b, func() (float64, error) {
					x, err := driverRate(b.Context(), conns, d, float64(pipeline), op)
					last = x
					return x, err
				}, func() (float64, error) {
					// As many requests as the driver made in d.
					n := max(10_000, int(last*d.Seconds()))
					return RedisBenchmark(b.Context(), redisURL, test, conns, pipeline, n)
				})
				report(b, "ratio-vs-redis-benchmark",
					"dbload/redis/ratio-vs-redis-benchmark/"+name, dr, rr,
					fmt.Sprintf("redis-benchmark -t %s -P %d -c %d", test, pipeline, conns))
			})
		}
	}
}
