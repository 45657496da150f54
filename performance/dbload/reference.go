package dbload

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/scaletest/scaletest/harness/load"
)

// The reference tools. The side-by-side benchmarks compare the driver's
// throughput with theirs, at the same concurrency against the same
// server in the same run.
const (
	PgbenchTool        = "pgbench"
	RedisBenchmarkTool = "redis-benchmark"
)

// pgbenchAccountsPerScale is the rows of pgbench_accounts per unit of
// pgbench's scale factor.
const pgbenchAccountsPerScale = 100_000

// runTool runs a reference tool and returns its standard output.
func runTool(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// PgbenchInit creates pgbench's tables at scale factor scale (100,000
// accounts each) in the database at dbURL.
func PgbenchInit(ctx context.Context, dbURL string, scale int) error {
	_, err := runTool(ctx, PgbenchTool, "-i", "-q", "-s", strconv.Itoa(scale), dbURL)
	return err
}

// Pgbench runs pgbench's select-only script with prepared statements
// (-S -M prepared) on clients connections for d and returns its
// transactions per second.
func Pgbench(ctx context.Context, dbURL string, clients int, d time.Duration) (float64,
	error) {
	threads := min(clients, runtime.NumCPU())
	out, err := runTool(ctx, PgbenchTool, "-n", "-S", "-M", "prepared",
		"-c", strconv.Itoa(clients), "-j", strconv.Itoa(threads),
		"-T", strconv.Itoa(max(1, int(d.Seconds()))), dbURL)
	if err != nil {
		return 0, err
	}
	return parsePgbench(out)
}

var pgbenchTPS = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection`)

func parsePgbench(out []byte) (float64, error) {
	m := pgbenchTPS.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no \"tps = ... (without initial connection time)\" "+
			"line in %q", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// PgbenchSelectOp is the driver's side of the pgbench comparison: the
// same query on a connection of its own per worker, prepared once (pgx
// caches prepared statements per connection). scale is pgbench's scale
// factor, which bounds the account ids.
func PgbenchSelectOp(conns []*pgx.Conn, scale int) load.Op {
	n := int64(scale * pgbenchAccountsPerScale)
	return func(ctx context.Context, w int, _ int64) error {
		var balance int64
		return conns[w].QueryRow(ctx,
			"SELECT abalance FROM pgbench_accounts WHERE aid = $1",
			1+rand.Int64N(n)).Scan(&balance)
	}
}

// RedisBenchmark runs redis-benchmark's test (get or set) against the
// server at redisURL with conns connections and the given pipeline depth
// for requests requests, and returns requests per second.
func RedisBenchmark(ctx context.Context, redisURL, test string, conns, pipeline,
	requests int) (float64, error) {
	u, err := url.Parse(redisURL)
	if err != nil {
		return 0, fmt.Errorf("redis-benchmark: %w", err)
	}
	args := []string{"-h", u.Hostname(), "-p", u.Port(), "-c", strconv.Itoa(conns),
		"-n", strconv.Itoa(requests), "-P", strconv.Itoa(pipeline), "-t", test, "--csv"}
	if pw, ok := u.User.Password(); ok {
		args = append(args, "-a", pw, "--no-auth-warning")
	}
	out, err := runTool(ctx, RedisBenchmarkTool, args...)
	if err != nil {
		return 0, err
	}
	return parseRedisBenchmark(out, test)
}

// parseRedisBenchmark reads the rps column of test's row from
// redis-benchmark --csv output.
func parseRedisBenchmark(out []byte, test string) (float64, error) {
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		return 0, fmt.Errorf("redis-benchmark: csv: %w", err)
	}
	for _, row := range rows {
		if len(row) >= 2 && strings.EqualFold(row[0], test) {
			return strconv.ParseFloat(row[1], 64)
		}
	}
	return 0, fmt.Errorf("redis-benchmark: no row for %s in %q", test, out)
}

// redisBenchmarkKey is the key redis-benchmark's GET and SET use when
// not told to randomise it.
const redisBenchmarkKey = "key:__rand_int__"

// RedisBenchmarkOp is the driver's side of the redis-benchmark
// comparison: GET or SET of redis-benchmark's key with its 3-byte value,
// pipeline commands per operation (1 for none). Count requests as
// operations times pipeline.
func RedisBenchmarkOp(rdb *redis.Client, test string, pipeline int) (load.Op, error) {
	var one func(ctx context.Context, c redis.Cmdable)
	switch test {
	case "get":
		one = func(ctx context.Context, c redis.Cmdable) { c.Get(ctx, redisBenchmarkKey) }
	case "set":
		one = func(ctx context.Context, c redis.Cmdable) {
			c.Set(ctx, redisBenchmarkKey, "xxx", 0)
		}
	default:
		return nil, fmt.Errorf("redis benchmark op: test %q: want get or set", test)
	}
	if pipeline <= 1 {
		return func(ctx context.Context, _ int, _ int64) error {
			var err error
			if test == "get" {
				err = rdb.Get(ctx, redisBenchmarkKey).Err()
			} else {
				err = rdb.Set(ctx, redisBenchmarkKey, "xxx", 0).Err()
			}
			if errors.Is(err, redis.Nil) {
				return nil
			}
			return err
		}, nil
	}
	return func(ctx context.Context, _ int, _ int64) error {
		pipe := rdb.Pipeline()
		for range pipeline {
			one(ctx, pipe)
		}
		_, err := pipe.Exec(ctx)
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return err
	}, nil
}
